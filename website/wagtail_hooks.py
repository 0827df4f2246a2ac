from django.contrib.auth.models import Permission
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.contrib.forms.views import DeleteSubmissionsView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from website import accompaniment, accompaniment_admin, privacy_admin
from website import organisation_proposals_admin as proposals_admin
from website.exports import FormulaSafeSnippetViewSet
from website.models import PersonalDataRequest, Region, ResourceCategory
from website.organisation_contacts_admin import OrganisationContactViewSet
from website.organisations_admin import LOG_ACTIONS as ORGANISATION_LOG_ACTIONS
from website.organisations_admin import OrganisationViewSet
from website.permissions import DELETE_SUBMISSIONS, VIEW_SUBMISSIONS, PermissionMenuItem, permission_required
from website.search import DocumentSearchSource
from website.space_support import support_section
from website.workflows import name_submit_buttons

hooks.register("construct_page_action_menu", name_submit_buttons)
# The person's own space (/mon-espace/): the support requests they sent.
hooks.register("register_space_section", support_section)


class RegionViewSet(FormulaSafeSnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Régions (MRC)")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


class ResourceCategoryViewSet(FormulaSafeSnippetViewSet):
    model = ResourceCategory
    icon = "tag"
    menu_label = _("Catégories de ressources")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en", "description"]
    ordering = ["sort_order", "name"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = _("Référentiels")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (OrganisationViewSet, OrganisationContactViewSet, RegionViewSet, ResourceCategoryViewSet)


register_snippet(ReferenceDataGroup)


# Profile proposals from organisation contacts (website/organisation_proposals_admin.py).


@hooks.register("register_admin_urls")
def proposal_admin_urls():
    urls = [
        path("", proposals_admin.index, name="index"),
        path("<int:pk>/", proposals_admin.review, name="review"),
        path("<int:pk>/logo.jpg", proposals_admin.logo, name="logo"),
        path("<int:pk>/approuver/", proposals_admin.approve, name="approve"),
        path("<int:pk>/refuser/", proposals_admin.refuse, name="refuse"),
    ]
    return [
        path("propositions-organismes/", include((urls, "website_proposals"), namespace="website_proposals"))
    ]


@hooks.register("register_admin_menu_item")
def proposals_menu_item():
    return proposals_admin.ProposalsMenuItem(
        _("Propositions de profil"),
        reverse("website_proposals:index"),
        name="profile-proposals",
        icon_name="edit",
        order=310,
        permission=proposals_admin.VIEW,
    )


@hooks.register("register_permissions")
def proposal_permissions():
    return Permission.objects.filter(
        content_type__app_label="website", codename__in=["view_profileproposal", "change_profileproposal"]
    )


@hooks.register("register_log_actions")
def proposal_log_actions(actions):
    for action, label, message in proposals_admin.LOG_ACTIONS:
        actions.register_action(action, label, message)


# Personal data (Law 25): the privacy officer's screen under Paramètres, its permission and log actions.


@hooks.register("register_admin_urls")
def privacy_admin_urls():
    urls = [
        path("", privacy_admin.index, name="index"),
        path("export/", privacy_admin.export, name="export"),
        path("effacer/", privacy_admin.erase, name="erase"),
        path("lever/", privacy_admin.lift, name="lift"),
    ]
    return [path("vie-privee/", include((urls, "website_privacy"), namespace="website_privacy"))]


class PrivacyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(privacy_admin.PERMISSION)


@hooks.register("register_settings_menu_item")
def privacy_menu_item():
    return PrivacyMenuItem(
        _("Renseignements personnels"),
        reverse("website_privacy:index"),
        name="personal-data",
        icon_name="lock",
        order=900,
    )


@hooks.register("register_permissions")
def privacy_permission():
    return Permission.objects.filter(content_type__app_label="website", codename="manage_personal_data")


PRIVACY_LOG_MESSAGES = {
    PersonalDataRequest.Kind.SEARCH: _("Recherche des renseignements personnels d'une adresse"),
    PersonalDataRequest.Kind.EXPORT: _("Export des renseignements personnels d'une adresse"),
    PersonalDataRequest.Kind.ERASURE: _("Effacement des renseignements personnels d'une adresse"),
    PersonalDataRequest.Kind.LIFT: _("Levée du blocage d'une adresse effacée"),
}


@hooks.register("register_log_actions")
def organisation_log_actions(actions):
    for action, label, message in ORGANISATION_LOG_ACTIONS:
        actions.register_action(action, label, message)


# Support requests followed to their result (website/accompaniment_admin.py).


@hooks.register("register_admin_urls")
def support_request_admin_urls():
    views = accompaniment_admin
    urls = [
        path("", views.index, name="index"),
        path("<int:pk>/", views.detail, name="detail"),
        path("<int:pk>/statut/", views.change_status, name="status"),
        path("<int:pk>/responsable/", views.assign, name="assign"),
        path("<int:pk>/notes/", views.add_note, name="note"),
    ]
    return [
        path(
            "accompagnement/",
            include((urls, "website_support_requests"), namespace="website_support_requests"),
        )
    ]


@hooks.register("register_admin_menu_item")
def support_request_menu_item():
    return PermissionMenuItem(
        _("Accompagnement"),
        reverse("website_support_requests:index"),
        name="support-requests",
        icon_name="help",
        order=250,
        permission=accompaniment_admin.VIEW,
    )


@hooks.register("register_permissions")
def support_request_permissions():
    return Permission.objects.filter(
        content_type__app_label="website", codename__in=["view_supportrequest", "change_supportrequest"]
    )


@hooks.register("register_log_actions")
def support_request_log_actions(actions):
    for action, label, message in accompaniment.LOG_ACTIONS:
        actions.register_action(action, label, message)


@hooks.register("register_log_actions")
def privacy_log_actions(actions):
    for kind, label in PersonalDataRequest.Kind.choices:
        actions.register_action(f"website.personal_data.{kind}", label, PRIVACY_LOG_MESSAGES[kind])


@hooks.register("filter_form_submissions_for_user")
def submissions_need_their_own_permission(user, editable_forms):
    # Wagtail shows a form's submissions to anyone who may edit the form page; they hold personal data.
    if not user.has_perm(VIEW_SUBMISSIONS):
        return editable_forms.none()
    return editable_forms


@hooks.register("register_permissions")
def form_submission_permissions():
    return Permission.objects.filter(
        content_type__app_label="wagtailforms", codename__in=["view_formsubmission", "delete_formsubmission"]
    )


@hooks.register("register_admin_urls")
def guarded_submission_deletion():
    # Matched before wagtail.contrib.forms' own address (website comes first in INSTALLED_APPS):
    # deleting submissions needs the delete permission, not only the right to read them.
    return [
        path(
            "forms/submissions/<int:page_id>/delete/",
            permission_required(VIEW_SUBMISSIONS, DELETE_SUBMISSIONS)(DeleteSubmissionsView.as_view()),
        )
    ]


@hooks.register("register_search_source")
def library_documents_search_source():
    return DocumentSearchSource()

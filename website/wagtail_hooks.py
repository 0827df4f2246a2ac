from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.contrib.forms.views import DeleteSubmissionsView
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from website.exports import FormulaSafeSnippetViewSet
from website.models import Region, ResourceCategory
from website.permissions import DELETE_SUBMISSIONS, VIEW_SUBMISSIONS, permission_required


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
    items = (RegionViewSet, ResourceCategoryViewSet)


register_snippet(ReferenceDataGroup)


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

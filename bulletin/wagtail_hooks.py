"""The babillard in the Wagtail admin: moderation list, bulk approve/reject, history, dashboard."""

from django import forms
from django.db.models import Count
from django.template.loader import render_to_string
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter, ModelMultipleChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from bulletin import selectors, services, space
from bulletin.admin_views import (
    ApprovePostView,
    BoardInspectView,
    PostEditView,
    RejectForm,
    RejectPostView,
)
from bulletin.forms import PostAdminForm
from bulletin.models import AlertSubscription, ContactMessage, Post, Report
from bulletin.search import PostSearchSource
from bulletin.transitions import APPROVE, REJECT, TransitionError, can
from website.exports import FormulaSafeSnippetViewSet
from website.home_slots import HomeSlot
from website.models import Region, ResourceCategory
from website.organisation_profile import ProfileSection
from website.support_outcomes import SupportOutcome

LOG_ACTIONS = [
    ("bulletin.post.submitted", _("Soumise"), _("Annonce soumise par le public")),
    ("bulletin.post.confirmed", _("Courriel confirmé"), _("Courriel confirmé : en attente de modération")),
    ("bulletin.post.approved", _("Publiée"), _("Annonce publiée")),
    ("bulletin.post.rejected", _("Refusée"), _("Annonce refusée")),
    ("bulletin.post.hidden", _("Masquée"), _("Annonce masquée après signalements")),
    ("bulletin.post.edited", _("Modifiée par l'auteur"), _("Annonce modifiée par l'auteur")),
    ("bulletin.post.renewed", _("Renouvelée"), _("Annonce renouvelée")),
    ("bulletin.post.closed", _("Fermée"), _("Annonce fermée avec son résultat")),
    ("bulletin.post.expired", _("Expirée"), _("Annonce expirée")),
]


@hooks.register("register_log_actions")
def register_post_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)


class PostFilterSet(WagtailFilterSet):
    state = ChoiceFilter(label=_("État"), choices=Post.State.choices)
    kind = ChoiceFilter(label=_("Type"), choices=Post.Kind.choices)
    category = ModelChoiceFilter(label=_("Catégorie"), queryset=ResourceCategory.objects.all())
    regions = ModelMultipleChoiceFilter(label=_("Régions"), queryset=Region.objects.all())
    reported = BooleanFilter(label=_("Signalée"), method="filter_reported")

    class Meta:
        model = Post
        fields = ["state", "kind", "category", "regions"]

    def filter_reported(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(reports__isnull=not value).distinct()


class BoardViewSet(FormulaSafeSnippetViewSet):
    """What every babillard screen shares: safe exports and inspection in local time."""

    inspect_view_class = BoardInspectView


class PostViewSet(BoardViewSet):
    model = Post
    icon = "pick"
    menu_label = _("Annonces")
    list_display = ["title", "kind", "category", "organisation", "state", "report_count", "created_at"]
    list_per_page = 50
    filterset_class = PostFilterSet
    ordering = ["-created_at"]
    list_export = [
        "pk",
        "title",
        "get_kind_display",
        "get_state_display",
        "category",
        "organisation",
        "member_organisation",
        "contact_name",
        "contact_email",
        "created_at",
        "published_at",
        "expires_on",
        "get_outcome_display",
        "partner_organisation",
        "savings_money",
        "savings_hours",
        "savings_km",
        "report_count",
    ]
    export_headings = {
        "pk": "id",
        "report_count": _("signalements"),
        "get_kind_display": _("type d'annonce"),
        "get_state_display": _("état"),
        "get_outcome_display": _("résultat"),
    }
    export_filename = "annonces-babillard"
    edit_view_class = PostEditView
    edit_template_name = "bulletin/admin/post_edit.html"
    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("category")]),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("member_organisation"),
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("show_phone")]),
                FieldPanel("language"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("image"),
        FieldPanel("image_alt"),
        FieldRowPanel(
            [FieldPanel("available_from"), FieldPanel("available_until"), FieldPanel("expires_on")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("premises_capacity"), FieldPanel("premises_accessible")]),
                FieldPanel("transport_route"),
                FieldRowPanel(
                    [
                        FieldPanel("staff_hours_per_week"),
                        FieldPanel("training_seats"),
                        FieldPanel("training_cost"),
                    ]
                ),
            ],
            heading=_("Détails selon la ressource"),
            classname="collapsed",
        ),
        MultiFieldPanel(
            [
                FieldPanel("outcome"),
                FieldRowPanel([FieldPanel("partner_organisation"), FieldPanel("partner")]),
                FieldPanel("support_request"),
                FieldRowPanel(
                    [FieldPanel("savings_money"), FieldPanel("savings_hours"), FieldPanel("savings_km")]
                ),
            ],
            heading=_("Résultat"),
            classname="collapsed",
        ),
        FieldPanel("notify_matches"),
    ]

    def get_queryset(self, request):
        return Post.objects.select_related("category").annotate(reports_total=Count("reports"))

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=PostAdminForm).bind_to_model(self.model)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(
            approve_url_name=self.get_url_name("approve"),
            reject_url_name=self.get_url_name("reject"),
            **kwargs,
        )

    def get_urlpatterns(self):
        decision = {"permission_policy": self.permission_policy, "edit_url_name": self.get_url_name("edit")}
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", ApprovePostView.as_view(**decision), name="approve"),
            path("reject/<int:pk>/", RejectPostView.as_view(**decision), name="reject"),
        ]


class ReportViewSet(BoardViewSet):
    model = Report
    icon = "warning"
    menu_label = _("Signalements")
    list_display = ["post", "reason", "details", "created_at", "confirmed_at"]
    list_filter = ["reason"]
    list_export = ["post", "get_reason_display", "details", "email", "created_at", "confirmed_at"]
    export_headings = {"get_reason_display": _("motif")}
    inspect_view_enabled = True
    inspect_view_fields = ["post", "reason", "details", "email", "language", "created_at", "confirmed_at"]


class ContactMessageViewSet(BoardViewSet):
    model = ContactMessage
    icon = "mail"
    menu_label = _("Messages relayés")
    list_display = ["post", "sender_name", "sender_organisation", "created_at"]
    list_export = ["post", "sender_name", "sender_organisation", "sender_email", "created_at"]
    inspect_view_enabled = True


class AlertSubscriptionViewSet(BoardViewSet):
    model = AlertSubscription
    icon = "mail"
    menu_label = _("Alertes")
    list_display = ["email", "kind", "category", "region", "confirmed_at", "unsubscribed_at"]
    list_export = [
        "email",
        "get_kind_display",
        "category",
        "region",
        "get_language_display",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "consent_text",
        "consent_ip",
    ]
    export_headings = {"get_kind_display": _("type d'annonce"), "get_language_display": _("langue")}
    inspect_view_enabled = True


class BulletinGroup(SnippetViewSetGroup):
    menu_label = _("Babillard")
    menu_icon = "pick"
    menu_order = 200
    items = (PostViewSet, ReportViewSet, ContactMessageViewSet, AlertSubscriptionViewSet)


register_snippet(BulletinGroup)


@hooks.register("after_create_snippet")
def publish_post_written_by_an_editor(request, instance):
    if isinstance(instance, Post):
        services.publish_new_post(instance, request.user)


class ApprovePostsBulkAction(SnippetBulkAction):
    display_name = _("Publier")
    action_type = "approve"
    aria_label = _("Publier les annonces choisies")
    template_name = "bulletin/admin/confirm_bulk_approve.html"
    action_priority = 10
    models = [Post]

    def check_perm(self, post):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", post)

    transition = APPROVE

    @staticmethod
    def apply(post, user, **kwargs):
        services.approve_post(post, user=user)

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        """Apply the decision to each chosen post whose state allows it; the others are left as they are."""
        done = 0
        for post in objects:
            if not can(post, cls.transition):
                continue
            try:
                cls.apply(post, user, **kwargs)
                done += 1
            except TransitionError:
                continue  # its state changed since the list was shown
        return done, 0

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d annonce publiée.", "%(count)d annonces publiées.", num_parent_objects) % {
            "count": num_parent_objects
        }


class RejectPostsBulkAction(ApprovePostsBulkAction):
    display_name = _("Refuser")
    action_type = "reject"
    aria_label = _("Refuser les annonces choisies")
    template_name = "bulletin/admin/confirm_bulk_reject.html"
    action_priority = 20
    form_class = RejectForm
    transition = REJECT

    def get_execution_context(self):
        return {**super().get_execution_context(), "reason": self.cleaned_form.cleaned_data["reason"]}

    @staticmethod
    def apply(post, user, reason="", **kwargs):
        services.reject_post(post, reason, user=user)

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d annonce refusée.", "%(count)d annonces refusées.", num_parent_objects) % {
            "count": num_parent_objects
        }


hooks.register("register_bulk_action", ApprovePostsBulkAction)
hooks.register("register_bulk_action", RejectPostsBulkAction)


class ModerationPanel(Component):
    order = 50

    def render_html(self, parent_context=None):
        counts = (
            Post.objects.filter(state__in=[Post.State.PENDING, Post.State.HIDDEN])
            .values("state")
            .annotate(n=Count("pk"))
        )
        by_state = {row["state"]: row["n"] for row in counts}
        return render_to_string(
            "bulletin/admin/dashboard_panel.html",
            {"pending": by_state.get(Post.State.PENDING, 0), "hidden": by_state.get(Post.State.HIDDEN, 0)},
        )


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    if request.user.has_perm("bulletin.change_post"):
        panels.append(ModerationPanel())


@hooks.register("register_search_source")
def board_posts_search_source():
    return PostSearchSource()


@hooks.register("register_home_slot")
def board_home_slot():
    return HomeSlot(
        name="latest_posts",
        template="bulletin/includes/home_slot.html",
        order=10,
        value=lambda request: selectors.latest_published(3),
    )


@hooks.register("register_organisation_section")
def board_organisation_section():
    return ProfileSection(
        name="current_posts",
        template="bulletin/includes/organisation_section.html",
        order=10,
        value=selectors.current_posts_of,
    )


@hooks.register("register_organisation_section")
def board_mutualisations_section():
    return ProfileSection(
        name="mutualisations",
        template="bulletin/includes/organisation_mutualisations.html",
        order=15,
        value=selectors.completed_mutualisations_of,
    )


@hooks.register("register_support_request_outcome")
def board_support_outcome():
    return SupportOutcome(
        label=_("Annonces du babillard"), items=selectors.posts_of_support_request, order=10
    )


# The person's own space (/mon-espace/): their posts, their organisations' posts, their alerts.
hooks.register("register_space_section", space.posts_section)
hooks.register("register_space_section", space.alerts_section)

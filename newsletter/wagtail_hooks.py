"""The newsletter in the Wagtail admin."""

from django import forms
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from newsletter import admin_views, consent_renewal, space
from newsletter.forms import signup_form
from newsletter.models import ConsentRecord, NewsletterIssuePage, Send, Subscriber, Topic
from newsletter.search import IssueSearchSource
from website.exports import FormulaSafeSnippetViewSet
from website.home_slots import HomeSlot
from website.permissions import PermissionMenuItem


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    urls = [
        path("numeros/<int:pk>/", admin_views.issue_send, name="issue"),
        path("numeros/<int:pk>/test/", admin_views.send_test, name="send_test"),
        path("numeros/<int:pk>/envoyer/", admin_views.send_now, name="send_now"),
        path("numeros/<int:pk>/planifier/", admin_views.schedule, name="schedule"),
        path("envois/<int:send_pk>/pause/", admin_views.pause, name="pause"),
        path("envois/<int:send_pk>/reprendre/", admin_views.resume, name="resume"),
        path("envois/<int:send_pk>/annuler/", admin_views.cancel, name="cancel"),
        path("envois/<int:send_pk>/progression/", admin_views.progress, name="progress"),
        path("abonnes/importer/", admin_views.import_subscribers, name="import"),
        path("abonnes/<int:pk>/registre.csv", admin_views.ledger, name="ledger"),
    ]
    return [path("infolettre/", include((urls, "newsletter_admin"), namespace="newsletter_admin"))]


@hooks.register("insert_editor_js")
def preview_mode_js():
    """An issue's email previews: a preview mode chosen while a preview loads is not lost."""
    return format_html('<script src="{}" defer></script>', versioned_static("newsletter/preview_mode.js"))


class SendIssueMenuItem(PageMenuItem):
    label = _("Envoyer")
    icon_name = "mail"
    url_name = "newsletter_admin:issue"

    def is_shown(self, user):
        return user.has_perm("newsletter.send_issue") and self.page.permissions_for_user(user).can_publish()


def is_issue(page):
    return issubclass(page.specific_class or type(page), NewsletterIssuePage)


@hooks.register("register_page_header_buttons")
def send_button(page, user, view_name, next_url=None):
    if is_issue(page):
        yield SendIssueMenuItem(page=page, priority=11)


@hooks.register("register_page_listing_buttons")
def send_listing_button(page, user, next_url=None):
    if is_issue(page):
        yield SendIssueMenuItem(page=page, priority=15)


EXPIRING = "90"


class SubscriberFilterSet(WagtailFilterSet):
    state = ChoiceFilter(label=_("Statut"), choices=Subscriber.State.choices)
    topics = ModelChoiceFilter(label=_("Thème"), queryset=Topic.objects.all())
    language = ChoiceFilter(label=_("Langue"), choices=Subscriber._meta.get_field("language").choices)
    consent = ChoiceFilter(
        label=_("Consentement tacite"),
        choices=[(EXPIRING, _("Prend fin dans les 90 prochains jours"))],
        method="filter_consent",
    )

    class Meta:
        model = Subscriber
        fields = ["state", "topics", "language", "consent"]

    def filter_consent(self, queryset, name, value):
        return consent_renewal.expiring(queryset=queryset) if value == EXPIRING else queryset


class SubscriberViewSet(FormulaSafeSnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Abonnés")
    list_display = [
        "email",
        "first_name",
        "organisation",
        "language",
        "state",
        "confirmed_at",
        "consent_expires_at",
    ]
    filterset_class = SubscriberFilterSet
    search_fields = ["email", "first_name", "organisation"]
    search_backend_name = None
    list_export = [
        "email",
        "first_name",
        "organisation",
        "member_organisation",
        "language",
        "state",
        "created_at",
        "confirmed_at",
        "consent_expires_at",
        "unsubscribed_at",
    ]
    export_filename = "abonnes-infolettre"
    inspect_view_enabled = True
    panels = [
        FieldPanel("email"),
        FieldPanel("first_name"),
        FieldPanel("organisation"),
        FieldPanel("member_organisation"),
        FieldPanel("language"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("state"),
        FieldPanel("consent_expires_at"),
        FieldPanel("hard_bounces"),
        FieldPanel("confirmed_at"),
        FieldPanel("unsubscribed_at"),
    ]


class ConsentRecordViewSet(FormulaSafeSnippetViewSet):
    model = ConsentRecord
    icon = "doc-full"
    menu_label = _("Registre de consentement")
    list_display = ["subscriber", "action", "method", "kind", "created_at"]
    list_filter = ["action", "method", "kind"]
    list_export = ["subscriber", "action", "method", "kind", "wording", "ip_address", "details", "created_at"]
    inspect_view_enabled = True
    add_to_admin_menu = False


class SendViewSet(FormulaSafeSnippetViewSet):
    model = Send
    icon = "mail"
    menu_label = _("Envois")
    list_display = ["issue", "state", "scheduled_at", "started_at", "finished_at"]
    list_filter = ["state"]
    inspect_view_enabled = True


class TopicViewSet(FormulaSafeSnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = _("Thèmes")
    list_display = ["name", "name_en", "slug"]


class NewsletterGroup(SnippetViewSetGroup):
    menu_label = _("Infolettre")
    menu_icon = "mail"
    menu_order = 220
    items = (SubscriberViewSet, ConsentRecordViewSet, SendViewSet, TopicViewSet)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            PermissionMenuItem(
                _("Importer des abonnés"),
                reverse("newsletter_admin:import"),
                icon_name="upload",
                order=900,
                permission="newsletter.import_subscribers",
            ),
        ]


register_snippet(NewsletterGroup)


@hooks.register("register_snippet_listing_buttons")
def ledger_button(snippet, user, next_url=None):
    if isinstance(snippet, Subscriber) and user.has_perm("newsletter.view_consentrecord"):
        yield ListingMenuItem(
            _("Registre de consentement (CSV)"),
            reverse("newsletter_admin:ledger", args=[snippet.pk]),
            icon_name="download",
            priority=50,
        )


class ExpiringConsentPanel(Component):
    """Dashboard: how many implied consents lapse in the next 90 days, the soonest listed."""

    order = 60
    shown = 10

    def render_html(self, parent_context=None):
        expiring = consent_renewal.expiring()
        context = {
            "count": expiring.count(),
            "soonest": list(
                expiring.only("pk", "email", "consent_expires_at", "renewal_asked_for")[: self.shown]
            ),
            "list_url": reverse("wagtailsnippets_newsletter_subscriber:list") + f"?consent={EXPIRING}",
        }
        return render_to_string("newsletter/admin/expiring_consent_panel.html", context)


@hooks.register("construct_homepage_panels")
def add_expiring_consent_panel(request, panels):
    if request.user.has_perm("newsletter.view_subscriber"):
        panels.append(ExpiringConsentPanel())


@hooks.register("register_search_source")
def newsletter_issues_search_source():
    return IssueSearchSource()


@hooks.register("register_home_slot")
def newsletter_home_slot():
    return HomeSlot(
        name="newsletter_form",
        template="newsletter/includes/home_slot.html",
        order=30,
        value=signup_form,
    )


# The person's own space (/mon-espace/): their subscription and its preferences.
hooks.register("register_space_section", space.subscription_section)

"""Events in the Wagtail admin: registrations, per-event screens, dashboard panel."""

from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.widgets import Button, ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from events import admin_views, selectors, services, space
from events.models import EventKind, EventPage, Registration
from events.search import EventSearchSource
from website.exports import FormulaSafeIndexView, FormulaSafeSnippetViewSet
from website.home_slots import HomeSlot
from website.organisation_profile import ProfileSection
from website.support_outcomes import SupportOutcome

LOG_ACTIONS = [
    ("events.registration.confirmed", _("Inscription confirmée")),
    ("events.registration.pending", _("Inscription en attente d'approbation")),
    ("events.registration.waiting", _("Inscription en liste d'attente")),
    ("events.registration.cancelled", _("Inscription annulée")),
    ("events.registration.changed", _("Places modifiées")),
    ("events.registration.promoted", _("Promue de la liste d'attente")),
    ("events.registration.accepted", _("Place offerte acceptée")),
    ("events.registration.offer_expired", _("Offre de place expirée")),
    ("events.registration.approved", _("Inscription approuvée")),
    ("events.registration.rejected", _("Inscription refusée")),
    ("events.registration.released", _("Places libérées faute de confirmation")),
    ("events.event.confirmed", _("Événement confirmé (seuil atteint)")),
    ("events.event.cancelled", _("Événement annulé")),
    ("events.event.emailed", _("Courriel aux personnes inscrites")),
]


@hooks.register("register_log_actions")
def register_event_actions(actions):
    for action, label in LOG_ACTIONS:
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def event_admin_urls():
    urls = [
        path("<int:pk>/", admin_views.summary, name="summary"),
        path("<int:pk>/presences/", admin_views.checkin, name="checkin"),
        path("<int:pk>/courriel/", admin_views.bulk_email, name="bulk_email"),
        path("<int:pk>/annuler/", admin_views.cancel, name="cancel"),
        path("inscriptions/<int:pk>/places/", admin_views.registration_seats, name="registration_seats"),
        path("inscriptions/<int:pk>/annuler/", admin_views.registration_cancel, name="registration_cancel"),
    ]
    return [path("evenements/", include((urls, "events_admin"), namespace="events_admin"))]


@hooks.register("register_page_header_buttons")
def registrations_button(page, user, view_name, next_url=None):
    if isinstance(page.specific, EventPage) and user.has_perm("events.view_registration"):
        yield PageMenuItem(
            _("Inscriptions"),
            reverse("events_admin:summary", args=[page.pk]),
            icon_name="group",
            priority=12,
            page=page,
        )


@hooks.register("register_page_listing_buttons")
def registrations_listing_button(page, user, next_url=None):
    """ "Inscriptions" beside each event in the page explorer, for those who may read registrations."""
    if issubclass(page.specific_class or type(page), EventPage) and user.has_perm("events.view_registration"):
        yield ListingButton(
            _("Inscriptions"),
            reverse("events_admin:summary", args=[page.pk]),
            icon_name="group",
            priority=12,
            attrs={
                "aria-label": _("Inscriptions à « %(title)s »") % {"title": page.get_admin_display_title()}
            },
        )


@hooks.register("register_snippet_listing_buttons")
def registration_seats_button(snippet, user, next_url=None):
    if isinstance(snippet, Registration) and user.has_perm("events.change_registration"):
        yield Button(
            _("Modifier les places"),
            reverse("events_admin:registration_seats", args=[snippet.pk]),
            icon_name="group",
            priority=15,
        )


class RegistrationFilterSet(WagtailFilterSet):
    event = ModelChoiceFilter(label=_("Événement"), queryset=EventPage.objects.order_by("-start"))
    state = ChoiceFilter(label=_("Statut"), choices=Registration.State.choices)

    class Meta:
        model = Registration
        fields = ["event", "state"]


class RegistrationIndexView(FormulaSafeIndexView):
    add_item_label = _("Ajouter une inscription")


class EventKindIndexView(FormulaSafeIndexView):
    add_item_label = _("Ajouter un type d'événement")


class RegistrationViewSet(FormulaSafeSnippetViewSet):
    model = Registration
    index_view_class = RegistrationIndexView
    icon = "group"
    menu_label = _("Inscriptions")
    list_display = ["organisation", "contact_name", "event", "seats", "state", "created_at"]
    filterset_class = RegistrationFilterSet
    search_fields = ["organisation", "contact_name", "email"]
    search_backend_name = None
    ordering = ["event", "created_at"]
    list_export = [
        "event",
        "get_state_display",
        "organisation",
        "member_organisation",
        "contact_name",
        "email",
        "seats",
        "attendee_names",
        "dietary_needs",
        "accessibility_needs",
        "answers",
        "newsletter_consent",
        "created_at",
        "attended",
    ]
    export_headings = {"get_state_display": _("Statut")}
    export_filename = "inscriptions"
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Registration.objects.select_related("event")

    add_view_class = admin_views.RegistrationCreateView

    def get_add_view_kwargs(self, **kwargs):
        """Adding a registration types who comes and how many; the rules decide whether they hold seats
        or wait (admin_views.RegistrationCreateView)."""
        panel = ObjectList(
            [
                HelpPanel(
                    _(
                        "L'inscription suit les mêmes règles que le formulaire public : places libres, "
                        "liste d'attente et courriel de confirmation à la personne."
                    )
                ),
                FieldPanel("event"),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("email")]),
                FieldPanel("organisation"),
                FieldRowPanel([FieldPanel("seats"), FieldPanel("allow_partial")]),
                FieldPanel("attendee_names"),
                FieldPanel("dietary_needs"),
                FieldPanel("accessibility_needs"),
                FieldRowPanel([FieldPanel("language"), FieldPanel("newsletter_consent")]),
            ]
        ).bind_to_model(self.model)
        return super().get_add_view_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        """Editing a registration changes what the person wrote, never who holds a seat: its event,
        seats and state change only through the rules (capacity under a lock, the waiting list,
        the email to the person), on the event's screens."""
        panel = ObjectList(
            [
                HelpPanel(
                    _(
                        "Les places et le statut se changent depuis l'écran Inscriptions de l'événement "
                        "(« Modifier les places », aussi dans le menu de chaque ligne de la liste)."
                    )
                ),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("email")]),
                FieldPanel("organisation"),
                FieldPanel("member_organisation"),
                FieldPanel("attendee_names"),
                FieldPanel("dietary_needs"),
                FieldPanel("accessibility_needs"),
                FieldPanel("answers"),
                FieldRowPanel([FieldPanel("allow_partial"), FieldPanel("newsletter_consent")]),
                FieldRowPanel([FieldPanel("language"), FieldPanel("attended")]),
            ]
        ).bind_to_model(self.model)
        return super().get_edit_view_kwargs(panel=panel, form_class=panel.get_form_class(), **kwargs)


class EventKindViewSet(FormulaSafeSnippetViewSet):
    model = EventKind
    index_view_class = EventKindIndexView
    icon = "tag"
    menu_label = _("Types d'événements")
    list_display = [
        "name",
        "name_en",
        "slug",
        BooleanColumn("shares_costs", label=capfirst(EventKind._meta.get_field("shares_costs").verbose_name)),
    ]


class EventsGroup(SnippetViewSetGroup):
    menu_label = _("Événements")
    menu_icon = "date"
    menu_order = 210
    items = (RegistrationViewSet, EventKindViewSet)


register_snippet(EventsGroup)


class ApproveRegistrationsBulkAction(SnippetBulkAction):
    display_name = _("Approuver")
    action_type = "approve_registrations"
    aria_label = _("Approuver les inscriptions choisies")
    template_name = "events/admin/confirm_bulk.html"
    models = [Registration]
    service = staticmethod(services.approve)

    def check_perm(self, registration):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", registration
        )

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done = 0
        for registration in objects:
            try:
                cls.service(registration, user=user)
                done += 1
            except services.RegistrationError:
                continue  # no longer pending
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d inscription traitée.", "%(count)d inscriptions traitées.", num_parent_objects
        ) % {"count": num_parent_objects}


class RejectRegistrationsBulkAction(ApproveRegistrationsBulkAction):
    display_name = _("Refuser")
    action_type = "reject_registrations"
    aria_label = _("Refuser les inscriptions choisies")
    service = staticmethod(services.reject)


hooks.register("register_bulk_action", ApproveRegistrationsBulkAction)
hooks.register("register_bulk_action", RejectRegistrationsBulkAction)


class UpcomingEventsPanel(Component):
    order = 60

    def render_html(self, parent_context=None):
        events = (
            EventPage.objects.live()
            .filter(start__gte=timezone.now())
            .order_by("start")
            .annotate(
                taken=Sum("registrations__seats", filter=Q(registrations__state__in=Registration.HOLDING))
            )[:8]
        )
        rows = [
            (
                event,
                event.taken or 0,
                round(100 * (event.taken or 0) / event.capacity) if event.capacity else 0,
            )
            for event in events
        ]
        return render_to_string("events/admin/dashboard_panel.html", {"rows": rows})


@hooks.register("construct_homepage_panels")
def add_events_panel(request, panels):
    if request.user.has_perm("events.view_registration"):
        panels.append(UpcomingEventsPanel())


@hooks.register("register_search_source")
def events_search_source():
    return EventSearchSource()


@hooks.register("register_home_slot")
def events_home_slot():
    return HomeSlot(
        name="upcoming_events",
        template="events/includes/home_slot.html",
        order=20,
        value=lambda request: selectors.upcoming_pages(3),
    )


@hooks.register("register_organisation_section")
def events_organisation_section():
    return ProfileSection(
        name="events_taken_part",
        template="events/includes/organisation_section.html",
        order=20,
        value=selectors.events_taken_part_count,
    )


@hooks.register("register_support_request_outcome")
def events_support_outcome():
    return SupportOutcome(label=_("Événements"), items=selectors.events_of_support_request, order=20)


# The person's own space (/mon-espace/): their registrations, their organisations' registrations.
hooks.register("register_space_section", space.registrations_section)

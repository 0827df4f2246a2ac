"""What other apps may ask about events (read only). The newsletter's issue blocks read events here."""

from django.urls import reverse
from django.utils import timezone

from events.models import EventKind, EventPage, Registration
from website.i18n import in_active_locale, in_default_locale


def event_kind_choices():
    """(slug, label) of every kind of event, for a choice list."""
    return [(kind.slug, kind.label) for kind in EventKind.objects.all()]


def upcoming_events(*, kind="", limit=5, now=None):
    """Events still to come and not cancelled, soonest first: one source page per event, whatever the
    language (show each with `website.i18n.localized` / `page_url`)."""
    events = (
        in_default_locale(EventPage.objects.live().public())
        .filter(start__gte=now or timezone.now())
        .exclude(state=EventPage.State.CANCELLED)
    )
    if kind:
        events = events.filter(kind__slug=kind)
    return list(events.select_related("kind").order_by("start")[:limit])


def upcoming_pages(limit=3):
    """The home page's next events, as pages of the reader's language (links stay under `/en/`)."""
    return (
        in_active_locale(EventPage.objects.live().public())
        .filter(end__gte=timezone.now())
        .exclude(state=EventPage.State.CANCELLED)
        .select_related("kind", "region")
        .order_by("start")[:limit]
    )


def events_taken_part_count(organisation, now=None):
    """How many past events the organisation took part in (a registration that held seats): a count
    only, for its public profile."""
    registrations = Registration.objects.filter(
        member_organisation=organisation,
        state=Registration.State.CONFIRMED,
        event__start__lt=now or timezone.now(),
    )
    return registrations.values("event").distinct().count()


def support_requests_with_events():
    """The ids of the support requests that led to an event (a subquery for `pk__in`)."""
    return EventPage.objects.exclude(support_request=None).values("support_request")


def events_of_support_request(support_request):
    """(title, admin address) of the events that stemmed from `support_request` (source pages)."""
    events = in_default_locale(EventPage.objects.filter(support_request=support_request)).order_by("start")
    return [(event.title, reverse("wagtailadmin_pages:edit", args=[event.pk])) for event in events]

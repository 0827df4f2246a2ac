"""What other apps may ask about events (read only). The newsletter's issue blocks read events here."""

from collections import OrderedDict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Sum
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from events.models import EventKind, EventPage, Registration
from events.services.costs import cost_shares
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


# --- Figures (the "Mesure" dashboard): what the events did over a period ------------------------------

PROMOTED = "events.registration.promoted"


def _events_in_scope(*, start, end, region=""):
    """Source event pages that start in the period and were not cancelled, narrowed by region (MRC)."""
    events = in_default_locale(EventPage.objects.all()).filter(start__gte=start, start__lt=end)
    events = events.exclude(state=EventPage.State.CANCELLED)
    return events.filter(region__slug=region) if region else events


def _promotions(registrations, start, end):
    """How many times a waiting-list entry of `registrations` was given seats (the audit log's
    `events.registration.promoted`), in the period."""
    ids = registrations.annotate(text_pk=Cast("pk", CharField())).values("text_pk")
    return ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Registration),
        action=PROMOTED,
        timestamp__gte=start,
        timestamp__lt=end,
        object_id__in=ids,
    ).count()


def event_figures(*, start, end, region="", organisation_kind="", now=None):
    """Registrations to events that start in the period (counted once confirmed): how many, how many
    people (seats), how many distinct organisations; the attendance rate of past events whose attendance
    was taken (people present / seats confirmed); waiting-list promotions. Five queries."""
    events = _events_in_scope(start=start, end=end, region=region)
    everyone = Registration.objects.filter(event__in=events)
    if organisation_kind:
        everyone = everyone.filter(member_organisation__kind=organisation_kind)
    confirmed = everyone.filter(state=Registration.State.CONFIRMED)
    totals = confirmed.aggregate(
        registrations=Count("pk"),
        people=Sum("seats"),
        organisations=Count("member_organisation", distinct=True),
    )
    taken = confirmed.filter(event__start__lt=now or timezone.now(), attended__isnull=False).aggregate(
        present=Sum("attended"), expected=Sum("seats")
    )
    return {
        "events": events.count(),
        "registrations": totals["registrations"],
        "people": totals["people"] or 0,
        "organisations": totals["organisations"],
        "present": taken["present"] or 0,
        "expected": taken["expected"] or 0,
        "promotions": _promotions(everyone, start, end),
    }


def _groups_by_event(registrations):
    """{event id: {organisation key: (name, seats, [registrations])}}, as `costs.participating` groups
    one event's confirmed registrations, for many events in one query."""
    groups = {}
    for registration in registrations.order_by("created_at", "pk"):
        event_groups = groups.setdefault(registration.event_id, OrderedDict())
        key = registration.organisation_key
        name, seats, members = event_groups.get(key, (registration.organisation, 0, []))
        event_groups[key] = (name, seats + registration.seats, [*members, registration])
    return groups


def shared_cost_figures(*, start, end, region="", organisation_kind=""):
    """Cost-shared trainings that start in the period: per training, its total cost, the organisations
    that share it, the shares they pay (the events' own cost rule) and what they saved against each
    paying the whole cost alone: saved = total cost − share, for each organisation. With
    `organisation_kind`, only organisations of that type are counted (the shares stay those of all).
    Two queries, whatever the number of trainings."""
    events = _events_in_scope(start=start, end=end, region=region).filter(total_cost__gt=0)
    events = list(events.order_by("start", "pk"))
    confirmed = Registration.objects.filter(event__in=events, state=Registration.State.CONFIRMED)
    groups = _groups_by_event(confirmed.select_related("member_organisation"))
    trainings = []
    for event in events:
        event_groups = groups.get(event.pk, OrderedDict())
        rows = [
            (members[0].member_organisation, amount)
            for (_name, _seats, members), (_n, _s, amount) in zip(
                event_groups.values(), cost_shares(event, event_groups), strict=True
            )
            if not organisation_kind
            or getattr(members[0].member_organisation, "kind", "") == organisation_kind
        ]
        paid = sum((amount for _org, amount in rows), Decimal("0"))
        trainings.append(
            {
                "event": event,
                "total": event.total_cost,
                "organisations": len(rows),
                "paid": paid,
                "saved": event.total_cost * len(rows) - paid,
            }
        )
    return trainings


def organisations_taking_part(*, start, end):
    """Ids of the organisations with a confirmed registration to an event that starts in the period (a
    lazy query, to be combined with others)."""
    registrations = Registration.objects.filter(
        state=Registration.State.CONFIRMED, event__start__gte=start, event__start__lt=end
    )
    return registrations.filter(member_organisation__isnull=False).values("member_organisation")


def support_requests_with_events():
    """The ids of the support requests that led to an event (a subquery for `pk__in`)."""
    return EventPage.objects.exclude(support_request=None).values("support_request")


def events_of_support_request(support_request):
    """(title, admin address) of the events that stemmed from `support_request` (source pages)."""
    events = in_default_locale(EventPage.objects.filter(support_request=support_request)).order_by("start")
    return [(event.title, reverse("wagtailadmin_pages:edit", args=[event.pk])) for event in events]

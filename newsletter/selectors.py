"""What other apps may ask the newsletter (read only): the "Mesure" dashboard's figures. Every function
takes keyword arguments and returns plain values."""

from django.db.models import Count, Min, Q
from django.db.models.functions import TruncMonth

from newsletter.models import Delivery, Send, Subscriber


def _subscribers_in_scope(*, region="", organisation_kind=""):
    subscribers = Subscriber.objects.all()
    if region:
        linked = Subscriber.objects.filter(member_organisation__regions__slug=region)
        subscribers = subscribers.filter(pk__in=linked.values("pk"))
    if organisation_kind:
        subscribers = subscribers.filter(member_organisation__kind=organisation_kind)
    return subscribers


def _per_month(queryset, field):
    """{first day of the month (a date, in the site's time zone): count} of `field`."""
    months = (
        queryset.annotate(month=TruncMonth(field)).order_by().values_list("month").annotate(n=Count("pk"))
    )
    return {month.date(): n for month, n in months}


def subscriber_figures(*, start, end, region="", organisation_kind=""):
    """Confirmed subscribers: how many at `start`, and per month of the period the sign-ups (confirmed
    that month) and unsubscribes. Subscribers are narrowed by their organisation's region (MRC) and type.
    A person erased at their request is no longer counted anywhere (Law 25). Three queries."""
    subscribers = _subscribers_in_scope(region=region, organisation_kind=organisation_kind)
    confirmed = subscribers.filter(confirmed_at__isnull=False)
    at_start = confirmed.filter(confirmed_at__lt=start).exclude(unsubscribed_at__lt=start).count()
    in_period = {"__gte": start, "__lt": end}
    signups = confirmed.filter(**{f"confirmed_at{k}": v for k, v in in_period.items()})
    unsubscribes = confirmed.filter(**{f"unsubscribed_at{k}": v for k, v in in_period.items()})
    return {
        "at_start": at_start,
        "signups": _per_month(signups, "confirmed_at"),
        "unsubscribes": _per_month(unsubscribes, "unsubscribed_at"),
    }


def issue_figures(*, start, end, region="", organisation_kind=""):
    """Per issue whose send was scheduled in the period: messages delivered (accepted by the mail
    server) and failed, to the subscribers in scope, oldest send first. One query."""
    sends = Send.objects.filter(scheduled_at__gte=start, scheduled_at__lt=end)
    deliveries = Delivery.objects.filter(
        send__in=sends,
        subscriber__in=_subscribers_in_scope(region=region, organisation_kind=organisation_kind),
    )
    rows = (
        deliveries.order_by()
        .values("issue_id", "issue__title")
        .annotate(
            delivered=Count("pk", filter=Q(state=Delivery.State.SENT)),
            failed=Count("pk", filter=Q(state=Delivery.State.FAILED)),
            first=Min("send__scheduled_at"),
        )
        .order_by("first", "issue_id")
    )
    return [(row["issue__title"], row["delivered"], row["failed"]) for row in rows]


def organisations_taking_part(*, start, end):
    """Ids of the organisations with a subscriber confirmed at some point of the period (a lazy query)."""
    subscribers = Subscriber.objects.filter(confirmed_at__lt=end).exclude(unsubscribed_at__lt=start)
    return subscribers.filter(member_organisation__isnull=False).values("member_organisation")

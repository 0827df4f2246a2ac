"""Who an issue goes to: confirmed subscribers with live consent, of the issue's topics, narrowed by the
MRC regions and organisation types the editor chose.

A subscriber matches the regions and types through the organisation their address is linked to
(`Subscriber.member_organisation`): one of the chosen regions, one of the chosen types. A subscriber
linked to no organisation has neither, so once a region or a type is chosen they are left out, unless
the issue says to include them (`include_unlinked`). An organisation with no region (or no type) on
record does not match a region (or type) filter either.

`recipients` is the one queryset: the send screen counts it and the sender snapshots it."""

from django.db.models import Q

from newsletter.models import Subscriber
from website.models.organisations import Organisation


def chosen(issue):
    """(region ids, organisation types) the issue narrows to: empty when it does not."""
    return list(issue.regions.values_list("pk", flat=True)), list(issue.organisation_kinds or [])


def matching_organisations(region_ids, kinds):
    organisations = Organisation.objects.all()
    if region_ids:
        organisations = organisations.filter(regions__in=region_ids)
    if kinds:
        organisations = organisations.filter(kind__in=kinds)
    return organisations.values("pk")


def of_topics(issue):
    subscribers = Subscriber.objects.mailable()
    topic_ids = list(issue.topics.values_list("pk", flat=True))
    if topic_ids:
        subscribers = subscribers.filter(
            pk__in=Subscriber.topics.through.objects.filter(topic_id__in=topic_ids).values("subscriber_id")
        )
    return subscribers


def recipients(issue):
    """Everyone the issue is for (before removing those it already reached)."""
    subscribers = of_topics(issue)
    region_ids, kinds = chosen(issue)
    if not region_ids and not kinds:
        return subscribers
    matches = Q(member_organisation__in=matching_organisations(region_ids, kinds))
    if issue.include_unlinked:
        matches |= Q(member_organisation__isnull=True)
    return subscribers.filter(matches)


def summary(issue):
    """What the send screen says about the issue's audience besides its count: the regions and types
    chosen, and how many subscribers of its topics are left out for want of a linked organisation."""
    region_ids, kinds = chosen(issue)
    narrowed = bool(region_ids or kinds)
    labels = dict(Organisation.Kind.choices)
    return {
        "narrowed": narrowed,
        "regions": [str(region) for region in issue.regions.all()] if region_ids else [],
        "kinds": [str(labels[kind]) for kind in kinds if kind in labels],
        "include_unlinked": issue.include_unlinked,
        "unlinked_left_out": (
            of_topics(issue).filter(member_organisation__isnull=True).count()
            if narrowed and not issue.include_unlinked
            else 0
        ),
    }

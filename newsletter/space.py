"""The newsletter's part of a person's space (website.space_sections): their subscription, its topics
and the link to its preferences (topics, language, unsubscribe). Two queries, whatever the topics."""

from newsletter import links
from newsletter.models import Subscriber
from website.space_sections import SpaceSection


def subscription(visitor):
    """[(subscriber, address of the preferences page)] for a subscription that was ever confirmed."""
    found = (
        Subscriber.objects.filter(email__iexact=visitor.email)
        .exclude(state=Subscriber.State.PENDING)
        .prefetch_related("topics")
    )
    return [(subscriber, links.path(subscriber, "newsletter.preferences")) for subscriber in found[:1]]


def subscriber_profile(records):
    subscriber = records[0][0]
    return {"first_name": subscriber.first_name, "organisation": subscriber.organisation}


def subscription_section():
    return SpaceSection(
        name="subscription",
        template="newsletter/includes/space_subscription.html",
        order=30,
        records=subscription,
        profile=subscriber_profile,
    )

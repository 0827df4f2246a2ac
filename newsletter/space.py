"""The newsletter's part of a person's space (website.space_sections): their subscription, its topics
and the link to its preferences (topics, language, unsubscribe). Two queries, whatever the topics."""

from dataclasses import dataclass

from newsletter import links
from newsletter.models import Subscriber
from website.space_sections import SpaceSection


def subscription(visitor):
    """[Subscription] of the visitor's address: a confirmed one leads to its preferences; a pending one
    (never confirmed) offers to resend its confirmation or to cancel it."""
    found = Subscriber.objects.filter(email__iexact=visitor.email).prefetch_related("topics")
    return [_links(subscriber) for subscriber in found[:1]]


@dataclass(frozen=True)
class Subscription:
    subscriber: Subscriber
    pending: bool
    preferences_url: str = ""
    resend_url: str = ""
    cancel_url: str = ""


def _links(subscriber):
    if subscriber.state == Subscriber.State.PENDING:
        return Subscription(
            subscriber,
            pending=True,
            resend_url=links.path(subscriber, "newsletter.resend"),
            cancel_url=links.path(subscriber, "newsletter.cancel"),
        )
    return Subscription(
        subscriber, pending=False, preferences_url=links.path(subscriber, "newsletter.preferences")
    )


def subscriber_profile(records):
    subscriber = records[0].subscriber
    return {"first_name": subscriber.first_name, "organisation": subscriber.organisation}


def subscription_section():
    return SpaceSection(
        name="subscription",
        template="newsletter/includes/space_subscription.html",
        order=30,
        records=subscription,
        profile=subscriber_profile,
    )

"""What the newsletter app sends outside the issue pipeline, through the outbox (a row first, queued on
commit): the sign-up confirmation, the "already subscribed" notice, and editors' test copies of an issue."""

from django.conf import settings
from django.db import transaction

from newsletter import rendering
from newsletter.links import confirm_link, link
from newsletter.models import Subscriber
from website.outbox import queue_email, queue_templated_email


def confirmation(subscriber, signup_request, language):
    """The double opt-in link; with a request, the link applies what it asked."""
    queue_templated_email(
        "newsletter/emails/confirm",
        {"subscriber": subscriber, "confirm_url": confirm_link(subscriber, signup_request)},
        [subscriber.email],
        language=language,
        tag="newsletter.confirm",
    )


def already_subscribed(subscriber):
    """A confirmed address signed up again: tell its owner, with their preferences link."""
    queue_templated_email(
        "newsletter/emails/already_subscribed",
        {"subscriber": subscriber, "preferences_url": link(subscriber, "newsletter.preferences")},
        [subscriber.email],
        language=subscriber.language,
        tag="newsletter.already",
    )


def issue_test_copies(issue, addresses, language=None):
    """One test copy per address, queued in the outbox (no Delivery rows). An address that belongs to a
    subscriber gets that subscriber's own working links; any other gets sample links to a page that
    says so. The copy shows the latest draft, so editors check it before publishing. Returns how many
    copies were queued."""
    language = language or settings.LANGUAGE_CODE
    rendered = rendering.render_issue(issue.get_latest_revision_as_object(), language)
    addresses = list(dict.fromkeys(address.strip().lower() for address in addresses))
    subscribers = {s.email: s for s in Subscriber.objects.filter(email__in=addresses)}
    with transaction.atomic():
        for address in addresses:
            subscriber = subscribers.get(address)
            if subscriber is None:
                links = rendering.sample_links(language)
            else:
                links = {
                    "unsubscribe_url": link(subscriber, "newsletter.unsubscribe", language=language),
                    "preferences_url": link(subscriber, "newsletter.preferences", language=language),
                }
            subject, html_body, text = rendering.personalise(rendered, **links)
            queue_email([address], f"[TEST] {subject}", text, html=html_body, tag="newsletter.test")
    return len(addresses)

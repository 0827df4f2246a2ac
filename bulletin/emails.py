"""Every email the board sends: its template, recipients, language, links and idempotency key.

The services decide *when* an email goes out (inside their transaction); this module says *what* goes
out. Each call queues a row in the outbox (`website.outbox`), delivered once the transaction commits.
A poster is written to in the language of their post, a reporter or subscriber in the one they used,
editors in the site's default language (the admin's)."""

from django.conf import settings

from bulletin import links
from bulletin.models import REPORTS_TO_HIDE
from website.outbox import queue_templated_email


def editors():
    return list(settings.EDITORS_EMAIL)


def to_poster(post, template, context=None, **kwargs):
    """Queue `template` to the post's contact, in the language they wrote the post in."""
    return queue_templated_email(
        template,
        {"post": post, "name": post.contact_name, **(context or {})},
        [post.contact_email],
        language=post.language,
        **kwargs,
    )


def to_editors(template, context, **kwargs):
    """Queue `template` to the editors, in the site's default language (the admin's)."""
    return queue_templated_email(template, context, editors(), language=settings.LANGUAGE_CODE, **kwargs)


# To the poster ------------------------------------------------------------------------------------


def confirm_post(post):
    return to_poster(
        post,
        "bulletin/emails/confirm_post",
        {"confirm_url": links.confirm_url(post)},
        key=f"bulletin.confirm:{post.pk}",
        tag="bulletin.confirm",
    )


def _online_context(post):
    return {"post_url": links.post_url(post, post.language), "manage_url": links.manage_url(post)}


def post_approved(post):
    return to_poster(
        post,
        "bulletin/emails/post_approved",
        _online_context(post),
        key=f"bulletin.approved:{post.pk}",
        tag="bulletin.approved",
    )


def post_republished(post):
    return to_poster(post, "bulletin/emails/post_republished", _online_context(post), tag="bulletin.approved")


def post_rejected(post, reason):
    return to_poster(
        post,
        "bulletin/emails/post_rejected",
        {"reason": reason, "submit_url": links.submit_url(post.language)},
        tag="bulletin.rejected",
    )


def relayed_message(message):
    """A visitor's message through the post's contact form; replies go straight to the sender."""
    post = message.post
    return to_poster(
        post,
        "bulletin/emails/contact_relay",
        {"message": message, "manage_url": links.manage_url(post)},
        reply_to=[message.sender_email],
        tag="bulletin.relay",
    )


def expiry_reminder(post):
    """One per expiry date (a renewed post gets a new one before its new date)."""
    return to_poster(
        post,
        "bulletin/emails/expiry_reminder",
        {"manage_url": links.manage_url(post)},
        key=f"bulletin.reminder:{post.pk}:{post.expires_on}",
        tag="bulletin.reminder",
    )


def match_found(recipient, found):
    """Tell `recipient`'s poster about `found`, once per pair."""
    return to_poster(
        recipient,
        "bulletin/emails/match",
        {"match": found, "match_url": links.post_url(found, recipient.language)},
        key=f"bulletin.match:{recipient.pk}:{found.pk}",
        tag="bulletin.match",
    )


# To the editors -----------------------------------------------------------------------------------


def new_post_to_editors(post):
    return to_editors(
        "bulletin/emails/editors_new_post",
        {"post": post, "admin_url": links.admin_url(post)},
        key=f"bulletin.editors_new:{post.pk}",
        tag="bulletin.editors",
    )


def edited_post_to_editors(post):
    return to_editors(
        "bulletin/emails/editors_post_edited",
        {"post": post, "admin_url": links.admin_url(post)},
        tag="bulletin.editors",
    )


def reported_post_to_editors(post, report):
    """Once per post: the first report."""
    return to_editors(
        "bulletin/emails/editors_post_reported",
        {"post": post, "report": report, "admin_url": links.admin_url(post), "threshold": REPORTS_TO_HIDE},
        key=f"bulletin.reported:{post.pk}",
        tag="bulletin.editors",
    )


def hidden_post_to_editors(post):
    return to_editors(
        "bulletin/emails/editors_post_hidden",
        {
            "post": post,
            "reports": list(post.reports.filter(confirmed_at__isnull=False)),
            "admin_url": links.admin_url(post),
        },
        tag="bulletin.editors",
    )


# To reporters and alert subscribers ---------------------------------------------------------------


def report_confirmation(report, post):
    return queue_templated_email(
        "bulletin/emails/report_confirm",
        {"report": report, "post": post, "confirm_url": links.report_url(report)},
        [report.email],
        language=report.language,
        key=f"bulletin.report_confirm:{report.pk}",
        tag="bulletin.report",
    )


def alert_confirmation(subscription):
    return queue_templated_email(
        "bulletin/emails/alert_confirm",
        {
            "subscription": subscription,
            "confirm_url": links.alert_url("alert_confirm", subscription, "alert.confirm"),
        },
        [subscription.email],
        language=subscription.language,
        key=f"bulletin.alert_confirm:{subscription.pk}",
        tag="bulletin.alert",
    )


def alert_digest(subscription, posts, day):
    """The day's new posts for one subscription, with a one-click unsubscribe (RFC 8058)."""
    unsubscribe = links.alert_url("alert_unsubscribe", subscription, "alert.unsubscribe")
    return queue_templated_email(
        "bulletin/emails/digest",
        {"subscription": subscription, "posts": posts, "unsubscribe_url": unsubscribe},
        [subscription.email],
        language=subscription.language,
        key=f"bulletin.digest:{subscription.pk}:{day}",
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        tag="bulletin.digest",
    )

"""Rules of the babillard: every change to a post, report, message or alert. Views, admin actions and
Celery tasks call these; each module holds one concern:

- `posting`: a post from the public form, and its poster's confirmation;
- `moderation`: editors publish or refuse;
- `management`: the poster edits, renews or closes through the magic link;
- `reports`: visitors report a post; enough confirmed reports hide it;
- `relay`: messages to a poster through the site;
- `expiry`: posts expire; posters are reminded first;
- `matching`: offers meet requests;
- `alerts`: email alerts and their daily digest.

Which action a post allows in which state is `bulletin.transitions`; what is emailed is
`bulletin.emails`; links and tokens are `bulletin.links`; what other apps may read is
`bulletin.selectors`. The names below are the services' public face (with the TransitionError they raise): import them
from here."""

from bulletin.services.alerts import (
    ALERT_CONSENT_TEXT,
    confirm_alert,
    posts_for_alert,
    send_daily_digests,
    subscribe_alert,
    unsubscribe_alert,
)
from bulletin.services.expiry import REMINDER_DAYS_BEFORE, expire_posts, send_expiry_reminders
from bulletin.services.management import close_post, renew_post, update_post
from bulletin.services.matching import matches_for, notify_matches, similar_posts
from bulletin.services.moderation import approve_post, publish_new_post, reject_post
from bulletin.services.posting import confirm_post, submit_post
from bulletin.services.relay import relay_message
from bulletin.services.reports import confirm_report, hiding_sources, network_hash, report_post
from bulletin.transitions import TransitionError  # what a service raises when the post's state refuses

__all__ = [
    "ALERT_CONSENT_TEXT",
    "REMINDER_DAYS_BEFORE",
    "TransitionError",
    "approve_post",
    "close_post",
    "confirm_alert",
    "confirm_post",
    "confirm_report",
    "expire_posts",
    "hiding_sources",
    "matches_for",
    "network_hash",
    "notify_matches",
    "posts_for_alert",
    "publish_new_post",
    "reject_post",
    "relay_message",
    "renew_post",
    "report_post",
    "send_daily_digests",
    "send_expiry_reminders",
    "similar_posts",
    "subscribe_alert",
    "submit_post",
    "unsubscribe_alert",
    "update_post",
]

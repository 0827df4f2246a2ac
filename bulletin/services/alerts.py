"""Email alerts: a visitor subscribes to new posts matching their criteria, gets at most one digest a day."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin import emails
from bulletin.models import AlertSubscription, Post
from website.i18n import current_language
from website.privacy import is_suppressed

ALERT_CONSENT_TEXT = _(
    "J'accepte de recevoir par courriel, au plus une fois par jour, les nouvelles annonces du babillard "
    "qui correspondent à mes critères. Je peux me désabonner en tout temps par le lien de chaque envoi."
)


def subscribe_alert(email, kind, category, region, ip=None):
    if is_suppressed(email):
        return None  # erased at the person's request: the same answer, and no email (website.privacy)
    with transaction.atomic():
        subscription = AlertSubscription.objects.create(
            email=email.strip().lower(),
            kind=kind or "",
            category=category,
            region=region,
            language=current_language(),
            consent_text=str(ALERT_CONSENT_TEXT),
            consent_ip=ip,
        )
        emails.alert_confirmation(subscription)
    return subscription


def confirm_alert(subscription):
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return subscription


def unsubscribe_alert(subscription):
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def posts_for_alert(subscription, since):
    posts = Post.objects.published().filter(published_at__gt=since)
    if subscription.kind:
        posts = posts.filter(kind=subscription.kind)
    if subscription.category_id:
        posts = posts.filter(category_id=subscription.category_id)
    if subscription.region_id:
        posts = posts.filter(regions=subscription.region_id)
    return posts.distinct().for_listing().order_by("published_at")


def send_daily_digests(now=None):
    """One digest per active subscription and day, listing the posts published since the last one."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    active = AlertSubscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    sent = 0
    for subscription in active.select_related("category", "region").iterator():
        since = subscription.last_digest_at or subscription.confirmed_at
        posts = list(posts_for_alert(subscription, since))
        with transaction.atomic():
            if posts:
                emails.alert_digest(subscription, posts, day)
                sent += 1
            AlertSubscription.objects.filter(pk=subscription.pk).update(last_digest_at=now)
    return sent

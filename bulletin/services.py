"""Rules of the babillard. Views, admin actions and Celery tasks all call these."""

import datetime
import ipaddress

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from bulletin.models import REPORTS_TO_HIDE, AlertSubscription, ContactMessage, Post, Report
from website.i18n import absolute_reverse, current_language
from website.outbox import queue_templated_email
from website.privacy import is_suppressed
from website.tokens import DAY, object_from_token, object_token

State = Post.State

CONFIRM_MAX_AGE = 7 * DAY
MANAGE_MAX_AGE = 200 * DAY  # longer than a post can live, so the last reminder's link still works
ALERT_MAX_AGE = 365 * DAY
REMINDER_DAYS_BEFORE = 5


class TransitionError(Exception):
    """The post is not in a state that allows this action."""


# What the poster may do through the magic link, by state: one rule for the page and the services.
EDITABLE = (State.UNCONFIRMED, State.PENDING, State.PUBLISHED)
RENEWABLE = (State.PUBLISHED, State.PENDING, State.EXPIRED)
CLOSABLE = (State.PUBLISHED, State.PENDING, State.HIDDEN, State.EXPIRED)
# What editors may decide, by state (the post's edit screen offers exactly these).
APPROVABLE = (State.UNCONFIRMED, State.PENDING, State.HIDDEN)
REJECTABLE = (State.UNCONFIRMED, State.PENDING, State.HIDDEN, State.PUBLISHED)
# Posts whose public address answers "gone" (410) rather than "not found".
GONE = (State.CLOSED, State.EXPIRED, State.REJECTED)


def can_edit(post):
    return post.state in EDITABLE


def can_renew(post):
    return post.state in RENEWABLE


def can_close(post):
    return post.state in CLOSABLE


def can_approve(post):
    return post.state in APPROVABLE


def can_reject(post):
    return post.state in REJECTABLE


# Links ------------------------------------------------------------------------------------------


# Links in emails are in the language of the person they are sent to (the poster's is on the post).


def absolute(path):
    return settings.SITE_URL + path


def confirm_url(post):
    token = object_token("post.confirm", post, "manage_secret")
    return absolute_reverse("bulletin:post_confirm", language=post.language, args=[token])


def manage_url(post):
    token = object_token("post.manage", post, "manage_secret")
    return absolute_reverse("bulletin:post_manage", language=post.language, args=[token])


def post_url(post, language):
    return absolute_reverse(
        "bulletin:post_detail", language=language, kwargs={"pk": post.pk, "slug": post.slug}
    )


def email_poster(post, template, context=None, **kwargs):
    """Queue `template` to the post's contact, in the language they wrote the post in."""
    return queue_templated_email(
        template,
        {"post": post, "name": post.contact_name, **(context or {})},
        [post.contact_email],
        language=post.language,
        **kwargs,
    )


def email_editors(template, context, **kwargs):
    """Queue `template` to the editors, in the site's default language (the admin's)."""
    return queue_templated_email(template, context, editors(), language=settings.LANGUAGE_CODE, **kwargs)


def post_from_token(token, purpose, max_age):
    return object_from_token(Post.objects.all(), token, purpose, max_age, "manage_secret")


def post_for_confirmation(token):
    return post_from_token(token, "post.confirm", CONFIRM_MAX_AGE)


def post_for_management(token):
    return post_from_token(token, "post.manage", MANAGE_MAX_AGE)


# State changes ----------------------------------------------------------------------------------


def _transition(post, allowed, to, action, user=None, data=None, **fields):
    """Move `post` to state `to` if it is in one of `allowed`, under a row lock, and log it."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.state not in allowed:
            raise TransitionError(f"{action}: {locked.state} is not one of {allowed}")
        locked.state = to
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["state", "updated_at", *fields])
        log(instance=locked, action=action, user=user, data=data or {})
    post.refresh_from_db()
    return post


def editors():
    return list(settings.EDITORS_EMAIL)


def submit_post(post, regions, language=None):
    """A post from the public form: saved unconfirmed; the poster gets a link to confirm their address.

    The post keeps the language it was written in (default: the active one): every email to its
    poster is in that language, with links to pages in that language."""
    with transaction.atomic():
        post.state = State.UNCONFIRMED
        post.language = language or current_language()
        post.save()
        post.regions.set(regions)
        log(instance=post, action="bulletin.post.submitted", data={"email": post.contact_email})
        email_poster(
            post,
            "bulletin/emails/confirm_post",
            {"confirm_url": confirm_url(post)},
            key=f"bulletin.confirm:{post.pk}",
            tag="bulletin.confirm",
        )
    return post


def confirm_post(post):
    """The poster clicked the link: the post waits for moderation and editors are told. Idempotent."""
    if post.state != State.UNCONFIRMED:
        return post
    with transaction.atomic():
        _transition(post, [State.UNCONFIRMED], State.PENDING, "bulletin.post.confirmed")
        email_editors(
            "bulletin/emails/editors_new_post",
            {"post": post, "admin_url": admin_url(post)},
            key=f"bulletin.editors_new:{post.pk}",
            tag="bulletin.editors",
        )
    return post


def admin_url(post):
    return absolute(reverse("wagtailsnippets_bulletin_post:edit", args=[post.pk]))


def approve_post(post, user=None):
    """Publish a post. Its poster is told: the first time, and again when a post they edited comes back
    online. (A post an editor puts back after reports comes back without an email: nothing changed.)"""
    with transaction.atomic():
        before = Post.objects.select_for_update().get(pk=post.pk)
        _transition(
            post,
            APPROVABLE,
            State.PUBLISHED,
            "bulletin.post.approved",
            user=user,
            published_at=before.published_at or timezone.now(),
        )
        context = {"post_url": post_url(post, post.language), "manage_url": manage_url(post)}
        if before.published_at is None:
            email_poster(
                post,
                "bulletin/emails/post_approved",
                context,
                key=f"bulletin.approved:{post.pk}",
                tag="bulletin.approved",
            )
        elif before.state == State.PENDING:
            email_poster(post, "bulletin/emails/post_republished", context, tag="bulletin.approved")
        notify_matches(post)
    return post


def publish_new_post(post, user):
    """A post an editor wrote in the admin: trusted, published at once."""
    with transaction.atomic():
        _transition(
            post,
            list(State),
            State.PUBLISHED,
            "bulletin.post.approved",
            user=user,
            published_at=timezone.now(),
        )
        notify_matches(post)
    return post


def reject_post(post, reason, user=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a rejection needs a reason")
    with transaction.atomic():
        _transition(
            post,
            REJECTABLE,
            State.REJECTED,
            "bulletin.post.rejected",
            user=user,
            data={"reason": reason},
            rejection_reason=reason,
        )
        email_poster(
            post,
            "bulletin/emails/post_rejected",
            {
                "reason": reason,
                "submit_url": absolute_reverse("bulletin:post_submit", language=post.language),
            },
            tag="bulletin.rejected",
        )
    return post


def update_post(post, form):
    """The poster edited their post through the magic link. A published post goes back to moderation
    and the editors are told, as for a new post. Returns True if the post left the board for review."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.state not in EDITABLE:
            raise TransitionError(f"cannot edit a {locked.state} post")
        form.instance.state = locked.state  # the form's copy may be older than the row
        form.save()
        if locked.state != State.PUBLISHED:
            log(instance=post, action="bulletin.post.edited")
            return False
        _transition(post, [State.PUBLISHED], State.PENDING, "bulletin.post.edited")
        email_editors(
            "bulletin/emails/editors_post_edited",
            {"post": post, "admin_url": admin_url(post)},
            tag="bulletin.editors",
        )
    return True


def renew_post(post, today=None):
    today = today or timezone.localdate()
    new_expiry = min(max(post.expires_on, today) + datetime.timedelta(days=60), Post.latest_expiry(today))
    with transaction.atomic():
        if post.state == State.EXPIRED:
            _transition(
                post, [State.EXPIRED], State.PUBLISHED, "bulletin.post.renewed", expires_on=new_expiry
            )
        elif post.state in (State.PUBLISHED, State.PENDING):
            post.expires_on = new_expiry
            post.save(update_fields=["expires_on", "updated_at"])
            log(instance=post, action="bulletin.post.renewed", data={"expires_on": str(new_expiry)})
        else:
            raise TransitionError(f"cannot renew a {post.state} post")
    return post


def close_post(
    post, outcome, partner_organisation="", savings_money=None, savings_hours=None, savings_km=None
):
    return _transition(
        post,
        CLOSABLE,
        State.CLOSED,
        "bulletin.post.closed",
        data={"outcome": outcome},
        outcome=outcome,
        partner_organisation=partner_organisation,
        savings_money=savings_money,
        savings_hours=savings_hours,
        savings_km=savings_km,
        closed_at=timezone.now(),
    )


def network_hash(ip):
    """A keyed hash of the network `ip` belongs to (the address for IPv4, its /64 for IPv6, since one
    IPv6 connection owns a whole /64): comparable between reports, useless to anyone without the
    site's secret key. Empty when the address is unknown."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return ""
    network = ipaddress.ip_network(f"{address}/{64 if address.version == 6 else 32}", strict=False)
    return salted_hmac("bulletin.report.network", str(network), algorithm="sha256").hexdigest()


def report_url(report):
    token = object_token("report.confirm", report)
    return absolute_reverse("bulletin:report_confirm", language=report.language, args=[token])


def report_from_token(token):
    return object_from_token(Report.objects.select_related("post"), token, "report.confirm", CONFIRM_MAX_AGE)


def report_post(post, email, reason, details="", ip=None, language=None):
    """Record a report (one per address and post) and ask its author to confirm it by email.

    Editors hear about the first report of a post at once. The report counts towards hiding the post
    only once confirmed (`confirm_report`). Returns the new report, or None if this address had
    already reported the post."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    post=locked,
                    email=email.strip().lower(),
                    reason=reason,
                    details=details,
                    ip_hash=network_hash(ip),
                    language=language or current_language(),
                )
        except IntegrityError:
            return None
        queue_templated_email(
            "bulletin/emails/report_confirm",
            {"report": report, "post": locked, "confirm_url": report_url(report)},
            [report.email],
            language=report.language,
            key=f"bulletin.report_confirm:{report.pk}",
            tag="bulletin.report",
        )
        email_editors(
            "bulletin/emails/editors_post_reported",
            {"post": locked, "report": report, "admin_url": admin_url(locked), "threshold": REPORTS_TO_HIDE},
            key=f"bulletin.reported:{locked.pk}",
            tag="bulletin.editors",
        )
    return report


def hiding_sources(post):
    """How many independent confirmed reports `post` has: distinct addresses *and* distinct networks,
    so that one person with invented addresses, or one network, counts once."""
    confirmed = post.reports.filter(confirmed_at__isnull=False)
    addresses = confirmed.values("email").distinct().count()
    networks = confirmed.exclude(ip_hash="").values("ip_hash").distinct().count()
    return min(addresses, networks)


def confirm_report(report):
    """The reporter confirmed their report through the emailed link. Once REPORTS_TO_HIDE independent
    sources have confirmed, a published post is hidden until an editor decides, and editors are
    emailed. Returns True if this confirmation hid the post. Idempotent."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=report.post_id)
        updated = Report.objects.filter(pk=report.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
        report.refresh_from_db()
        if not updated or locked.state != State.PUBLISHED or hiding_sources(locked) < REPORTS_TO_HIDE:
            return False
        _transition(locked, [State.PUBLISHED], State.HIDDEN, "bulletin.post.hidden")
        email_editors(
            "bulletin/emails/editors_post_hidden",
            {
                "post": locked,
                "reports": list(locked.reports.filter(confirmed_at__isnull=False)),
                "admin_url": admin_url(locked),
            },
            tag="bulletin.editors",
        )
    return True


def relay_message(post, sender_name, sender_email, body, sender_organisation=""):
    """Store the message and email it to the poster; replies go straight to the sender."""
    with transaction.atomic():
        message = ContactMessage.objects.create(
            post=post,
            sender_name=sender_name,
            sender_email=sender_email,
            sender_organisation=sender_organisation,
            body=body,
        )
        email_poster(
            post,
            "bulletin/emails/contact_relay",
            {"message": message, "manage_url": manage_url(post)},
            reply_to=[sender_email],
            tag="bulletin.relay",
        )
    return message


# Expiry -----------------------------------------------------------------------------------------


def expire_posts(today=None):
    today = today or timezone.localdate()
    count = 0
    for post in Post.objects.published().filter(expires_on__lt=today).iterator():
        try:
            _transition(post, [State.PUBLISHED], State.EXPIRED, "bulletin.post.expired")
            count += 1
        except TransitionError:
            continue  # changed meanwhile
    return count


def send_expiry_reminders(today=None):
    """One reminder per expiry date, REMINDER_DAYS_BEFORE days ahead, with the renew link."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE)
    posts = Post.objects.published().filter(expires_on__gte=today, expires_on__lte=horizon)
    count = 0
    for post in posts.iterator():
        if post.reminder_sent_for == post.expires_on:
            continue
        with transaction.atomic():
            email_poster(
                post,
                "bulletin/emails/expiry_reminder",
                {"manage_url": manage_url(post)},
                key=f"bulletin.reminder:{post.pk}:{post.expires_on}",
                tag="bulletin.reminder",
            )
            Post.objects.filter(pk=post.pk).update(reminder_sent_for=post.expires_on)
        count += 1
    return count


# Matching ---------------------------------------------------------------------------------------


def matches_for(post):
    """Published posts of the opposite direction, same category, at least one region in common."""
    kind = post.matchable_kind
    if kind is None:
        return Post.objects.none()
    return (
        Post.objects.published()
        .filter(kind=kind, category_id=post.category_id, regions__in=post.regions.all())
        .exclude(pk=post.pk)
        .distinct()
        .for_listing()
    )


def notify_matches(post):
    """Email each matching poster who opted in, and this post's poster, once per pair."""
    for other in matches_for(post):
        for recipient, found in ((other, post), (post, other)):
            if not recipient.notify_matches:
                continue
            email_poster(
                recipient,
                "bulletin/emails/match",
                {"match": found, "match_url": post_url(found, recipient.language)},
                key=f"bulletin.match:{recipient.pk}:{found.pk}",
                tag="bulletin.match",
            )


def similar_posts(post, limit=3, exclude=()):
    return (
        Post.objects.published()
        .filter(category_id=post.category_id)
        .exclude(pk__in=[post.pk, *exclude])
        .for_listing()
        .order_by("-published_at")[:limit]
    )


# Alerts -----------------------------------------------------------------------------------------


def alert_url(name, subscription, purpose):
    token = object_token(purpose, subscription)
    return absolute_reverse(f"bulletin:{name}", language=subscription.language, args=[token])


def subscription_from_token(token, purpose):
    return object_from_token(AlertSubscription.objects.all(), token, purpose, ALERT_MAX_AGE)


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
        queue_templated_email(
            "bulletin/emails/alert_confirm",
            {
                "subscription": subscription,
                "confirm_url": alert_url("alert_confirm", subscription, "alert.confirm"),
            },
            [subscription.email],
            language=subscription.language,
            key=f"bulletin.alert_confirm:{subscription.pk}",
            tag="bulletin.alert",
        )
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
                unsubscribe = alert_url("alert_unsubscribe", subscription, "alert.unsubscribe")
                queue_templated_email(
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
                sent += 1
            AlertSubscription.objects.filter(pk=subscription.pk).update(last_digest_at=now)
    return sent


def latest_published(limit=3):
    return Post.objects.published().for_listing()[:limit]

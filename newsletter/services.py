"""Subscriptions and consent. Every change of consent writes a line in the ledger. The links a subscriber
gets are in `newsletter.links`, what is emailed in `newsletter.emails`, CSV import and the ledger export
in `newsletter.subscriber_csv`."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from newsletter import emails
from newsletter.links import TOKEN_AGES
from newsletter.models import ConsentRecord, Delivery, SignupRequest, Subscriber, Topic
from website.privacy import is_suppressed

logger = logging.getLogger(__name__)
State = Subscriber.State
Action, Method, Kind = ConsentRecord.Action, ConsentRecord.Method, ConsentRecord.Kind
HARD_BOUNCES_BEFORE_STOP = 3

SIGNUP_WORDING = _(
    "J'accepte de recevoir l'infolettre du réseau de mutualisation par courriel, sur les thèmes choisis. "
    "Je peux me désabonner en tout temps par le lien présent dans chaque envoi."
)


def record(subscriber, action, method, *, kind="", wording="", ip=None, **details):
    return ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        method=method,
        kind=kind,
        wording=str(wording),
        ip_address=ip,
        details=details,
    )


def subscribe(email, *, topics, language=None, first_name="", organisation="", ip=None, method=Method.FORM):
    """Start a double opt-in. Whatever the address's state, the caller shows the same answer.

    A new address becomes a pending subscriber. For an address we know, nothing changes: anyone can type
    anyone's address. What was asked waits in a SignupRequest that the emailed link applies
    (a confirmed subscriber is told they already are, with their preferences link).

    An address erased at the person's request gets no email and no record (None): nobody can make us
    write to them again. To subscribe again they ask the privacy officer, who lifts the suppression."""
    email = email.strip().lower()
    if is_suppressed(email):
        return None
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    asked = {"first_name": first_name, "organisation": organisation, "language": language}
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults=asked
        )
        if subscriber.state == State.CONFIRMED:
            emails.already_subscribed(subscriber)
            return subscriber
        with translation.override(language):
            wording = str(SIGNUP_WORDING)
        if created:
            subscriber.topics.set(topics)
            record(
                subscriber,
                Action.SUBSCRIBED,
                method,
                kind=Kind.EXPRESS,
                wording=wording,
                ip=ip,
                topics=[t.slug for t in topics],
            )
            signup_request = None
        else:
            signup_request = _set_aside(subscriber, topics, method=method, wording=wording, ip=ip, **asked)
        emails.confirmation(subscriber, signup_request, language)
    return subscriber


def _set_aside(subscriber, topics, **asked):
    """A sign-up for a known address waits in its SignupRequest (replacing an older one)."""
    # Requests whose link has expired are of no use to anyone: they go (Law 25, minimal retention).
    expired = timezone.now() - timezone.timedelta(seconds=TOKEN_AGES["newsletter.confirm"])
    SignupRequest.objects.filter(Q(subscriber=subscriber) | Q(created_at__lt=expired)).delete()
    signup_request = SignupRequest.objects.create(
        subscriber=subscriber,
        first_name=asked["first_name"],
        organisation=asked["organisation"],
        language=asked["language"],
        method=asked["method"],
        wording=asked["wording"],
        ip_address=asked["ip"],
    )
    signup_request.topics.set(topics)
    return signup_request


def confirm(subscriber, signup_request=None, ip=None):
    """The emailed link was used: the address is confirmed, and what a request asked for applies."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if signup_request is not None:
            return _apply_request(subscriber, signup_request, ip)
        if subscriber.state != State.PENDING:
            return subscriber
        subscriber.state = State.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.consent_expires_at = None  # express consent
        subscriber.save(update_fields=["state", "confirmed_at", "consent_expires_at"])
        record(subscriber, Action.CONFIRMED, Method.LINK, kind=Kind.EXPRESS, ip=ip)
    return subscriber


def _apply_request(subscriber, signup_request, ip):
    signup_request = SignupRequest.objects.select_for_update().filter(pk=signup_request.pk).first()
    if signup_request is None:  # used by a click a moment ago
        return subscriber
    topics = list(signup_request.topics.all())
    subscriber.first_name = signup_request.first_name or subscriber.first_name
    subscriber.organisation = signup_request.organisation or subscriber.organisation
    subscriber.language = signup_request.language
    subscriber.state = State.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.consent_expires_at = None  # express consent
    subscriber.unsubscribed_at = None
    subscriber.hard_bounces = 0  # the person just read mail at this address
    subscriber.save()
    subscriber.topics.set(topics)
    record(
        subscriber,
        Action.SUBSCRIBED,
        signup_request.method,
        kind=Kind.EXPRESS,
        wording=signup_request.wording,
        ip=signup_request.ip_address,
        topics=[t.slug for t in topics],
        requested_at=signup_request.created_at.isoformat(),
    )
    record(subscriber, Action.CONFIRMED, Method.LINK, kind=Kind.EXPRESS, ip=ip)
    signup_request.delete()
    return subscriber


def update_preferences(subscriber, *, topics, language, ip=None):
    with transaction.atomic():
        subscriber.topics.set(topics)
        subscriber.language = language
        subscriber.save(update_fields=["language"])
        record(
            subscriber,
            Action.PREFERENCES,
            Method.LINK,
            ip=ip,
            topics=[t.slug for t in topics],
            language=language,
        )
    return subscriber


def unsubscribe(
    subscriber, method=Method.LINK, ip=None, action=Action.UNSUBSCRIBED, state=State.UNSUBSCRIBED
):
    """Takes effect at once: deliveries not yet sent to this person are cancelled."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        Delivery.objects.filter(subscriber=subscriber, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED
        )
        if subscriber.state in (State.UNSUBSCRIBED, State.BOUNCED) and action == Action.UNSUBSCRIBED:
            return subscriber
        subscriber.state = state
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["state", "unsubscribed_at"])
        record(subscriber, action, method, ip=ip)
    return subscriber


def register_bounce(email, permanent=True, details=None):
    subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
    if subscriber is None or not permanent:
        return subscriber
    Subscriber.objects.filter(pk=subscriber.pk).update(hard_bounces=F("hard_bounces") + 1)
    subscriber.refresh_from_db()
    if subscriber.hard_bounces >= HARD_BOUNCES_BEFORE_STOP and subscriber.state == State.CONFIRMED:
        unsubscribe(subscriber, Method.PROVIDER, action=Action.BOUNCED, state=State.BOUNCED)
    return subscriber


def unsubscribe_address(email, action=Action.UNSUBSCRIBED):
    """An unsubscribe reported by the email provider (a complaint counts as one)."""
    subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
    if subscriber is not None:
        unsubscribe(subscriber, Method.PROVIDER, action=action)
    return subscriber


def register_complaint(email):
    return unsubscribe_address(email, action=Action.COMPLAINED)


def resend_confirmation(subscriber):
    """The confirmation email of a pending subscription, again (asked from Mon espace). False when the
    subscription is no longer pending."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.state != State.PENDING:
            return False
        signup_request = SignupRequest.objects.filter(subscriber=subscriber).first()
        language = signup_request.language if signup_request else subscriber.language
        emails.confirmation(subscriber, signup_request, language)
    return True


def cancel_pending(subscriber):
    """A subscription never confirmed is withdrawn by its owner: nothing was consented to, so nothing is
    kept (as `purge_unconfirmed` does after the retention delay). False when it is no longer pending."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber.pk).first()
        if subscriber is None or subscriber.state != State.PENDING:
            return False
        subscriber.delete()
    return True


def purge_unconfirmed(now=None):
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.RETENTION_UNCONFIRMED_DAYS)
    deleted, _ = Subscriber.objects.filter(state=State.PENDING, created_at__lt=cutoff).delete()
    logger.info("retention (infolettre): %s unconfirmed sign-ups purged", deleted)
    return deleted


def subscribe_from_event(registration):
    """An event registrant who ticked the newsletter box: consent recorded with the event as source."""
    topics = list(Topic.objects.all()[:1])
    return subscribe(
        registration.email,
        topics=topics,
        language=registration.language,
        first_name=registration.contact_name,
        organisation=registration.organisation,
        method=Method.EVENT,
    )

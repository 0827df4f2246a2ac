"""Subscriptions and consent. Every change of consent writes a line in the ledger."""

import csv
import io
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from newsletter.models import (
    IMPLIED_CONSENT_LIFETIME,
    ConsentRecord,
    Delivery,
    SignupRequest,
    Subscriber,
    Topic,
)
from website.exports import csv_writer
from website.i18n import absolute_reverse
from website.outbox import queue_templated_email
from website.privacy import is_suppressed
from website.tokens import DAY, make_token, names_an_object, object_from_token, object_token, read_token

logger = logging.getLogger(__name__)
Status = Subscriber.Status
Action, Method, Kind = ConsentRecord.Action, ConsentRecord.Method, ConsentRecord.Kind
HARD_BOUNCES_BEFORE_STOP = 3

SIGNUP_WORDING = _(
    "J'accepte de recevoir l'infolettre du réseau de mutualisation par courriel, sur les thèmes choisis. "
    "Je peux me désabonner en tout temps par le lien présent dans chaque envoi."
)

TOKEN_AGES = {
    "newsletter.confirm": 30 * DAY,
    "newsletter.preferences": 400 * DAY,
    "newsletter.unsubscribe": 800 * DAY,
}
URL_NAMES = {
    "newsletter.confirm": "newsletter:confirm",
    "newsletter.preferences": "newsletter:preferences",
    "newsletter.unsubscribe": "newsletter:unsubscribe",
}


def path(subscriber, purpose, language=None):
    """The address of a subscriber's page, in `language` (default: the active one)."""
    with translation.override(language or translation.get_language()):
        return reverse(URL_NAMES[purpose], args=[object_token(purpose, subscriber)])


def link(subscriber, purpose, language=None):
    """The absolute address, for emails: in the subscriber's language unless told otherwise."""
    return absolute_reverse(
        URL_NAMES[purpose], language=language or subscriber.language, args=[object_token(purpose, subscriber)]
    )


def subscriber_from_token(token, purpose):
    return object_from_token(Subscriber.objects.all(), token, purpose, TOKEN_AGES[purpose])


def confirm_link(subscriber, signup_request=None):
    """The link of a confirmation email. With a request, confirming applies what was asked."""
    values = [subscriber.pk, subscriber.secret]
    language = subscriber.language
    if signup_request is not None:
        values.append(signup_request.key)
        language = signup_request.language
    token = make_token("newsletter.confirm", *values)
    return absolute_reverse(URL_NAMES["newsletter.confirm"], language=language, args=[token])


def confirmation_from_token(token):
    """(subscriber, signup request or None) named by a confirmation token, or None if it is forged,
    expired, or names a request that was replaced or already used."""
    values = read_token(token, "newsletter.confirm", TOKEN_AGES["newsletter.confirm"])
    if not (names_an_object(values, 2) or names_an_object(values, 3)):
        return None
    subscriber = Subscriber.objects.filter(pk=values[0], secret=values[1]).first()
    if subscriber is None:
        return None
    if len(values) == 2:
        return subscriber, None
    signup_request = SignupRequest.objects.filter(subscriber=subscriber, key=values[2]).first()
    return (subscriber, signup_request) if signup_request is not None else None


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
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email,
            defaults={"first_name": first_name, "organisation": organisation, "language": language},
        )
        if subscriber.status == Status.CONFIRMED:
            queue_templated_email(
                "newsletter/emails/already_subscribed",
                {"subscriber": subscriber, "preferences_url": link(subscriber, "newsletter.preferences")},
                [subscriber.email],
                language=subscriber.language,
                tag="newsletter.already",
            )
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
            # Requests whose link has expired are of no use to anyone: they go (Law 25, minimal retention).
            expired = timezone.now() - timezone.timedelta(seconds=TOKEN_AGES["newsletter.confirm"])
            SignupRequest.objects.filter(Q(subscriber=subscriber) | Q(created_at__lt=expired)).delete()
            signup_request = SignupRequest.objects.create(
                subscriber=subscriber,
                first_name=first_name,
                organisation=organisation,
                language=language,
                method=method,
                wording=wording,
                ip_address=ip,
            )
            signup_request.topics.set(topics)
        queue_templated_email(
            "newsletter/emails/confirm",
            {"subscriber": subscriber, "confirm_url": confirm_link(subscriber, signup_request)},
            [subscriber.email],
            language=language,
            tag="newsletter.confirm",
        )
    return subscriber


def confirm(subscriber, signup_request=None, ip=None):
    """The emailed link was used: the address is confirmed, and what a request asked for applies."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if signup_request is not None:
            return _apply_request(subscriber, signup_request, ip)
        if subscriber.status != Status.PENDING:
            return subscriber
        subscriber.status = Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.consent_expires_at = None  # express consent
        subscriber.save(update_fields=["status", "confirmed_at", "consent_expires_at"])
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
    subscriber.status = Status.CONFIRMED
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
    subscriber, method=Method.LINK, ip=None, action=Action.UNSUBSCRIBED, status=Status.UNSUBSCRIBED
):
    """Takes effect at once: deliveries not yet sent to this person are cancelled."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        Delivery.objects.filter(subscriber=subscriber, state=Delivery.State.PENDING).update(
            state=Delivery.State.CANCELLED
        )
        if subscriber.status in (Status.UNSUBSCRIBED, Status.BOUNCED) and action == Action.UNSUBSCRIBED:
            return subscriber
        subscriber.status = status
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        record(subscriber, action, method, ip=ip)
    return subscriber


def register_bounce(email, permanent=True, details=None):
    subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
    if subscriber is None or not permanent:
        return subscriber
    Subscriber.objects.filter(pk=subscriber.pk).update(hard_bounces=F("hard_bounces") + 1)
    subscriber.refresh_from_db()
    if subscriber.hard_bounces >= HARD_BOUNCES_BEFORE_STOP and subscriber.status == Status.CONFIRMED:
        unsubscribe(subscriber, Method.PROVIDER, action=Action.BOUNCED, status=Status.BOUNCED)
    return subscriber


def unsubscribe_address(email, action=Action.UNSUBSCRIBED):
    """An unsubscribe reported by the email provider (a complaint counts as one)."""
    subscriber = Subscriber.objects.filter(email=email.strip().lower()).first()
    if subscriber is not None:
        unsubscribe(subscriber, Method.PROVIDER, action=action)
    return subscriber


def register_complaint(email):
    return unsubscribe_address(email, action=Action.COMPLAINED)


def purge_unconfirmed(now=None):
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.RETENTION_UNCONFIRMED_DAYS)
    deleted, _ = Subscriber.objects.filter(status=Status.PENDING, created_at__lt=cutoff).delete()
    logger.info("retention (infolettre): %s unconfirmed sign-ups purged", deleted)
    return deleted


# Import and export ------------------------------------------------------------------------------

IMPORT_COLUMNS = ["email", "first_name", "organisation", "language", "topics"]


def parse_import(text):
    """Rows of a CSV (comma or semicolon) as (line number, values, error or None)."""
    sample = text[:2000]
    dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample.strip() else csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames or "email" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ValidationError(_("La première ligne doit nommer les colonnes, dont « email »."))
    topics = {t.slug: t for t in Topic.objects.all()}
    languages = {code for code, _name in settings.LANGUAGES}
    seen = set()
    rows = []
    for number, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        error = None
        email = row.get("email", "").lower()
        try:
            validate_email(email)
        except ValidationError:
            error = _("adresse courriel invalide : « %(email)s »") % {"email": email}
        if not error and email in seen:
            error = _("adresse en double dans le fichier")
        if not error and is_suppressed(email):
            error = _("adresse effacée à la demande de la personne (Loi 25) : elle ne sera pas importée")
        wanted = [s for s in row.get("topics", "").replace(";", " ").replace(",", " ").split() if s]
        unknown = [s for s in wanted if s not in topics]
        if not error and unknown:
            error = _("thème inconnu : %(topics)s") % {"topics": ", ".join(unknown)}
        language = row.get("language") or settings.LANGUAGE_CODE
        if not error and language not in languages:
            error = _("langue inconnue : %(language)s") % {"language": language}
        seen.add(email)
        rows.append(
            (
                number,
                {
                    "email": email,
                    "first_name": row.get("first_name", ""),
                    "organisation": row.get("organisation", ""),
                    "language": language,
                    "topics": [topics[s] for s in wanted if s in topics],
                },
                error,
            )
        )
    return rows


def import_subscribers(text, *, kind, source_note, skip_invalid=False, user=None):
    """Import confirmed subscribers with a declared consent. Nothing is imported if a row is invalid,
    unless the editor chose to skip invalid rows. Returns (imported, errors)."""
    rows = parse_import(text)
    errors = [(number, error) for number, _values, error in rows if error]
    if errors and not skip_invalid:
        return 0, errors
    now = timezone.now()
    imported = 0
    with transaction.atomic():
        for _number, values, error in rows:
            if error:
                continue
            subscriber, _created = Subscriber.objects.get_or_create(email=values["email"])
            if subscriber.status in (Status.UNSUBSCRIBED, Status.BOUNCED):
                continue  # an unsubscribe is never undone by an import
            subscriber.first_name = values["first_name"] or subscriber.first_name
            subscriber.organisation = values["organisation"] or subscriber.organisation
            subscriber.language = values["language"]
            subscriber.status = Status.CONFIRMED
            subscriber.confirmed_at = subscriber.confirmed_at or now
            subscriber.consent_expires_at = now + IMPLIED_CONSENT_LIFETIME if kind == Kind.IMPLIED else None
            subscriber.save()
            subscriber.topics.add(*values["topics"])
            record(
                subscriber,
                Action.SUBSCRIBED,
                Method.IMPORT,
                kind=kind,
                wording=source_note,
                imported_by=getattr(user, "username", ""),
            )
            imported += 1
    return imported, errors


def ledger_csv(subscriber):
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["date", "action", "method", "kind", "wording", "ip_address", "details"])
    for r in subscriber.ledger.all():
        writer.writerow(
            [
                r.created_at.isoformat(),
                r.action,
                r.method,
                r.kind,
                r.wording,
                r.ip_address or "",
                json.dumps(r.details, ensure_ascii=False),
            ]
        )
    return out.getvalue()


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

"""Subscribers in and out as CSV: the import (confirmed subscribers with a declared consent) and one
subscriber's consent ledger, exported for the person or an auditor."""

import csv
import io
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsletter.models import IMPLIED_CONSENT_LIFETIME, ConsentRecord, Subscriber, Topic
from newsletter.services import record
from website.exports import csv_writer
from website.privacy import is_suppressed

State = Subscriber.State
Action, Method, Kind = ConsentRecord.Action, ConsentRecord.Method, ConsentRecord.Kind

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
            if subscriber.state in (State.UNSUBSCRIBED, State.BOUNCED):
                continue  # an unsubscribe is never undone by an import
            subscriber.first_name = values["first_name"] or subscriber.first_name
            subscriber.organisation = values["organisation"] or subscriber.organisation
            subscriber.language = values["language"]
            subscriber.state = State.CONFIRMED
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

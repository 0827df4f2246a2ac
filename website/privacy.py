"""One person's data across every app (Quebec's Law 25): find it, export it, erase it.

Each app describes what it holds about a person in a `PersonalDataSource` and registers it from its
`AppConfig.ready()`; `website` never imports an app. The service, keyed by an email address matched
without regard to case:

- `find(email)`: what exists, per app (the privacy officer's screen, the person's confirmation page);
- `export(email)`: all of it as one JSON document (right of access and portability);
- `erase(email)`: every app deletes what exists only for the person and anonymises what the network
  keeps for its figures; then the outbox, support-form submissions, admin log entries and development
  mail files that mention the address go too, and a keyed hash of the address joins the suppression
  list (`SuppressedAddress`) that imports and sign-ups check with `is_suppressed()`;
- `leftovers(*needles)`: every text or JSON column of every model that still holds one of the needles,
  so that a model added later without its source shows up (tests, and the officer's screen after an
  erasure).

Every search, export, erasure and lifted suppression is written to `PersonalDataRequest` and to the
Wagtail log, naming the address only by its hash. The hash is an HMAC-SHA256 keyed with
`PRIVACY_HASH_KEY` (default: `SECRET_KEY`): changing that key forgets the suppression list.
"""

import calendar
import hashlib
import hmac
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.log_actions import registry as log_registry

logger = logging.getLogger(__name__)

ERASED = "[effacé]"  # what replaces a label or a mention that named the person


@dataclass
class Found:
    """One kind of record an app holds about the person: a label and one line per record."""

    code: str
    label: str
    items: list = field(default_factory=list)
    internal: bool = False  # shown to the privacy officer, not on the person's own page

    @property
    def count(self):
        return len(self.items)


@dataclass
class Erased:
    """What an erasure did to one kind of record."""

    code: str
    label: str
    deleted: int = 0
    anonymised: int = 0

    @property
    def count(self):
        return self.deleted + self.anonymised


class PersonalDataSource:
    """What one app holds about a person. Subclass it in `<app>/privacy.py` and register an instance
    from the app's `ready()` with `website.privacy.register()`.

    `erase` deletes what exists only for the person and anonymises, in place, what the network keeps
    for its figures (no name, address, phone, needs or free text left). It runs inside the erasure's
    transaction and should scrub the admin log of the objects it changes (`forget_log_entries`)."""

    name = ""  # the key of this app's part in the export
    label = ""  # shown on screens

    def find(self, email):
        """[Found]: what exists for `email` (already normalised)."""
        raise NotImplementedError

    def export(self, email):
        """A JSON-serialisable dict of everything held for `email`."""
        raise NotImplementedError

    def erase(self, email):
        """[Erased]: delete or anonymise everything held for `email`."""
        raise NotImplementedError


_registry = {}


def register(source):
    _registry[source.name] = source
    return source


def sources():
    """The apps' sources in registration order, then the site's own (outbox, forms, logs), which must
    run last: the apps' erasures may still write to the outbox and the log."""
    return [*(s for name, s in _registry.items() if name != SiteSource.name), SITE]


# Addresses --------------------------------------------------------------------------------------


def normalise(email):
    return (email or "").strip().lower()


def address_digest(email):
    key = getattr(settings, "PRIVACY_HASH_KEY", "") or settings.SECRET_KEY
    return hmac.new(key.encode(), normalise(email).encode(), hashlib.sha256).hexdigest()


def is_suppressed(email):
    """True if the address was erased at the person's request: no import or sign-up may add it back."""
    from website.models import SuppressedAddress

    return bool(normalise(email)) and SuppressedAddress.objects.filter(digest=address_digest(email)).exists()


def lift_suppression(email, *, user=None):
    """The person asked the privacy officer to be able to subscribe again (a fresh double opt-in)."""
    from website.models import PersonalDataRequest, SuppressedAddress

    with transaction.atomic():
        deleted, _rows = SuppressedAddress.objects.filter(digest=address_digest(email)).delete()
        if deleted:
            _record(email, PersonalDataRequest.Kind.LIFT, PersonalDataRequest.Channel.ADMIN, user, {})
    return bool(deleted)


# Find, export, erase ----------------------------------------------------------------------------


def find(email, *, user=None, channel="admin", record=True):
    """[(source, [Found])] for the sources that hold something about `email`; recorded as a search."""
    from website.models import PersonalDataRequest

    email = normalise(email)
    found = [(source, [f for f in source.find(email) if f.count]) for source in sources()]
    found = [(source, items) for source, items in found if items]
    if record:
        summary = {source.name: {f.code: f.count for f in items} for source, items in found}
        _record(email, PersonalDataRequest.Kind.SEARCH, channel, user, summary)
    return found


def export(email, *, user=None, channel="admin"):
    """Everything held about `email`, as a dict ready for JSON."""
    from website.models import OrganisationSettings, PersonalDataRequest

    email = normalise(email)
    data = {source.name: source.export(email) for source in sources()}
    organisation = OrganisationSettings.objects.first()
    _record(
        email,
        PersonalDataRequest.Kind.EXPORT,
        channel,
        user,
        {name: _count_items(part) for name, part in data.items()},
    )
    return {
        "address": email,
        "generated_at": timezone.now(),
        "controller": organisation.name if organisation else "",
        "privacy_officer": organisation.privacy_officer_email if organisation else "",
        "data": data,
    }


def export_json(email, **kwargs):
    return json.dumps(export(email, **kwargs), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def erase(email, *, user=None, channel="admin"):
    """Erase everything held about `email` in every app; keep only its hash on the suppression list.

    Returns [(source, [Erased])]. All or nothing: one transaction. Development mail files go after
    the commit."""
    from website.models import PersonalDataRequest, SuppressedAddress

    email = normalise(email)
    if not email:
        raise ValueError("an address is needed")
    with transaction.atomic():
        outcomes = [(source, [e for e in source.erase(email) if e.count]) for source in sources()]
        SuppressedAddress.objects.get_or_create(digest=address_digest(email))
        summary = {
            source.name: {e.code: {"deleted": e.deleted, "anonymised": e.anonymised} for e in erased}
            for source, erased in outcomes
            if erased
        }
        _record(email, PersonalDataRequest.Kind.ERASURE, channel, user, summary)
        transaction.on_commit(lambda: delete_mail_files(email))
    logger.info("personal data erased for %s: %s", address_digest(email)[:12], summary)
    return [(source, erased) for source, erased in outcomes if erased]


def _record(email, kind, channel, user, summary):
    from website.models import PersonalDataRequest

    request = PersonalDataRequest.objects.create(
        kind=kind,
        channel=channel,
        digest=address_digest(email),
        user=user if getattr(user, "is_authenticated", False) else None,
        summary=summary,
    )
    log(
        instance=request,
        action=f"website.personal_data.{kind}",
        user=request.user,
        data={"digest": request.digest[:12], "channel": channel},
    )
    return request


def _count_items(part):
    if isinstance(part, dict):
        return {key: len(value) if isinstance(value, list) else 1 for key, value in part.items() if value}
    return len(part) if isinstance(part, list) else 1


# Helpers for the apps' sources ------------------------------------------------------------------


def mentions(email, *fields):
    """A Q matching rows whose text or JSON `fields` contain `email` (any case)."""
    query = models.Q()
    for name in fields:
        for needle in _needles(email):
            query |= models.Q(**{f"{name}__icontains": needle})
    return query


def _needles(text):
    """The text, and its form inside JSON stored with escapes (SQLite keeps "é" as "\\u00e9")."""
    escaped = json.dumps(text)[1:-1]
    return [text] if escaped == text else [text, escaped]


def redact(text, email):
    """`text` with every mention of `email` replaced."""
    return re.sub(re.escape(email), ERASED, text or "", flags=re.IGNORECASE)


def forget_log_entries(model, pks, *, labels=True):
    """Keep the admin history of these objects (who did what, when) without their data, which may hold
    an address or a reason, and without their labels (a registration's names the person)."""
    from wagtail.models import ModelLogEntry

    pks = [str(pk) for pk in pks]
    if not pks:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    entries = ModelLogEntry.objects.filter(content_type=content_type, object_id__in=pks)
    return entries.update(data={}, **({"label": ERASED} if labels else {}))


def local_date(moment):
    """A stored moment as the local day, for one-line descriptions ("2026-04-17")."""
    return f"{timezone.localtime(moment):%Y-%m-%d}" if moment else ""


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (the 31st becomes the month's last day)."""
    year, month = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


# The site's own part: outbox, support-form submissions, admin log, mail files --------------------


class SiteSource(PersonalDataSource):
    name = "website"
    label = _("Site")

    @staticmethod
    def emails(email):
        from website.models import OutgoingEmail

        return OutgoingEmail.objects.filter(
            mentions(
                email, "to", "reply_to", "subject", "body", "html", "headers", "attachments", "last_error"
            )
        )

    @staticmethod
    def submissions(email):
        from wagtail.contrib.forms.models import FormSubmission

        return FormSubmission.objects.filter(mentions(email, "form_data")).select_related("page")

    @staticmethod
    def log_entries(email):
        for model in log_registry.get_log_entry_models():
            yield model, model.objects.filter(mentions(email, "label", "data"))

    def find(self, email):
        emails = self.emails(email).order_by("created_at")
        return [
            Found(
                "support_requests",
                _("Demandes envoyées par les formulaires du site"),
                [f"{s.page.title} — {local_date(s.submit_time)}" for s in self.submissions(email)],
            ),
            Found(
                "emails",
                _("Courriels envoyés ou en attente"),
                [f"{local_date(e.created_at)} — {e.subject}" for e in emails],
            ),
            Found(
                "log_entries",
                _("Entrées du journal d'administration"),
                [f"{e.action} — {e.label}" for _model, rows in self.log_entries(email) for e in rows],
                internal=True,
            ),
        ]

    def export(self, email):
        return {
            "support_requests": [
                {"form": s.page.title, "submitted_at": s.submit_time, "answers": s.form_data}
                for s in self.submissions(email)
            ],
            "emails": [
                {
                    "to": e.to,
                    "subject": e.subject,
                    "type": e.tag,
                    "state": e.state,
                    "created_at": e.created_at,
                    "sent_at": e.sent_at,
                }
                for e in self.emails(email).order_by("created_at")
            ],
        }

    def erase(self, email):
        submissions, _rows = self.submissions(email).delete()
        emails, _rows = self.emails(email).delete()
        entries = sum(rows.update(label=ERASED, data={}) for _model, rows in self.log_entries(email))
        return [
            Erased(
                "support_requests", _("Demandes envoyées par les formulaires du site"), deleted=submissions
            ),
            Erased("emails", _("Courriels envoyés ou en attente"), deleted=emails),
            Erased("log_entries", _("Entrées du journal d'administration"), anonymised=entries),
        ]


SITE = SiteSource()


def delete_mail_files(email):
    """Development and test mail (Django's file backend) is kept in files: remove those naming `email`."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return 0
    folder = Path(getattr(settings, "EMAIL_FILE_PATH", "") or "")
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.iterdir():
        if not path.is_file():
            continue
        # Quoted-printable bodies break long lines with "=\n": join them before looking.
        text = path.read_text(errors="replace").replace("=\n", "").lower()
        if email in text:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


# What is left: a generic scan of every model --------------------------------------------------


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def leftovers(*needles):
    """[(model label, field name, pk)] for every row of every model whose text or JSON holds a needle.
    Slow (a scan of every text column); for tests and for the check after an erasure."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        for model_field in meta.local_fields:
            if not isinstance(model_field, TEXT_FIELDS):
                continue
            query = models.Q()
            for needle in needles:
                for variant in _needles(needle):
                    query |= models.Q(**{f"{model_field.name}__icontains": variant})
            for pk in model._default_manager.filter(query).values_list("pk", flat=True):
                found.append((meta.label, model_field.name, pk))
    return found


# The privacy policy, linked from the footer, every public form's notice and every consent box ----


def privacy_policy_url():
    """The address of the privacy policy page in the active language, or "" if there is none."""
    from wagtail.models import Locale

    from website.i18n import in_default_locale, page_url
    from website.models import PrivacyPolicyPage

    try:
        page = in_default_locale(PrivacyPolicyPage.objects.live()).first()
    except Locale.DoesNotExist:  # a database with no content yet
        return ""
    return page_url(page) if page is not None else ""


def consent_help_text(help_text="", url=None):
    """A consent box's help text, followed by the link to the privacy policy."""
    url = privacy_policy_url() if url is None else url
    if not url:
        return help_text
    link = format_html('<a href="{}">{}</a>', url, _("Politique de confidentialité"))
    return format_html("{} {}", help_text, link) if help_text else link


# Retention --------------------------------------------------------------------------------------


def retention_periods():
    """How long each kind of personal data is kept, from the settings: shown on the privacy policy."""
    return [
        (
            _("Inscriptions à l'infolettre ou aux alertes jamais confirmées"),
            _days(settings.RETENTION_UNCONFIRMED_DAYS),
        ),
        (
            _("Coordonnées des personnes-ressources des annonces fermées, expirées ou refusées"),
            _months(settings.RETENTION_POST_CONTACT_MONTHS),
        ),
        (
            _("Signalements d'annonces et messages relayés"),
            _months(settings.RETENTION_BOARD_MESSAGES_MONTHS),
        ),
        (
            _(
                "Noms, coordonnées, besoins et réponses des personnes inscrites à un événement, après l'événement"
            ),
            _months(settings.RETENTION_ATTENDEES_MONTHS),
        ),
        (
            _("Contenu et destinataires des courriels envoyés, après l'envoi"),
            _days(settings.RETENTION_OUTBOX_DAYS),
        ),
    ]


def _days(n):
    return ngettext("%(n)s jour", "%(n)s jours", n) % {"n": n}


def _months(n):
    return ngettext("%(n)s mois", "%(n)s mois", n) % {"n": n}


def apply_outbox_retention(now=None):
    """Sent (or failed) emails older than RETENTION_OUTBOX_DAYS lose their addresses and content; the
    row stays (its idempotency key still prevents a second sending), saying only what kind of email
    left when."""
    from website.models import OutgoingEmail

    now = now or timezone.now()
    cutoff = now - timezone.timedelta(days=settings.RETENTION_OUTBOX_DAYS)
    State = OutgoingEmail.State
    old = OutgoingEmail.objects.filter(
        models.Q(state=State.SENT, sent_at__lt=cutoff) | models.Q(state=State.FAILED, created_at__lt=cutoff)
    ).exclude(to=[], body="")
    emptied = old.update(
        to=[], reply_to=[], subject="", body="", html="", headers={}, attachments=[], last_error=""
    )
    logger.info("retention: %s sent emails emptied", emptied)
    return {"emails_emptied": emptied}

"""Find, export and erase one person's data in every app; the suppression list; the register."""

import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from website.models.privacy import PersonalDataRequest, SuppressedAddress
from website.models.site_settings import OrganisationSettings
from website.privacy.helpers import address_digest, normalise
from website.privacy.site_source import SITE, delete_mail_files
from website.privacy.sources import registered

logger = logging.getLogger(__name__)


def sources():
    """The apps' sources in registration order, then the site's own (outbox, forms, logs), which must
    run last: the apps' erasures may still write to the outbox and the log."""
    return [*(s for s in registered() if s.name != SITE.name), SITE]


def is_suppressed(email):
    """True if the address was erased at the person's request: no import or sign-up may add it back."""
    return bool(normalise(email)) and SuppressedAddress.objects.filter(digest=address_digest(email)).exists()


def lift_suppression(email, *, user=None):
    """The person asked the privacy officer to be able to subscribe again (a fresh double opt-in)."""
    with transaction.atomic():
        deleted, _rows = SuppressedAddress.objects.filter(digest=address_digest(email)).delete()
        if deleted:
            _record(email, PersonalDataRequest.Kind.LIFT, PersonalDataRequest.Channel.ADMIN, user, {})
    return bool(deleted)


def find(email, *, user=None, channel="admin", record=True):
    """[(source, [Found])] for the sources that hold something about `email`; recorded as a search."""
    email = normalise(email)
    found = [(source, [f for f in source.find(email) if f.count]) for source in sources()]
    found = [(source, items) for source, items in found if items]
    if record:
        summary = {source.name: {f.code: f.count for f in items} for source, items in found}
        _record(email, PersonalDataRequest.Kind.SEARCH, channel, user, summary)
    return found


def export(email, *, user=None, channel="admin"):
    """Everything held about `email`, as a dict ready for JSON."""
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

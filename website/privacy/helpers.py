"""Helpers for the apps' sources: addresses, mentions, redaction, the admin log, dates."""

import calendar
import hashlib
import hmac
import json
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from wagtail.models import ModelLogEntry

ERASED = "[effacé]"  # what replaces a label or a mention that named the person


def normalise(email):
    return (email or "").strip().lower()


def address_digest(email):
    key = settings.PRIVACY_HASH_KEY or settings.SECRET_KEY
    return hmac.new(key.encode(), normalise(email).encode(), hashlib.sha256).hexdigest()


def mentions(email, *fields):
    """A Q matching rows whose text or JSON `fields` contain `email` (any case)."""
    query = models.Q()
    for name in fields:
        for needle in spellings(email):
            query |= models.Q(**{f"{name}__icontains": needle})
    return query


def spellings(text):
    """The text, and its form inside JSON stored with escapes (SQLite keeps "é" as "\\u00e9")."""
    escaped = json.dumps(text)[1:-1]
    return [text] if escaped == text else [text, escaped]


def redact(text, email):
    """`text` with every mention of `email` replaced."""
    return re.sub(re.escape(email), ERASED, text or "", flags=re.IGNORECASE)


def forget_log_entries(model, pks, *, labels=True):
    """Keep the admin history of these objects (who did what, when) without their data, which may hold
    an address or a reason, and without their labels (a registration's names the person)."""
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

"""Visitors report a post; confirmed reports from enough independent sources hide it until editors decide."""

import ipaddress

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bulletin import emails
from bulletin.models import REPORTS_TO_HIDE, Post, Report
from bulletin.transitions import HIDE, can, move
from website.i18n import current_language


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
        emails.report_confirmation(report, locked)
        emails.reported_post_to_editors(locked, report)
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
        if not updated or not can(locked, HIDE) or hiding_sources(locked) < REPORTS_TO_HIDE:
            return False
        move(locked, HIDE)
        emails.hidden_post_to_editors(locked)
    return True

"""Rules of the information axis. Views, admin and Celery tasks call these."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

logger = logging.getLogger(__name__)

SUPPORT_NOTIFY_RETRY_AFTER = timedelta(minutes=10)


def record_support_request(page, form):
    """Store the request, then email the editors from a worker once the row is committed."""
    from website.models import SupportRequestSubmission
    from website.tasks import notify_support_request

    with transaction.atomic():
        submission = SupportRequestSubmission.objects.create(form_data=form.cleaned_data, page=page)
        transaction.on_commit(lambda: notify_support_request.delay(submission.pk))
    return submission


def support_request_recipients(page):
    addresses = [a.strip() for a in page.to_address.split(",") if a.strip()]
    return addresses or list(settings.EDITORS_EMAIL)


def notify_support_request(submission_id):
    """Email the editors about one request, once: the row is claimed under a lock."""
    from website.models import SupportRequestSubmission

    with transaction.atomic():
        submission = (
            SupportRequestSubmission.objects.select_for_update()
            .filter(pk=submission_id, notified_at__isnull=True)
            .first()
        )
        if submission is None:
            return False
        page = submission.page.specific
        labels = dict(page.get_data_fields())
        with override(settings.LANGUAGE_CODE):
            subject = page.subject or _("Nouvelle demande d'accompagnement")
            body = render_to_string(
                "website/emails/support_request.txt",
                {
                    "page": page,
                    "submission": submission,
                    "answers": [
                        (labels.get(name, name), ", ".join(value) if isinstance(value, list) else value)
                        for name, value in submission.form_data.items()
                    ],
                    "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/forms/submissions/{page.pk}/",
                },
            )
        message = EmailMessage(subject, body, to=support_request_recipients(page))
        reply_to = next(
            (v for v in submission.form_data.values() if isinstance(v, str) and _looks_like_email(v)),
            None,
        )
        if reply_to:
            message.reply_to = [reply_to]
        # Sent inside the transaction: if the mail server refuses, the row stays un-notified
        # and the sweep tries again; if it accepts, the commit records it.
        message.send()
        submission.notified_at = timezone.now()
        submission.save(update_fields=["notified_at"])
    return True


def _looks_like_email(value):
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def support_requests_to_retry():
    from website.models import SupportRequestSubmission

    cutoff = timezone.now() - SUPPORT_NOTIFY_RETRY_AFTER
    return SupportRequestSubmission.objects.filter(
        notified_at__isnull=True, submit_time__lt=cutoff
    ).values_list("pk", flat=True)

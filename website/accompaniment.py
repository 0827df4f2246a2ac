"""The rules of support requests followed to their result: opening, status, assignment, notes, retention.

Each change happens under the request's row lock and is written to the admin log with a dotted action
(`website.support_request.status`, `.assigned`, `.note`). A change of status is told to the requester by
email, in the language they wrote in, through the outbox; notes and assignments never are.
See website/models/support.py for what "first response" means.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from website.models.support import SupportRequest, SupportRequestNote, SupportRequestStatusChange
from website.models.taxonomy import Region
from website.outbox import queue_templated_email

Status = SupportRequest.Status

# Where a request may go from each status: never back to "nouvelle"; a closed request may be reopened.
TRANSITIONS = {
    Status.NEW: {Status.IN_PROGRESS, Status.DONE, Status.NO_FOLLOW_UP},
    Status.IN_PROGRESS: {Status.DONE, Status.NO_FOLLOW_UP},
    Status.DONE: {Status.IN_PROGRESS},
    Status.NO_FOLLOW_UP: {Status.IN_PROGRESS},
}

LOG_ACTIONS = [
    ("website.support_request.status", _("Statut changé"), _("Statut d'une demande d'accompagnement changé")),
    ("website.support_request.assigned", _("Responsable changé"), _("Demande d'accompagnement assignée")),
    ("website.support_request.note", _("Note ajoutée"), _("Note interne ajoutée à une demande")),
]


class TransitionRefused(ValueError):
    """The request cannot go from its status to the one asked for."""


def support_request_recipients(page):
    """The team's addresses for the form's requests: the page's "to" addresses, else EDITORS_EMAIL."""
    addresses = [a.strip() for a in page.to_address.split(",") if a.strip()]
    return addresses or list(settings.EDITORS_EMAIL)


def region_answer(page, form_data):
    """The MRC the requester chose (a form answer equal to a region's French or English name), or None."""
    answers = {
        str(value).strip().casefold()
        for field in page.get_form_fields()
        if field.field_type in ("dropdown", "radio", "singleline")
        and isinstance(value := form_data.get(field.clean_name), str)
        and value.strip()
    }
    if not answers:
        return None
    for region in Region.objects.all():
        if {region.name.casefold(), region.name_en.casefold()} & answers:
            return region
    return None


def open_request(page, submission, *, language):
    """The follow-up of a new submission: status "nouvelle", in the language the person wrote in."""
    return SupportRequest.objects.create(
        submission=submission,
        language=language,
        region=region_answer(page, submission.form_data),
        submitted_at=submission.submit_time,
    )


def requester_email(support_request):
    """The requester's address: the answer to the form's first email question ("" once erased)."""
    submission = support_request.submission
    if submission is None:
        return ""
    for field in submission.page.specific.get_form_fields():
        if field.field_type == "email" and submission.form_data.get(field.clean_name):
            return submission.form_data[field.clean_name]
    return ""


def _locked(pk):
    return (
        SupportRequest.objects.select_for_update(of=("self",)).select_related("submission__page").get(pk=pk)
    )


def change_status(pk, *, status, user=None, now=None):
    """Move the request to `status`, record the change, stamp the first response and the closing, and
    queue the email that tells the requester. Raises TransitionRefused for a move TRANSITIONS forbids."""
    now = now or timezone.now()
    with transaction.atomic():
        support_request = _locked(pk)
        old = support_request.status
        if status not in TRANSITIONS[old]:
            raise TransitionRefused(status)
        support_request.status = status
        if support_request.first_response_at is None:
            support_request.first_response_at = now
        support_request.closed_at = now if status in SupportRequest.CLOSED else None
        support_request.save(update_fields=["status", "first_response_at", "closed_at", "updated_at"])
        change = SupportRequestStatusChange.objects.create(
            request=support_request, old_status=old, new_status=status, changed_at=now, changed_by=user
        )
        log(
            instance=support_request,
            action="website.support_request.status",
            user=user,
            data={"old": old, "new": status},
        )
        tell_requester(support_request, change)
    return support_request


def tell_requester(support_request, change):
    """The email to the requester about a change of status (none once their data is erased)."""
    address = requester_email(support_request)
    if not address:
        return None
    return queue_templated_email(
        "website/emails/support_request_status",
        {
            "status": change.new_status,
            "status_label": Status(change.new_status).label,
            "submitted_at": support_request.submitted_at,
        },
        [address],
        language=support_request.language,
        reply_to=support_request_recipients(support_request.submission.page.specific)[:1],
        key=f"website.support_request.status:{change.pk}",
        tag="website.support_request_status",
    )


def assign(pk, *, editor, user=None):
    """Make `editor` (or nobody, with None) responsible for the request."""
    with transaction.atomic():
        support_request = _locked(pk)
        support_request.assigned_to = editor
        support_request.save(update_fields=["assigned_to", "updated_at"])
        log(
            instance=support_request,
            action="website.support_request.assigned",
            user=user,
            data={"editor": editor.pk if editor else None},
        )
    return support_request


def add_note(pk, *, text, user=None, now=None):
    """An internal note on the request (for the team only)."""
    with transaction.atomic():
        support_request = _locked(pk)
        note = SupportRequestNote.objects.create(
            request=support_request, author=user, text=text, created_at=now or timezone.now()
        )
        SupportRequest.objects.filter(pk=pk).update(updated_at=timezone.now())
        log(instance=support_request, action="website.support_request.note", user=user)
    return note

"""Rules of the information axis. Views, admin and Celery tasks call these."""

from django.conf import settings
from django.db import transaction

from website.accompaniment import open_request, support_request_recipients
from website.i18n import current_language
from website.models.organisations import SupportRequestOrganisation
from website.organisation_names import clean_name
from website.outbox import queue_templated_email


def link_organisation(page, submission):
    """The request's answer to the organisation question links it to an organisation (kept as typed)."""
    question = page.organisation_question()
    typed = submission.form_data.get(question) if question else None
    if isinstance(typed, str) and clean_name(typed):
        SupportRequestOrganisation.objects.create(submission=submission, organisation=clean_name(typed))


def record_support_request(page, form):
    """Store the request and, in the same transaction, the email that tells the editors about it."""
    with transaction.atomic():
        submission = page.get_submission_class().objects.create(form_data=form.cleaned_data, page=page)
        link_organisation(page, submission)
        support_request = open_request(page, submission, language=current_language())
        fields = list(page.get_form_fields())
        labels = {field.clean_name: field.label for field in fields}
        answers = [
            (labels.get(name, name), ", ".join(value) if isinstance(value, list) else value)
            for name, value in submission.form_data.items()
        ]
        reply_to = [
            submission.form_data[field.clean_name]
            for field in fields
            if field.field_type == "email" and submission.form_data.get(field.clean_name)
        ][:1]
        queue_templated_email(
            "website/emails/support_request",
            {
                "page": page,
                "subject": page.subject,
                "answers": answers,
                "admin_url": f"{settings.WAGTAILADMIN_BASE_URL}/admin/accompagnement/{support_request.pk}/",
            },
            support_request_recipients(page),
            reply_to=reply_to,
            key=f"website.support_request:{submission.pk}",
            tag="website.support_request",
        )
    return submission

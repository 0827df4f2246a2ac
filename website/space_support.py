"""The site's own part of a person's space (website.space_sections): the support requests they sent
(the forms of the site's form pages), with when they were received and where their follow-up stands
(website.models.support). One query."""

from django.core.exceptions import ObjectDoesNotExist
from wagtail.contrib.forms.models import FormSubmission

from website.privacy.helpers import mentions, normalise
from website.space_sections import SpaceSection

LIMIT = 100


def _names(submission, email):
    """Whether the submission gives `email` as an answer (not merely mentions it in a text)."""
    return any(
        isinstance(value, str) and normalise(value) == email for value in submission.form_data.values()
    )


def _status(submission):
    """The follow-up's status ("En cours"…), or "" for a form page that is no support request."""
    try:
        return submission.support_request.get_status_display()
    except ObjectDoesNotExist:
        return ""


def support_requests(visitor):
    """[(submission, its status)] sent with the visitor's address, newest first."""
    found = (
        FormSubmission.objects.filter(mentions(visitor.email, "form_data"))
        .select_related("page", "support_request")
        .order_by("-submit_time", "-pk")[:LIMIT]
    )
    return [(submission, _status(submission)) for submission in found if _names(submission, visitor.email)]


def support_section():
    return SpaceSection(
        name="support_requests",
        template="website/includes/space_support_requests.html",
        order=50,
        records=support_requests,
    )

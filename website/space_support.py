"""The site's own part of a person's space (website.space_sections): the support requests they sent
(the forms of the site's form pages), with when they were received. One query."""

from wagtail.contrib.forms.models import FormSubmission

from website.privacy.helpers import mentions, normalise
from website.space_sections import SpaceSection

LIMIT = 100


def _names(submission, email):
    """Whether the submission gives `email` as an answer (not merely mentions it in a text)."""
    return any(
        isinstance(value, str) and normalise(value) == email for value in submission.form_data.values()
    )


def support_requests(visitor):
    """[(submission, "")] sent with the visitor's address, newest first."""
    found = (
        FormSubmission.objects.filter(mentions(visitor.email, "form_data"))
        .select_related("page")
        .order_by("-submit_time", "-pk")[:LIMIT]
    )
    return [(submission, "") for submission in found if _names(submission, visitor.email)]


def support_section():
    return SpaceSection(
        name="support_requests",
        template="website/includes/space_support_requests.html",
        order=50,
        records=support_requests,
    )

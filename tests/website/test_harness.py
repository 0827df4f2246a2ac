"""The test harness itself: what one test leaves in the process must not change what the next sees."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.contrib.forms.utils import get_form_types

from website.models import SupportRequestPage


@pytest.mark.django_db(transaction=True)
def test_wagtail_knows_form_page_types_by_their_ids_after_a_flush():
    """Each transactional test ends with a flush that re-creates the content types under new ids.
    Wagtail's cached form page types must follow, or it refuses form submissions screens to everyone
    (tests/fuzz/test_xss_browser.py after tests/events/test_editor_browser.py)."""
    before = ContentType.objects.get_for_model(SupportRequestPage)
    assert before in get_form_types()

    call_command("flush", interactive=False, verbosity=0)

    after = ContentType.objects.get_for_model(SupportRequestPage)
    assert after.pk != before.pk
    assert after in get_form_types() and before not in get_form_types()

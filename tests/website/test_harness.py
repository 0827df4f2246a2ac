"""The test harness itself: what one test leaves in the process must not change what the next sees."""

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from wagtail.contrib.forms.utils import get_form_types
from wagtail.models import Locale, Page

from tests.support.database import was_flushed
from website.models import SupportRequestPage


@pytest.mark.django_db(transaction=True)
def test_wagtail_knows_form_page_types_by_their_ids_after_a_flush():
    """Each transactional test ends with a flush that re-creates the content types under new ids.
    Wagtail's cached form page types must follow, or it refuses form submissions screens to everyone
    (tests/fuzz/test_xss_browser.py after tests/events/test_editor_browser.py)."""
    before = ContentType.objects.get_for_model(SupportRequestPage)
    assert before in get_form_types()

    # As a transactional test's teardown flushes (sequences go on, so PostgreSQL gives new ids).
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)

    # Forgotten by the flush's post_migrate (tests/conftest.py), whatever the backend: PostgreSQL gives
    # the content types new ids, SQLite may give them their old ones back.
    assert get_form_types.cache_info().currsize == 0
    after = ContentType.objects.get_for_model(SupportRequestPage)
    assert after in get_form_types()
    if after.pk != before.pk:
        assert before not in get_form_types()


@pytest.mark.django_db(transaction=True)
def test_a_flushed_test_database_is_not_reused():
    """pytest --reuse-db after a session that ended with a transactional test's flush: the database has
    lost the rows its migrations wrote (tests/website/test_i18n.py::test_wagtail_admin_speaks_french
    failed on it: no root page). tests/conftest.py's django_db_createdb then creates it again."""
    name = connection.settings_dict["NAME"]
    if not Page.objects.filter(depth=1).exists():  # an earlier transactional test flushed it
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root"))
    assert not was_flushed(name)

    call_command("flush", interactive=False, verbosity=0)

    assert was_flushed(name)

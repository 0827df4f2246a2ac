"""The factories build a working site on any database: also after a transactional test's flush, which
removes even the locales the migrations made."""

import pytest
from django.core.management import call_command

from tests import factories


@pytest.mark.django_db(transaction=True)
def test_the_events_listing_and_an_event_are_built_on_a_flushed_database(client):
    call_command("flush", interactive=False, verbosity=0)
    event = factories.EventMaker()(title="Atelier après le vidage")
    assert event.url.startswith("/evenements/")
    assert "Atelier après le vidage" in client.get("/evenements/").content.decode()

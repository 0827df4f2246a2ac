"""In Chromium, as an editor of the events group: add an event with an accented French title in the
admin, publish it, then open its page and its `.ics` in French and in English."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventPage
from website.permissions import EVENTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Formation : comptabilité partagée pour OBNL"


@pytest.fixture
def events_editor(django_user_model, event_index):
    user = django_user_model.objects.create_user("redaction", "redaction@example.org", "mot-de-passe-1")
    user.groups.add(Group.objects.get(name=EVENTS))
    return user


def test_an_editor_adds_an_event_with_a_french_title_and_it_works_in_both_languages(
    page, live_server, event_index, events_editor
):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("redaction")
    page.locator("#id_password").fill("mot-de-passe-1")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(live_server.url + "/admin/")

    page.goto(f"{live_server.url}/admin/pages/add/events/eventpage/{event_index.pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_title").blur()
    day = timezone.localdate() + datetime.timedelta(days=30)
    # The kind is a snippet chooser: open it and pick from the modal's list.
    page.locator("#id_kind-chooser .chooser__choose-button, [data-chooser-action-choose]").first.click()
    page.locator(".modal").get_by_role("link", name="Formation", exact=True).click()
    expect(page.locator("#id_kind")).not_to_have_value("")
    page.locator("#id_start").fill(f"{day:%Y-%m-%d} 09:00")
    page.locator("#id_end").fill(f"{day:%Y-%m-%d} 12:00")
    page.keyboard.press("Escape")
    page.locator("#id_capacity").fill("15")
    page.locator("#id_venue").fill("Salle du conseil")
    page.locator("#id_title").click()  # the date picker closes when its field loses focus
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile(r"^\s*Publier\s*$")).click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    event = EventPage.objects.get(title=TITLE, locale__language_code="fr-ca")
    assert event.live and event.slug == "formation-comptabilité-partagée-pour-obnl"
    for prefix, heading, ics in [("", "Inscription", "fichier iCal"), ("/en", "Registration", "iCal file")]:
        response = page.goto(f"{live_server.url}{prefix}{event.url}")
        assert response.status == 200, prefix
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        href = page.get_by_role("link", name=ics).get_attribute("href")
        assert href.startswith(f"{prefix}/evenements/")
        calendar = page.request.get(live_server.url + href)
        assert calendar.status == 200 and f"SUMMARY:{TITLE}" in calendar.text().replace("\r\n ", "")
    assert errors == []

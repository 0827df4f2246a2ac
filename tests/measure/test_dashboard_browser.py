"""The "Mesure" dashboard in Chromium on the demo, as the demo editor reads it: in French on a phone
(390 px, no horizontal scroll) and in English on a desktop; charts drawn, each with its table, the
filter form answering with an error next to its field; axe finds no violation."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.users.models import UserProfile

from tests.support.axe import assert_accessible

pytestmark = pytest.mark.browser

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}


def log_in(page, server_url, language):
    profile = UserProfile.get_for_user(get_user_model().objects.get(username="editeur"))
    profile.preferred_language = {"fr": "fr-ca", "en": "en"}[language]
    profile.save()
    # On a desktop, Wagtail's sidebar badge ("new items in this menu") pings 5 × 5 s, and the axe helper
    # waits for finite animations to end before auditing.
    page.set_default_timeout(40_000)
    page.goto(server_url + "/admin/login/")
    page.locator("#id_username").fill("editeur")
    page.locator("#id_password").fill("maillon-demo")
    page.locator("form button[type=submit]").click()
    page.wait_for_url(server_url + "/admin/")


@pytest.mark.parametrize(
    "language, viewport, words",
    [
        (
            "fr",
            PHONE,
            {
                "open": "Ouvrir le tableau de bord Mesure",
                "show": "Afficher",
                "board": "Babillard",
                "error": "La fin de la période doit suivre son début.",
            },
        ),
        (
            "en",
            DESKTOP,
            {
                "open": "Open the Measurement dashboard",
                "show": "Show",
                "board": "Bulletin board",
                "error": "The end of the period must come after its start.",
            },
        ),
    ],
    ids=["fr-phone", "en-desktop"],
)
def test_the_editor_reads_the_dashboard(page, live_server, demo, language, viewport, words):
    page.set_viewport_size(viewport)
    log_in(page, live_server.url, language)
    if language == "fr":
        # Only once: on a desktop, each audit waits 25 s for the sidebar badge.
        assert_accessible(page, label="admin home with the Mesure panel")
    page.get_by_role("link", name=words["open"]).click()
    page.wait_for_url("**/admin/mesure/")

    expect(page.get_by_role("heading", name=words["board"], level=2)).to_be_visible()
    charts = page.locator("svg.measure-chart[role=img]")
    assert charts.count() >= 5
    # each chart is named by its table's title, and its table follows it
    first = charts.first
    name = first.locator("title").text_content()
    assert name and first.locator("xpath=ancestor::section[1]//table").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page, label=f"Mesure dashboard ({language})")

    page.locator("#id_first_day").fill("2026-05-01")
    page.locator("#id_last_day").fill("2026-04-01")
    page.get_by_role("button", name=words["show"], exact=True).click()
    error = page.get_by_text(words["error"])
    expect(error).to_be_visible()
    # next to its field: inside the same field wrapper as the "last day" input
    assert error.locator("xpath=ancestor::*[.//input[@id='id_last_day']][1]").count() == 1
    assert page.locator("svg.measure-chart").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert_accessible(page, label=f"Mesure dashboard with an error ({language})")

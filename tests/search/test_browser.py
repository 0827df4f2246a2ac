"""A reader finds things through the search, in a real Chromium: French on a desktop, English on a phone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_french_reader_searches_from_the_menu_and_opens_a_post(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Rechercher").click()
    page.get_by_label("Rechercher dans le site").fill("secourisme")
    page.keyboard.press("Enter")
    result = page.locator(".search-results li").filter(has_text="Formation en secourisme à partager")
    expect(result.locator(".badge")).to_have_text("Annonce du babillard")
    result.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formation en secourisme à partager")


def test_an_english_reader_on_a_phone_filters_by_type_and_stays_in_english(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/en/")
    page.get_by_role("button", name="Open the menu").click()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Search").click()
    page.get_by_label("Search the site").fill("entente")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status").first).to_contain_text("results")
    page.get_by_role("navigation", name="Type of result").get_by_role(
        "link", name=re.compile("^Events")
    ).click()
    results = page.locator(".search-results li")
    expect(results).to_have_count(1)
    expect(results.locator(".badge")).to_have_text("Event")
    expect(results.locator("mark")).to_have_text("entente")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    results.get_by_role("link").click()
    expect(page).to_have_url(live_server.url + "/en/evenements/webinaire-ententes/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

"""A real Chromium (Debian's package, driven by Playwright) walks the demo site."""

import re

import pytest
from playwright.sync_api import expect

from tests.support.axe import assert_accessible

pytestmark = pytest.mark.browser


def collect_console_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_home_menu_and_pages_without_console_errors(page, live_server, demo):
    errors = collect_console_errors(page)
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Accueil"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mettre nos ressources en commun, ensemble")

    menu = page.get_by_role("navigation", name="Menu principal")
    for label, heading in [
        ("La mutualisation", "La mutualisation, c'est quoi ?"),
        ("Histoires", "Histoires de mutualisation"),
        ("Ressources", "Bibliothèque de ressources"),
        ("Accompagnement", "Demande d'accompagnement"),
    ]:
        menu.get_by_role("link", name=label).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(menu.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
    assert errors == []


def test_skip_link_is_the_first_stop_for_keyboard_users(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#contenu")).to_be_focused()


def test_phone_width_collapses_the_menu_behind_a_button(page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 740})
    errors = collect_console_errors(page)
    page.goto(live_server.url + "/histoires/")
    link = page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Ressources")
    expect(link).to_be_hidden()
    page.get_by_role("button", name="Ouvrir le menu").click()
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bibliothèque de ressources")
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/mutualisation/",
        "/histoires/",
        "/histoires/formation-commune/",
        "/ressources/",
        "/accompagnement/",
        "/recherche/?q=formation",
        "/recherche/?q=entente&type=documents",
        "/en/recherche/?q=entente",
        "/en/",
        "/organismes/",
        "/organismes/comptoir-alimentaire-du-nord-fictif/",
        "/en/organismes/?region=mirabel",
        "/babillard/publier/",
    ],
)
def test_pages_pass_an_axe_accessibility_audit(page, live_server, demo, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_support_form_errors_are_shown_next_to_fields_and_accessible(page, live_server, demo):
    page.goto(live_server.url + "/accompagnement/")
    page.get_by_label("Courriel").fill("pas-un-courriel")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.locator("#error_1_id_courriel")).to_have_text("Saisissez une adresse de courriel valide.")
    expect(page.get_by_label("Courriel")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Courriel")).to_have_value("pas-un-courriel")
    assert_accessible(page)

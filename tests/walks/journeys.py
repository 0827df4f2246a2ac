"""Helpers for the journeys: the interface's own words in each language, the real emails, the admin."""

import re

from django.utils import translation
from playwright.sync_api import expect

PREFIX = {"fr": "", "en": "/en"}
LANGUAGE_CODE = {"fr": "fr-ca", "en": "en"}
EDITOR = ("editeur", "maillon-demo")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def t(language, msgid, **values):
    """What the interface says for the French `msgid` in `language`, from the project's catalogue.
    A (singular, plural, count) tuple is a plural message."""
    with translation.override(LANGUAGE_CODE[language]):
        text = translation.ngettext(*msgid) if isinstance(msgid, tuple) else translation.gettext(msgid)
    return text % values if values else text


def text_of(message):
    part = message.get_body(("plain",)) if message.is_multipart() else message
    return part.get_content()


def email_to(smtp, address, subject):
    """The first email to `address` whose subject contains `subject`."""
    _, message = smtp.wait_for_message(
        lambda to, m: to == [address] and subject in " ".join(str(m["Subject"]).split()), timeout=60
    )
    return message


def link_in(message, language, path):
    """The site path of the link to `path` (e.g. "/babillard/confirmer/") in an email; the link must be in
    the reader's language (under /en/ for English)."""
    found = re.search(
        rf"http://testserver({PREFIX[language]}{re.escape(path)}\S+?)(?=[\s>)\]]|$)", text_of(message)
    )
    assert found, f"no {PREFIX[language]}{path} link in: {text_of(message)[:1500]}"
    return found.group(1)


def log_in(page, server_url, user=EDITOR):
    page.goto(server_url + "/admin/login/")
    page.locator("#id_username").fill(user[0])
    page.locator("#id_password").fill(user[1])
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(server_url + "/admin/")


# Wagtail's editor checks an unfinished form in the background (live preview): a 400 there is expected.
EXPECTED = re.compile(r"/admin/pages/.*status of 400")


def collect_errors(page):
    """Uncaught exceptions and console errors, each with the address of the page that logged it."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"{msg.location.get('url') or page.url}: {msg.text}")
            if msg.type == "error"
            else None
        ),
    )
    return ErrorList(errors)


class ErrorList(list):
    def __eq__(self, other):
        return [e for e in self if not EXPECTED.search(e)] == other


def status_message(page, text):
    """A Django message announced to screen readers, in view."""
    alert = page.get_by_role("status").filter(has_text=text)
    expect(alert).to_be_visible()
    return alert

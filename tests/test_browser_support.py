"""What every browser test relies on: the accessibility audit still reports what it must
(tests/support/axe.py), and the browser context shared by a process's tests comes to each test as a new
one would (tests/support/browser.py)."""

import pytest

from tests.support.axe import violations
from tests.support.browser import SharedContext

pytestmark = pytest.mark.browser

FAULTY = """<!doctype html><html lang="fr"><head><title>Page fautive</title></head><body><main>
<h1>Page fautive</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color:#bbb;background:#fff">Texte trop pâle</p>
<form><input type="text" name="nom"></form>
</main></body></html>"""


def test_the_audit_reports_each_kind_of_fault_with_its_element(page):
    page.set_content(FAULTY)
    found = dict(violations(page))
    assert set(found) >= {"image-alt", "color-contrast", "label"}, found
    assert found["image-alt"] == ["img"] and found["label"] == ["input"]


def test_a_clean_page_passes(page):
    page.set_content(FAULTY.split("<img")[0] + "<p>Rien à signaler.</p></main></body></html>")
    assert violations(page) == []


def test_an_emptied_shared_context_keeps_nothing_of_the_last_test(browser, live_server):
    shared = SharedContext(browser)
    try:
        first = shared.context.new_page()
        first.goto(live_server.url + "/en/")  # the language choice is a cookie
        first.evaluate("document.cookie = 'essai=1; path=/'; localStorage.setItem('essai', '1')")
        assert "essai=1" in first.evaluate("document.cookie")
        shared.empty()
        assert shared.context.pages == [shared.keeper]
        assert shared.context.cookies() == []

        second = shared.context.new_page()
        second.goto(live_server.url + "/")
        assert second.evaluate("document.cookie") == ""
        assert second.evaluate("localStorage.length") == 0
        assert second.locator("html").get_attribute("lang") == "fr-ca"
    finally:
        shared.close()

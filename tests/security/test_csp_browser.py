"""Chromium opens the public pages, the magic-link pages and the admin: no Content-Security-Policy
violation, no console error. (Apart from test_csp.py: these tests commit the demo for a live server.)"""

import pytest

from tests.security.test_csp import demo_paths
from website.i18n import in_default_locale
from website.models import ContentPage

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`CSP ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def watcher(page):
    """visit(url) opens the page and returns its console errors and policy violations."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(WATCH_VIOLATIONS)

    def visit(url):
        errors.clear()
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        found = errors + page.evaluate("window.__csp")
        if response.status == 404:  # Chromium reports the status itself as a console error
            found = [f for f in found if "404" not in f]
        return found

    return visit


def test_public_pages_load_with_no_policy_violation_in_chromium(page, live_server, demo):
    visit = watcher(page)
    paths = demo_paths()
    problems = {path: found for path in paths if (found := visit(live_server.url + path))}
    assert problems == {}
    assert len(paths) >= 20


def test_an_editor_sees_public_pages_and_the_admin_with_no_policy_violation(page, live_server, demo):
    visit = watcher(page)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("editeur")
    page.get_by_label("Mot de passe").fill("maillon-demo")
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(live_server.url + "/admin/")
    about = in_default_locale(ContentPage.objects).get(slug="mutualisation")
    paths = [
        "/",
        "/mutualisation/",
        "/admin/",
        f"/admin/pages/{about.pk}/edit/",
        "/admin/snippets/bulletin/post/",
    ]
    problems = {path: found for path in paths if (found := visit(live_server.url + path))}
    assert problems == {}

"""axe-core (WCAG 2.1 A and AA) on every page the crawler reaches, in both languages, and on the editors'
own admin screens: moderation, newsletter send screen, registrations, attendance, privacy, support requests,
the Mesure dashboard;
and on a person's space (Mon espace), which only an emailed link opens.

axe-core itself comes pinned inside `axe-playwright-python` (requirements-dev.txt, axe 4.x, MPL-2.0), so
`make test` installs it and the audit runs offline."""

import time

import pytest
from django.utils import timezone

from tests.support.axe import run_axe
from tests.walks.coverage import COVERAGE
from tests.walks.crawl import crawl, is_html

pytestmark = pytest.mark.browser

EDITOR = ("editeur", "maillon-demo")


def audit(page, url):
    """axe's violations on the page at `url`: [(rule id, impact, first target), ...]."""
    page.goto(url)
    results = run_axe(page)
    return [
        (violation["id"], violation["impact"], violation["nodes"][0]["target"] if violation["nodes"] else "")
        for violation in results.response["violations"]
    ]


def log_in(page, server_url):
    page.goto(server_url + "/admin/login/")
    page.locator("#id_username").fill(EDITOR[0])
    page.locator("#id_password").fill(EDITOR[1])
    page.locator("form button[type=submit]").click()
    page.wait_for_url(server_url + "/admin/")


@pytest.fixture(scope="module")
def browser_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def audits(demo_site, browser_page, django_db_blocker):
    """Every HTML page the crawler reads from `/` and from `/en/`, then the editors' screens, audited once.
    All in one fixture: pytest-django empties the database after the first test using the live server."""
    audits = {}
    started = time.monotonic()
    for language, start, follow in [
        ("fr", "/", lambda path: not path.startswith("/en/")),
        ("en", "/en/", lambda path: path.startswith("/en/")),
    ]:
        walk = crawl(demo_site, start, follow=follow)
        pages = [
            p.path for p in walk.pages.values() if p.html_lang and p.status == 200 and is_html(p.content_type)
        ]
        audits[language] = {path: audit(browser_page, demo_site + path) for path in pages}
    COVERAGE.append(
        f"axe: {len(audits['fr'])} French and {len(audits['en'])} English pages audited "
        f"in {time.monotonic() - started:.0f} s"
    )
    audits["links"] = {
        name: audit(browser_page, demo_site + path) for name, path in link_pages(django_db_blocker).items()
    }
    log_in(browser_page, demo_site)
    audits["admin"] = {}
    for name, path in admin_screens(django_db_blocker).items():
        response = browser_page.goto(demo_site + path)
        if response.status != 200 or "/login/" in browser_page.url:
            audits["admin"][f"{name} {path}"] = f"answered {response.status} at {browser_page.url}"
        else:
            audits["admin"][f"{name} {path}"] = audit(browser_page, demo_site + path)
    return audits


def admin_screens(django_db_blocker):
    """The editors' own screens, on demo content."""
    from bulletin.models import Post
    from events.models import EventPage
    from newsletter.models import NewsletterIssuePage
    from tests.factories import support_request as make_request
    from website.i18n import in_default_locale

    with django_db_blocker.unblock():
        post = Post.objects.filter(state=Post.State.PENDING).first() or Post.objects.first()
        event = in_default_locale(EventPage.objects.live()).order_by("start").first()
        issue = in_default_locale(NewsletterIssuePage.objects.all()).first()
        support_request = make_request()
        return {
            "moderation list": "/admin/snippets/bulletin/post/",
            "moderation (post edit screen)": f"/admin/snippets/bulletin/post/edit/{post.pk}/",
            "newsletter send screen": f"/admin/infolettre/numeros/{issue.pk}/",
            "registrations summary": f"/admin/evenements/{event.pk}/",
            "registrations list": f"/admin/snippets/events/registration/?event={event.pk}",
            "attendance": f"/admin/evenements/{event.pk}/presences/",
            "privacy screen": "/admin/vie-privee/",
            "support requests": "/admin/accompagnement/",
            "support request": f"/admin/accompagnement/{support_request.pk}/",
            "Mesure dashboard": "/admin/mesure/",
        }


def link_pages(django_db_blocker):
    """Pages only an emailed link opens: a person's space (Mon espace), for a demo post's author."""
    from bulletin.models import Post
    from website import space
    from website.models import SpaceKey

    with django_db_blocker.unblock():
        email = Post.objects.order_by("pk").first().contact_email.lower()
        key, _created = SpaceKey.objects.get_or_create(
            email=email, defaults={"last_requested_at": timezone.now()}
        )
        token = space.token_for(key)
    return {"space (fr)": f"/mon-espace/{token}/", "space (en)": f"/en/mon-espace/{token}/"}


def test_every_french_page_passes_axe(audits):
    assert len(audits["fr"]) >= 20
    failing = {path: found for path, found in audits["fr"].items() if found}
    assert failing == {}


def test_every_english_page_passes_axe(audits):
    assert len(audits["en"]) >= 20
    failing = {path: found for path, found in audits["en"].items() if found}
    assert failing == {}


def test_pages_opened_by_emailed_links_pass_axe(audits):
    assert len(audits["links"]) == 2
    failing = {page: found for page, found in audits["links"].items() if found}
    assert failing == {}


def test_editor_admin_screens_pass_axe(audits):
    assert len(audits["admin"]) == 10
    failing = {screen: found for screen, found in audits["admin"].items() if found}
    assert failing == {}

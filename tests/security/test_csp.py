"""Content-Security-Policy and Permissions-Policy: present on every page, strict on public pages (no
inline script or style), looser on the Wagtail admin only; real pages break none of it in Chromium."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from bulletin.models import Post
from events.models import EventPage
from newsletter.models import NewsletterIssuePage
from website.i18n import in_default_locale
from website.models import ContentPage

PUBLIC_PATHS = [
    "/",
    "/en/",
    "/babillard/",
    "/babillard/publier/",
    "/babillard/alertes/",
    "/evenements/",
    "/infolettre/",
    "/infolettre/inscription/",
    "/infolettre/archives/",
    "/accompagnement/",
    "/accompagnement/?envoye=1",
    "/histoires/",
    "/ressources/",
    "/mutualisation/",
    "/recherche/?q=formation",
    "/page-qui-n-existe-pas/",
    "/en/evenements/",
]


def directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def demo_paths():
    """The public addresses above, one board post, event and newsletter issue, and the pages the
    emailed links open (managing a post, a registration, newsletter preferences)."""
    from urllib.parse import urlsplit

    from bulletin import links
    from events import services as events
    from events.models import Registration
    from newsletter import links as newsletter_links
    from newsletter.models import Subscriber

    post = Post.objects.filter(state=Post.State.PUBLISHED).first()
    event = in_default_locale(EventPage.objects.live()).first()
    issue = in_default_locale(NewsletterIssuePage.objects.live()).first()
    registration = Registration.objects.first()
    subscriber = Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).first()
    links = [
        post and post.get_absolute_url(),
        post and links.manage_url(post),
        event and event.url,
        issue and issue.url,
        registration and events.manage_url(registration),
        subscriber and newsletter_links.link(subscriber, "newsletter.preferences"),
    ]
    return PUBLIC_PATHS + [urlsplit(link).path for link in links if link]


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: style="" attributes, on…="" handlers, javascript: links,
    <style> elements and inline <script> that would run (JSON data blocks do not)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in attrs and "nonce" not in attrs:
            if attrs.get("type", "text/javascript") not in ("application/ld+json", "application/json"):
                self.found.append("<script> inline without nonce")


@pytest.mark.django_db
def test_public_pages_carry_a_strict_policy_and_a_permissions_policy(client, demo_db):
    for path in demo_paths():
        response = client.get(path)
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'"], path
        assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], path
        assert (
            "geolocation=()" in response["Permissions-Policy"]
            and "camera=()" in response["Permissions-Policy"]
        )


@pytest.mark.django_db
def test_public_pages_hold_no_inline_script_or_style(client, demo_db):
    for path in demo_paths():
        parser = InlineCode()
        parser.feed(client.get(path).content.decode())
        assert parser.found == [], (path, parser.found)


@pytest.mark.django_db
def test_the_admin_has_its_own_looser_policy(client, demo_db, admin_user):
    login_page = directives(client.get("/admin/login/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in login_page["script-src"]
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert "'unsafe-inline'" in directives(response["Content-Security-Policy"])["script-src"]
    assert "Permissions-Policy" in response


@pytest.mark.django_db
def test_an_inline_script_with_the_request_nonce_is_allowed(rf):
    from django.template import Context, Template

    from website.security_headers import SecurityHeadersMiddleware

    request = rf.get("/")
    middleware = SecurityHeadersMiddleware(lambda r: None)
    middleware.process_request(request)
    html = Template('<script nonce="{{ request.csp_nonce }}">1</script>').render(
        Context({"request": request})
    )
    from django.http import HttpResponse

    response = middleware.process_response(request, HttpResponse(html))
    nonce = re.search(r'nonce="([^"]+)"', html).group(1)
    assert f"'nonce-{nonce}'" in directives(response["Content-Security-Policy"])["script-src"]


@pytest.mark.django_db
def test_a_video_embed_keeps_its_shape_without_inline_style(client, demo_db):
    video = "https://www.youtube.com/watch?v=abcdefghijk"
    Embed.objects.create(
        hash=get_embed_hash(video),
        url=video,
        max_width=None,
        type="video",
        width=640,
        height=360,
        html='<iframe title="Vidéo" src="https://www.youtube.com/embed/abcdefghijk"></iframe>',
    )
    page = in_default_locale(ContentPage.objects).get(slug="mutualisation")
    page.body = [("embed", video)]
    page.save_revision().publish()
    html = client.get("/mutualisation/").content.decode()
    assert 'class="ratio ratio-16x9"' in html and "padding-bottom" not in html
    assert "https://www.youtube.com" in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]

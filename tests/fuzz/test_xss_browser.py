"""Twenty classic XSS payloads in every field a visitor fills, stored as they are (as if a filter had
let them through), then Chromium opens every place that shows them: public pages, the pages behind
emailed links, admin listings and edit screens, the HTML emails, and the RSS items rendered as a feed
reader renders them. No dialog opens, no element is built from a payload, and the page stays put."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bulletin import links
from bulletin import services as board
from bulletin.models import ContactMessage, Post, Report
from events import services as events
from events.models import EventPage, Registration
from newsletter import links as newsletter_links
from newsletter import rendering
from newsletter import services as newsletter
from newsletter.models import NewsletterIssuePage, Subscriber, Topic
from website.i18n import in_default_locale
from website.models import OutgoingEmail, Region, ResourceCategory, SupportRequestPage

pytestmark = [pytest.mark.browser]

PAYLOADS = [
    "<<img src=x onerror=alert(1)//<",
    '"><svg onload=alert(2)>',
    "<script>alert(3)</script>",
    "javascript:alert(4)",
    "{{7*7}} {% debug %}",
    "%%UNSUBSCRIBE_URL%% %%FIRST_NAME%%",
    "'><img src=x onerror=alert(7)>",
    '" onmouseover="alert(8)" autofocus onfocus="alert(8)" x="',
    "' onfocus='alert(9)' autofocus='",
    "</textarea><script>alert(10)</script>",
    "</title><script>alert(11)</script>",
    '<iframe src="javascript:alert(12)"></iframe>',
    '<a href="javascript:alert(13)">clic</a>',
    "<body onload=alert(14)>",
    "<details open ontoggle=alert(15)>",
    "<input autofocus onfocus=alert(16)>",
    "]]><script>alert(17)</script><![CDATA[",
    "&lt;script&gt;alert(18)&lt;/script&gt;",
    "</script><script>alert(19)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(20)>",
]

# Anything in the page that a payload could have built.
INJECTED = r"""() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "data", "srcdoc", "content", "xlink:href"];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase(), value = (attribute.value || "").toLowerCase();
      if (name.startsWith("on") && value.includes("alert")) found.push(element.outerHTML.slice(0, 200));
      if (urlAttributes.includes(name) && /^\s*(javascript|vbscript|data):/.test(value) && value.includes("alert"))
        found.push(element.outerHTML.slice(0, 200));
    }
    // A data block (<script type="application/json">, Wagtail's panels) is never run: text in it is data.
    const type = (element.getAttribute("type") || "").toLowerCase();
    const runs = type === "" || type.includes("javascript") || type === "module";
    if (element.tagName === "SCRIPT" && runs && element.textContent.includes("alert(")) found.push(element.outerHTML.slice(0, 200));
  }
  return found;
}"""


def fit(model, **values):
    """Each value cut to its column's length (the database refuses longer)."""
    return {
        name: value[: model._meta.get_field(name).max_length or None] if isinstance(value, str) else value
        for name, value in values.items()
    }


def store_everything(event):
    """One post, message, report, registration, subscriber and support request per payload, made by the
    services (so their emails are written too), with the payload in every field a visitor fills."""
    regions = list(Region.objects.all()[:2])
    topics = list(Topic.objects.all())
    page = in_default_locale(SupportRequestPage.objects.live()).get()
    category = ResourceCategory.objects.get(slug="transport")
    links = {"event": event, "posts": [], "registrations": [], "subscribers": []}
    for i, payload in enumerate(PAYLOADS):
        post = Post(
            kind=Post.Kind.OFFER,
            category=category,
            contact_email=f"poster{i}@example.org",
            expires_on=Post.default_expiry(),
            **fit(
                Post,
                title=payload,
                description=f"{payload}\n{payload}",
                organisation=payload,
                contact_name=payload,
                phone=payload,
                image_alt=payload,
                transport_route=payload,
            ),
            show_phone=True,
        )
        board.submit_post(post, regions)
        board.confirm_post(post)
        board.approve_post(post)
        board.relay_message(
            post,
            **fit(ContactMessage, sender_name=payload, body=payload, sender_organisation=payload),
            sender_email=f"sender{i}@example.org",
        )
        board.report_post(post, f"witness{i}@example.org", Report.Reason.OTHER, details=payload)
        registration = events.register(
            event,
            seats=1,
            email=f"attendee{i}@example.org",
            attendee_names=[payload],
            answers={"Question": payload},
            **fit(
                Registration,
                contact_name=payload,
                organisation=payload,
                dietary_needs=payload,
                accessibility_needs=payload,
            ),
        )
        newsletter.subscribe(
            f"reader{i}@example.org",
            topics=topics,
            **fit(Subscriber, first_name=payload, organisation=payload),
        )
        subscriber = Subscriber.objects.get(email=f"reader{i}@example.org")
        form = page.get_form(page=page, user=None)
        form.cleaned_data = {field.clean_name: payload for field in page.get_form_fields()}
        page.process_form_submission(form)
        links["posts"].append(post)
        links["registrations"].append(path(events.manage_url(registration)))
        links["subscribers"].append(subscriber)
    return links


def path(url):
    parts = urlsplit(url)
    return parts.path


class Inspector:
    """Opens pages in one tab, records dialogs, and checks each page for injected elements."""

    def __init__(self, page, base_url):
        self.page, self.base_url = page, base_url
        self.dialogs, self.problems, self.visited = [], [], 0
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append((self.page.url, dialog.message))
        dialog.dismiss()

    def check(self, where):
        self.visited += 1
        self.page.wait_for_timeout(50)  # let onload/onerror/autofocus handlers run if anything built them
        for found in self.page.evaluate(INJECTED):
            self.problems.append((where, found))

    def open(self, address):
        response = self.page.goto(self.base_url + address)
        assert response.status < 500, address
        self.check(address)
        assert urlsplit(self.page.url).path == urlsplit(self.base_url + address).path, (
            address,
            self.page.url,
        )
        return response

    def show(self, html, where):
        self.page.set_content(html)
        self.check(where)


@pytest.fixture
def stored(demo):
    event = in_default_locale(EventPage.objects.live()).get(slug="journee-regionale-mutualisation")
    EventPage.objects.filter(pk=event.pk).update(capacity=500)
    return store_everything(EventPage.objects.get(pk=event.pk))


def log_in(page, base_url):
    get_user_model().objects.create_superuser("xss-admin", "xss-admin@example.org", "mot-de-passe-xss")
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Nom d’utilisateur").fill("xss-admin")
    page.get_by_label("Mot de passe").fill("mot-de-passe-xss")
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def snippet_url(model, action, *args):
    return reverse(model.snippet_viewset.get_url_name(action), args=args)


def test_no_payload_runs_or_builds_an_element_anywhere(page, live_server, stored):
    inspector = Inspector(page, live_server.url)
    posts = stored["posts"]

    # Public pages, in both languages, and the pages behind emailed links.
    for address in [
        "/",
        "/en/",
        "/babillard/",
        "/babillard/?page=2",
        "/en/babillard/",
        "/recherche/?q=alert",
    ]:
        inspector.open(address)
    for post, payload in zip(posts, PAYLOADS, strict=True):
        inspector.open(post.get_absolute_url())
        # The title, typed as it is, shows as text on the post's page ({{7*7}} stays {{7*7}}).
        heading = page.get_by_role("heading", level=1).inner_text()
        assert " ".join(heading.split()) == " ".join(payload.split())[:120], post.pk
        inspector.open(path(links.manage_url(post)))
        report = post.reports.get()
        inspector.open(path(links.report_url(report)))
    for address in stored["registrations"]:
        inspector.open(address)
    for subscriber in stored["subscribers"]:
        inspector.open(newsletter_links.path(subscriber, "newsletter.preferences"))
        inspector.open(newsletter_links.path(subscriber, "newsletter.unsubscribe"))
        inspector.open(newsletter_links.path(subscriber, "newsletter.preferences") + "effacer/")

    # The RSS items, rendered as HTML the way feed readers render them.
    feed = ET.fromstring(Client().get("/babillard/rss/").content)
    items = feed.findall("./channel/item")
    assert len(items) >= len(PAYLOADS)
    reader = "".join(
        f"<article><h2>{item.findtext('title')}</h2><div>{item.findtext('description')}</div></article>"
        for item in items
    )
    inspector.show(f"<!doctype html><html><body>{reader}</body></html>", "rss")

    # The emails written: the transactional ones are plain text, where a payload stays the text it was
    # (no template evaluates it); any with an HTML part is opened as a mail client shows it (no CSP).
    emails = list(OutgoingEmail.objects.all())
    assert len(emails) >= 5 * len(PAYLOADS)
    assert sum("{{7*7}} {% debug %}" in email.body for email in emails) >= 5
    for email in emails:
        if email.html:
            inspector.show(email.html, f"email {email.tag} {email.subject}")

    # The newsletter issue, with the board posts it lists, as each subscriber gets it.
    issue = in_default_locale(NewsletterIssuePage.objects.live()).first()
    for block in issue.body:
        if block.block_type == "latest_posts":
            block.value["limit"] = len(PAYLOADS)  # every post, not the demo's five latest
    rendered = rendering.render_issue(issue, "fr-ca")
    subscriber = stored["subscribers"][0]
    _, html, _ = rendering.personalise(
        rendered,
        unsubscribe_url=newsletter_links.link(subscriber, "newsletter.unsubscribe"),
        preferences_url=newsletter_links.link(subscriber, "newsletter.preferences"),
    )
    inspector.show(html, "newsletter issue")
    assert "%%UNSUBSCRIBE_URL%% %%FIRST_NAME%%" in html  # a post's title, shown as typed

    # The admin: listings and the edit screens of what visitors wrote.
    log_in(page, live_server.url)
    event = stored["event"]
    for model in (Post, Report, ContactMessage, Subscriber, Registration):
        inspector.open(snippet_url(model, "list"))
        inspector.open(snippet_url(model, "list") + "?q=alert")
    for post in posts:
        inspector.open(snippet_url(Post, "edit", post.pk))
    for subscriber in stored["subscribers"]:
        inspector.open(snippet_url(Subscriber, "edit", subscriber.pk))
    for registration in Registration.objects.filter(event=event):
        inspector.open(snippet_url(Registration, "edit", registration.pk))
    for message in ContactMessage.objects.all():
        inspector.open(snippet_url(ContactMessage, "edit", message.pk))
    for report in Report.objects.all():
        inspector.open(snippet_url(Report, "edit", report.pk))
    inspector.open(reverse("events_admin:summary", args=[event.pk]))
    inspector.open(reverse("events_admin:checkin", args=[event.pk]))
    support = in_default_locale(SupportRequestPage.objects.live()).get()
    inspector.open(reverse("wagtailforms:list_submissions", args=[support.pk]))
    inspector.open(reverse("website_privacy:index") + "?email=attendee3%40example.org")
    inspector.open("/admin/")

    print(f"\nXSS corpus: {len(PAYLOADS)} payloads, {inspector.visited} places opened")
    assert inspector.dialogs == []
    assert inspector.problems == [], "\n".join(map(str, inspector.problems))


def test_the_inspector_sees_what_an_injection_would_build(page):
    """The check above would notice: a page where a payload did become markup fails it."""
    inspector = Inspector(page, "")
    inspector.show(f"<p>{PAYLOADS[6]}</p><p>{PAYLOADS[12]}</p><p>{PAYLOADS[15]}</p>", "injected on purpose")
    assert [message for _, message in inspector.dialogs] and len(inspector.problems) == 3

"""An issue becomes an email once per language: HTML from its own template with CSS inlined
(css-inline), and a plain-text alternative. Per-recipient parts are placeholders replaced at send time."""

import functools
import html

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from newsletter.models import NewsletterIssuePage
from website.models import OrganisationSettings

UNSUBSCRIBE = "%%UNSUBSCRIBE_URL%%"
PREFERENCES = "%%PREFERENCES_URL%%"
FIRST_NAME = "%%FIRST_NAME%%"


def issue_in(issue, language):
    """The translation of the issue in `language` if one is live, else the issue itself."""
    from wagtail.models import Locale

    locale = Locale.objects.filter(language_code=language).first()
    if locale and issue.locale_id != locale.pk:
        translated = issue.get_translation_or_none(locale)
        if translated is not None and translated.live:
            return translated.specific
    return issue


def blocks_with_items(issue):
    """The body's blocks, with the board and events blocks filled now (at render, i.e. send time)."""
    rendered = []
    for block in issue.body:
        items = block.block.items(block.value) if hasattr(block.block, "items") else None
        rendered.append({"type": block.block_type, "value": block.value, "items": items, "block": block})
    return rendered


def _render(issue_id, language):
    issue = NewsletterIssuePage.objects.get(pk=issue_id).specific
    issue = issue_in(issue, language)
    organisation = OrganisationSettings.for_site(issue.get_site()) if issue.get_site() else None
    context = {
        "issue": issue,
        "blocks": blocks_with_items(issue),
        "organisation": organisation,
        "site_url": settings.SITE_URL,
        "web_url": settings.SITE_URL + issue.url,
        "unsubscribe_url": UNSUBSCRIBE,
        "preferences_url": PREFERENCES,
        "first_name": FIRST_NAME,
    }
    with translation.override(language):
        raw_html = render_to_string("newsletter/email/issue.html", context)
        text = render_to_string("newsletter/email/issue.txt", context, using="text")
    inlined = css_inline.inline(raw_html)
    return issue.subject, inlined, text


@functools.lru_cache(maxsize=32)
def _render_for_send(send_id, issue_id, language):
    return _render(issue_id, language)


def render_issue(issue, language, send_id=None):
    """(subject, html, text) with placeholders. Within a send, rendered once per worker process and
    language (the board and events blocks are read at that moment); a test copy is rendered afresh."""
    if send_id is None:
        return _render(issue.pk, language)
    return _render_for_send(send_id, issue.pk, language)


def personalise(rendered, *, unsubscribe_url, preferences_url, first_name):
    subject, html_body, text = rendered
    html_body = (
        html_body.replace(UNSUBSCRIBE, html.escape(unsubscribe_url))
        .replace(PREFERENCES, html.escape(preferences_url))
        .replace(FIRST_NAME, html.escape(first_name))
    )
    text = (
        text.replace(UNSUBSCRIBE, unsubscribe_url)
        .replace(PREFERENCES, preferences_url)
        .replace(FIRST_NAME, first_name)
    )
    return subject, html_body, text

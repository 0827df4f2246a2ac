"""An issue becomes an email once per language: HTML from its own template with CSS inlined
(css-inline), and a plain-text alternative.

Per-recipient parts (the unsubscribe and preferences links) are slots that our own template marks
with markers made for that one render (random, so no content can contain them). The rendered text is
split at the markers once; each recipient's copy joins the parts around their own links. Content that
editors or visitors wrote is never searched for placeholders, so a post titled "%%UNSUBSCRIBE_URL%%"
stays that text.
"""

import html
import re
import secrets
import textwrap
from dataclasses import dataclass

import css_inline
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Locale, Site

from website.i18n import absolute_reverse, absolute_url, page_url
from website.models import OrganisationSettings

SLOTS = ("unsubscribe_url", "preferences_url")


@dataclass(frozen=True)
class RenderedIssue:
    """An issue rendered in one language. `html` and `text` alternate literal parts and slot names:
    (literal, slot, literal, slot, …, literal)."""

    subject: str
    html: tuple
    text: tuple
    language: str


def issue_in(issue, language):
    """The issue whose content readers of `language` get: its live translation if an editor made one,
    else the issue itself (an alias shows the source's content)."""
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or issue.pk is None or issue.locale_id == locale.pk:
        return issue
    translated = issue.get_translation_or_none(locale)
    if translated is not None and translated.live and translated.alias_of_id is None:
        return translated.specific
    return issue


def blocks_with_items(issue):
    """The body's blocks; the board and events blocks with their items from their own `get_context`
    (as on the web page), read now (at render, i.e. send time), in the active language."""
    rendered = []
    for block in issue.body:
        items = block.block.get_context(block.value).get("items")
        rendered.append({"type": block.block_type, "value": block.value, "items": items, "block": block})
    return rendered


def _web_url(issue, language):
    if issue.pk is None:  # previewing a page not saved yet
        return absolute_url("/")
    return page_url(issue, language, absolute=True) or absolute_url("/")


# A site-relative address in markup (rich text links, buttons); escaped content cannot hold this quote.
RELATIVE_ADDRESS = re.compile(r'\b(href|src)="/(?!/)')


def absolute_links(html_text):
    """Links in an email must work from a mail client: site-relative addresses get the site's base."""
    return RELATIVE_ADDRESS.sub(lambda m: f'{m.group(1)}="{absolute_url("/")}', html_text)


# Mail lines may hold 998 bytes (RFC 5322); past that, Django quoted-printable-encodes the whole part.
# Lines longer than FOLD_AT are folded where it changes nothing a reader sees, so every part travels as
# 8bit, the same bytes for every recipient around their own links (see sending.messages).
FOLD_AT = 500
# A start tag as css-inline writes it: attribute values always double-quoted, never holding a quote.
START_TAG = re.compile(r'<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')


def fold_html(content):
    """Long lines get a line break inside their start tags (`<a href` becomes `<a` + newline + `href`,
    `<li>` becomes `<li` + newline + `>`): HTML reads whitespace there as nothing."""
    return "\n".join(_fold_html_line(line) for line in content.split("\n"))


def _fold_html_line(line):
    if len(line.encode()) <= FOLD_AT:
        return line
    pieces, start = [], 0
    for tag in START_TAG.finditer(line):
        end = tag.end(1)
        pieces.append(line[start:end] + "\n")
        start = end + 1 if tag.group(2) else end  # the first space before an attribute becomes the break
    pieces.append(line[start:])
    return "".join(pieces)


def fold_text(content):
    """Plain-text lines too long for mail are wrapped at spaces (78 columns, words never cut)."""
    lines = content.split("\n")
    if all(len(line.encode()) <= FOLD_AT for line in lines):
        return content
    wrap = textwrap.TextWrapper(width=78, break_long_words=False, break_on_hyphens=False)
    return "\n".join(line if len(line.encode()) <= FOLD_AT else "\n".join(wrap.wrap(line)) for line in lines)


def _split(content, markers):
    """Cut `content` at the markers: (literal, slot name, literal, …, literal)."""
    names = {marker: name for name, marker in markers.items()}
    parts = re.split("(" + "|".join(re.escape(m) for m in markers.values()) + ")", content)
    return tuple(names[part] if index % 2 else part for index, part in enumerate(parts))


def render_issue(issue, language):
    """Render `issue` (this instance, unsaved changes included) as the email readers of `language` get."""
    content = issue_in(issue, language)
    site = issue.get_site() if issue.pk else None
    site = site or Site.objects.filter(is_default_site=True).first()
    nonce = secrets.token_hex(16)
    markers = {name: f"maillon-{nonce}-{name.replace('_', '-')}" for name in SLOTS}
    with translation.override(language):
        context = {
            "issue": content,
            "language": language,
            "blocks": blocks_with_items(content),
            "organisation": OrganisationSettings.for_site(site) if site else None,
            "web_url": _web_url(issue, language),
            **markers,
        }
        raw_html = render_to_string("newsletter/email/issue.html", context)
        text = render_to_string("newsletter/email/issue.txt", context, using="text")
    inlined = fold_html(absolute_links(css_inline.inline(raw_html)))
    return RenderedIssue(
        content.subject, _split(inlined, markers), _split(fold_text(text), markers), language
    )


def join(parts, values):
    """One copy of a rendered part: its literals around `values` (by slot name)."""
    return "".join(values[part] if index % 2 else part for index, part in enumerate(parts))


def escaped(values):
    """Slot values as the HTML part holds them."""
    return {name: html.escape(value) for name, value in values.items()}


def personalise(rendered, *, unsubscribe_url, preferences_url):
    """(subject, html, text) of one recipient's copy."""
    values = {"unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url}
    return rendered.subject, join(rendered.html, escaped(values)), join(rendered.text, values)


def sample_links(language):
    """Links for previews and test copies to people who are not subscribers: a page that says so."""
    url = absolute_reverse("newsletter:sample_link", language=language)
    return {"unsubscribe_url": url, "preferences_url": url}

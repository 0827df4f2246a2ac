"""Template tags of the newsletter: the sign-up form where a page shows it, absolute addresses and plain
text in emails."""

import re

from bs4 import BeautifulSoup
from django import template
from wagtail.rich_text import expand_db_html

from newsletter.forms import SignupForm
from website.i18n import absolute_url

register = template.Library()


@register.simple_tag
def signup_form():
    """A blank sign-up form (the newsletter page's; the form posts to the sign-up view)."""
    return SignupForm()


@register.filter
def absolute(url):
    """A site-relative address ("/media/…", "/en/…") made absolute for an email; others as given."""
    return absolute_url(url)


BLOCK_ENDS = {"p": "\n\n", "h2": "\n\n", "h3": "\n\n", "h4": "\n\n", "li": "\n", "ul": "\n", "ol": "\n"}


@register.filter
def plain_text(rich_text):
    """Rich text as a reader of the email's text part should see it: a blank line after each paragraph
    and heading, "- " before each list item, a link's absolute address after its words."""
    soup = BeautifulSoup(expand_db_html(getattr(rich_text, "source", str(rich_text))), "html.parser")
    for line_break in soup.find_all("br"):
        line_break.replace_with("\n")
    for link in soup.find_all("a", href=True):
        href, words = absolute_url(link["href"]), link.get_text()
        link.replace_with(href if words.strip() in ("", href) else f"{words} ({href})")
    for item in soup.find_all("li"):
        item.insert(0, "- ")
    for name, end in BLOCK_ENDS.items():
        for element in soup.find_all(name):
            element.append(end)
    text = re.sub(r"[ \t]+", " ", soup.get_text())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()

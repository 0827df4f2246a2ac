"""Template tags of the newsletter: the sign-up form where a page shows it, absolute addresses in emails."""

from django import template

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

"""The privacy policy, linked from the footer, every public form's notice and every consent box."""

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from website import page_cache
from website.i18n import current_language, in_default_locale, page_url
from website.models.privacy import PrivacyPolicyPage

KEPT_SECONDS = 60 * 60


def privacy_policy_url():
    """The address of the privacy policy page in the active language, or "" if there is none (kept with
    the site chrome: every public form links to it)."""
    return page_cache.versioned(f"privacy-policy-url:{current_language()}", _privacy_policy_url, KEPT_SECONDS)


def _privacy_policy_url():
    try:
        page = in_default_locale(PrivacyPolicyPage.objects.live()).first()
    except Locale.DoesNotExist:  # a database with no content yet
        return ""
    return page_url(page) if page is not None else ""


def consent_help_text(help_text="", url=None):
    """A consent box's help text, followed by the link to the privacy policy."""
    url = privacy_policy_url() if url is None else url
    if not url:
        return help_text
    link = format_html('<a href="{}">{}</a>', url, _("Politique de confidentialité"))
    return format_html("{} {}", help_text, link) if help_text else link

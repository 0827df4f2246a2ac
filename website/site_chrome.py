"""What every public page shows around its content: the organisation's name and contacts, the main menu,
the footer's links and text and the privacy policy's address. The same for every visitor of a site in
one language, so it is built once (a dozen queries: settings, linked pages, translations) and kept in the
cache until a change gives the page cache a new version (website/page_cache.py)."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from wagtail.models import Site

from website import page_cache, privacy
from website.models import NavigationSettings, OrganisationSettings

KEPT_SECONDS = 60 * 60
ORGANISATION_FIELDS = [
    "name",
    "postal_address",
    "phone",
    "contact_email",
    "privacy_officer_name",
    "privacy_officer_email",
]


def for_request(request):
    """The chrome of the request's site in the active language (one cache read), kept on the request."""
    chrome = getattr(request, "_site_chrome", None)
    if chrome is None:
        site = Site.find_for_request(request)
        if site is None:
            return build(None)
        key = f"site-chrome:{site.pk}:{get_language()}"
        chrome = page_cache.versioned(key, lambda: build(site), KEPT_SECONDS)
        request._site_chrome = chrome
    return chrome


def build(site):
    organisation = OrganisationSettings.for_site(site) if site else OrganisationSettings()
    navigation = NavigationSettings.for_site(site) if site else NavigationSettings()
    return {
        "organisation": {
            **{field: getattr(organisation, field) for field in ORGANISATION_FIELDS},
            "social_links": organisation.social_links,
        },
        "main_menu": links(navigation.main_menu),
        "footer_links": links(navigation.footer_links),
        "footer_text": navigation.footer_text_for_reader,
        "privacy_policy_url": privacy.privacy_policy_url(),
    }


def links(stream):
    return [{"href": item.value.href(), "text": item.value.text()} for item in stream]


def context(request):
    """Context processor: `chrome`, read from the cache only if the template uses it."""
    return {"chrome": SimpleLazyObject(lambda: for_request(request))}

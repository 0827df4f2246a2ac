"""Languages across the site: one page tree per language, links that stay in the reader's language.

French is the source. Every French page has a counterpart in the English tree
(`WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE`): an alias showing the French content until an editor turns
it into a real translation. So `/en/…` always routes, and every page link built while English is
active (`page.localized.url`) stays under `/en/`.

Things that happen once per event or issue (registrations, seats, sends, reminders) belong to the
source page: `canonical(page)`. Listings show the pages of the reader's locale: `in_active_locale(qs)`.
Background jobs work on source pages only: `in_default_locale(qs)`.
"""

import threading
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from wagtail.models import Locale, Page, Site

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def current_language():
    """The active language as one of LANGUAGES' codes ("fr-ca" or "en"), for storing on a record."""
    return normalise_language(translation.get_language())


def normalise_language(code):
    code = (code or "").lower()
    if code in LANGUAGE_CODES:
        return code
    prefix = code.split("-")[0]
    for candidate in LANGUAGE_CODES:
        if candidate.split("-")[0] == prefix:
            return candidate
    return settings.LANGUAGE_CODE


def absolute_reverse(viewname, *, language=None, args=(), kwargs=None):
    """An absolute address (for emails) of a named route, in `language` (its `/en/` prefix if English)."""
    with translation.override(language or current_language()):
        return settings.SITE_URL + reverse(viewname, args=args, kwargs=kwargs)


# During a request (website.signal_handlers), the Locale of each language code is read once: a page asks
# for it from the router, the form, the JSON-LD, the calendar links and the privacy link (five to seven
# queries a page otherwise). Outside requests nothing is kept, so a test's rolled-back rows never linger.
_request = threading.local()


def remember_locales(on):
    _request.locales = {} if on else None


def locale_for(code):
    locales = getattr(_request, "locales", None)
    if locales is None:
        return Locale.objects.get_for_language(code)
    if code not in locales:
        locales[code] = Locale.objects.get_for_language(code)
    return locales[code]


def default_locale():
    return locale_for(settings.LANGUAGE_CODE)


def active_locale():
    try:
        return locale_for(translation.get_language())
    except (Locale.DoesNotExist, LookupError):
        return default_locale()


def in_active_locale(queryset):
    """Pages of the reader's language: each French page or its English alias or translation, never both."""
    return queryset.filter(locale=active_locale())


def in_default_locale(queryset):
    """Source pages only: what registrations, sends and scheduled jobs attach to. None while the site
    has no default locale yet (no page exists then; the admin home's figures still render)."""
    try:
        return queryset.filter(locale=default_locale())
    except Locale.DoesNotExist:
        return queryset.none()


def canonical(page):
    """The source (default-language) page of `page`: itself, or the page it translates or aliases."""
    if page is None:
        return None
    locale = default_locale()
    if page.locale_id == locale.pk:
        return page
    source = page.get_translation_or_none(locale)
    return source.specific if source is not None else page


def localized(page, language=None):
    """`page` in `language` (default: the active one), falling back to `page` itself."""
    if page is None:
        return None
    with translation.override(language or current_language()):
        locale = active_locale()
    if page.locale_id == locale.pk:
        return page.specific
    # As Wagtail's `page.localized`, with the locale read once a request: a live translation, else `page`.
    found = page.get_translation_or_none(locale)
    return found.specific if found is not None and found.live else page.specific


def page_url(page, language=None, absolute=False):
    """The address of `page` in `language`: the translation's or alias's, with its language prefix."""
    language = language or current_language()
    target = localized(page, language)
    with translation.override(language):
        url = target.get_url()
    return absolute_url(url) if absolute else url


def absolute_url(url):
    """A site-relative address ("/en/…") made absolute with SITE_URL; anything else comes back as given."""
    return settings.SITE_URL + url if url and url.startswith("/") else url


def localize_path(path, language=None):
    """A site address typed by an editor ("/babillard/", "/accompagnement/?x=1") in `language`
    (default: the active one): the page's translation or alias for a Wagtail page, the `/en/` route
    for a Django view. Addresses elsewhere (https://…, mailto:, #…) and unknown paths come back as given."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return path
    language = normalise_language(language or current_language())
    parts = urlsplit(path)
    french_path = _strip_language_prefix(parts.path)
    if language == settings.LANGUAGE_CODE and french_path == parts.path:
        return path  # already a French address: no lookup on every French page
    with translation.override(settings.LANGUAGE_CODE):
        try:
            match = resolve(french_path)
        except Resolver404:
            return path
    if match.url_name == "wagtail_serve":
        page = _page_at(match.args[0] if match.args else match.kwargs.get("path", ""))
        if page is None:
            return path
        localized_path = page_url(page, language) or path
    else:
        with translation.override(settings.LANGUAGE_CODE):
            localized_path = translate_url(french_path, language)
    return urlunsplit(("", "", localized_path, parts.query, parts.fragment))


def _strip_language_prefix(path):
    for code in LANGUAGE_CODES:
        prefix = f"/{code}/"
        if code != settings.LANGUAGE_CODE and path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def _page_at(route):
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    return Page.objects.filter(url_path=site.root_page.url_path + route).live().first()


def sync_page_tree():
    """Give every page of the source tree its counterpart in every other locale (an alias), as
    Wagtail's simple_translation does for pages created in the admin. Returns how many were created.
    Used by the demo seed and after imports; running it again creates nothing."""
    created = 0
    source = default_locale()
    others = list(Locale.objects.exclude(pk=source.pk))
    pages = Page.objects.filter(locale=source, depth__gt=1).order_by("path")
    for page in pages:
        for locale in others:
            if not page.has_translation(locale):
                page.specific.copy_for_translation(locale, copy_parents=True, alias=True)
                created += 1
    return created

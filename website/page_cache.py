"""Whole public pages for visitors without a session, kept in the shared cache (Redis).

A visitor who carries no cookie but the CSRF one sees what every such visitor sees, so the response of
a view named in PAGE_CACHE_VIEWS is stored once and served to the next ones without running the view.
What differs per visitor is put back on each hit: the CSRF token of each form (the stored copy holds a
marker; `get_token` gives this visitor's own masked token and cookie) and every header the outer
middleware adds (CSP, security headers, Vary, the CSRF cookie).

Freshness: every stored page carries the cache's version; any change that a page may show (a page
published, unpublished or moved, settings or snippets saved, a post moderated, a registration taken)
gives the cache a new version once its transaction commits (`website.signal_handlers`), so the next
request renders again. PAGE_CACHE_SECONDS bounds what no signal announces (time passing, a queryset
`.update()`). Not stored: anything but a 200, a response that sets a cookie or says `private`/`no-store`,
a request whose session or messages changed, a page that used its CSP nonce.

The key space is bounded: a page is keyed on its path and the query parameters pages read
(PAGE_CACHE_QUERY_PARAMS, sorted; each once, at most MAX_VALUE_LENGTH characters); a query string with
anything else (a tracking tag, junk) is rendered and never stored, since pages copy the query string
into their links. At most PAGE_CACHE_VARIANTS query strings of one path are stored per
PAGE_CACHE_SECONDS: past that, the path's other query strings are rendered, so distinct query strings
cannot fill Redis (which also carries the Celery broker unless CACHE_REDIS_URL separates them). While Redis is down nothing
is stored or served from here (the fail-open cache would keep copies per process that a publish made in
another process could not reach), and a change committed meanwhile cannot give a new version: so a
process that saw Redis down gives one as soon as Redis answers it again.
"""

import hashlib
import re
import secrets
import threading

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import cc_delim_re
from django.utils.http import urlencode
from django.utils.translation import get_language

VERSION_KEY = "page-cache:version"
CHROME_VERSION_KEY = "page-cache:chrome-version"
SCOPE_KEY = "page-cache:scope:"
MAX_VALUE_LENGTH = 200
CSRF_MARK = b"maillon-page-cache-csrf-token"
# A masked CSRF token: 64 letters and digits (django.middleware.csrf.CSRF_TOKEN_LENGTH).
TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}
UNSTORED_HEADERS = {"content-length", "set-cookie"}
# Set while this process sees Redis down; cleared by the new version it gives once Redis is back.
_outage_seen = threading.Event()


def new_version(chrome=True):
    """Every stored page is out of date from now on (called after a change commits); with `chrome`, what
    `versioned` keeps too (a registration or a board post changes pages, never menus or the language
    switcher). With Redis down, owed until it answers again (`_redis_down`)."""
    if not _redis_down():
        version = secrets.token_hex(8)
        cache.set_many(
            {key: version for key in (VERSION_KEY, CHROME_VERSION_KEY)[: 2 if chrome else 1]}, None
        )
        _redis_down()  # Redis lost during this very call: the version is owed


def versioned(key, build, timeout, chrome=True):
    """`build()`, kept under `key` until a change gives the chrome a new version (or `timeout` seconds):
    for what every page shows whatever the visitor (website/site_chrome.py). With `chrome=False`, until
    any change a page may show (what a registration or a moderated post changes too). Built every time
    while the page cache is off or Redis is down."""
    if settings.PAGE_CACHE_SECONDS <= 0 or _redis_down():
        return build()
    version_key = CHROME_VERSION_KEY if chrome else VERSION_KEY
    found = cache.get_many([version_key, key])
    version, entry = found.get(version_key), found.get(key)
    if entry is not None and version is not None and entry["version"] == version:
        return entry["value"]
    version = _started(version, version_key)
    value = build()
    cache.set(key, {"version": version, "value": value}, timeout)
    return value


def _started(version, version_key=VERSION_KEY):
    """The version to store under, made now if the cache has none (empty, or evicted): before the
    build, so that a change committed during the build leaves what it stores out of date."""
    if version is None:
        cache.add(version_key, secrets.token_hex(8), None)
        version = cache.get(version_key)
    return version


def _redis_down():
    """Whether this process serves the cache from its own memory. Back from an outage, the process first
    gives a new version: what changed during the outage (a page published, the menu edited) could not
    announce itself, and pages and site chrome stored before it (kept up to an hour) would be served."""
    if _outage_seen.is_set() and not _cache_is_down():
        _outage_seen.clear()
        version = secrets.token_hex(8)
        cache.set_many({VERSION_KEY: version, CHROME_VERSION_KEY: version}, None)
    if _cache_is_down():
        _outage_seen.set()
        return True
    return False


def _cache_is_down():
    return getattr(cache, "is_down", lambda: False)()


def _digest(*parts):
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _key(request):
    """The key of the request's page, or None if its query string is not one pages read."""
    query = normalised_query(request.GET)
    if query is None:
        return None
    return "page-cache:" + _digest(request.scheme, request.get_host(), get_language(), request.path, query)


def normalised_query(params):
    """`params` as a sorted query string if every name is one pages read, given once and not too long
    (the form a page would validate anyway); else None."""
    allowed = settings.PAGE_CACHE_QUERY_PARAMS
    kept = []
    for name, values in params.lists():
        if name not in allowed or len(values) != 1 or len(values[0]) > MAX_VALUE_LENGTH:
            return None
        kept.append((name, values[0]))
    return urlencode(sorted(kept))


def _variant_allowed(request):
    """Whether one more query string of this path may be stored in the current window (the first one,
    the bare path, always may)."""
    if not request.GET:
        return True
    counter = "page-cache:variants:" + _digest(request.get_host(), get_language(), request.path)
    if cache.add(counter, 1, settings.PAGE_CACHE_SECONDS):
        return True
    try:
        return cache.incr(counter) <= settings.PAGE_CACHE_VARIANTS
    except ValueError:  # the window ended between the two calls
        return True


def _visitor_has_state(request):
    return any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES)


class AnonymousPageCacheMiddleware:
    """After CsrfViewMiddleware and MessageMiddleware (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "_page_cache", None)
        if state is not None and request.method == "GET" and _storable(request, response):
            if _variant_allowed(request):
                _store(state, request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _eligible(request):
            return None
        key = _key(request)
        if key is None:
            return None
        found = cache.get_many([VERSION_KEY, key])
        version, entry = found.get(VERSION_KEY), found.get(key)
        if (
            entry is not None
            and version is not None
            and entry["version"] == version
            and _scope_current(entry)
        ):
            return _replay(request, entry)
        request._page_cache = {"key": key, "version": _started(version)}
        return None


def _eligible(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and request.resolver_match.view_name in settings.PAGE_CACHE_VIEWS
        and not _visitor_has_state(request)
        and not _redis_down()
    )


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = {
        part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if cache_control & REFUSED_CACHE_CONTROL:
        return False
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    if (session is not None and session.modified) or (messages is not None and messages.added_new):
        return False
    # A nonce written into the page would not match the next visitor's header.
    return not isinstance(getattr(request, "_csp_nonce", None), str) and not _redis_down()


def _store(state, request, response):
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        content = _mark_csrf_tokens(content, request.META["CSRF_COOKIE"])
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
    entry = {
        "version": state["version"],
        "status": response.status_code,
        "headers": headers,
        "content": content,
    }
    entry["scope"] = state.get("scope")
    cache.set(state["key"], entry, settings.PAGE_CACHE_SECONDS)


def depends_on(request, scope):
    """The page being rendered shows rows of `scope` (e.g. one event's registrations), whose changes give
    only that scope a new version (`new_scope_version`): read now, before the view reads those rows,
    so that a change committed meanwhile leaves the stored copy out of date."""
    state = getattr(request, "_page_cache", None)
    if state is not None:
        key = SCOPE_KEY + scope
        state["scope"] = (key, _started(cache.get(key), key))


def new_scope_version(scope):
    """Pages that depend on `scope` are out of date (called after a change of its rows commits)."""
    if not _redis_down():
        cache.set(SCOPE_KEY + scope, secrets.token_hex(8), None)


def _scope_current(entry):
    scope = entry.get("scope")
    return scope is None or cache.get(scope[0]) == scope[1]


def _mark_csrf_tokens(content, secret):
    """This visitor's masked tokens (any form, any attribute) become the marker `_replay` fills."""

    def mark(match):
        token = match.group(0)
        return CSRF_MARK if _unmask_cipher_token(token.decode()) == secret else token

    return TOKEN_RE.sub(mark, content)


def _replay(request, entry):
    content = entry["content"]
    if CSRF_MARK in content:
        content = content.replace(CSRF_MARK, get_token(request).encode())
    response = HttpResponse(content, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response

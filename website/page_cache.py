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
a request whose session or messages changed, a page that used its CSP nonce. While Redis is down nothing
is stored or served from here (the fail-open cache would keep copies per process that a publish made in
another process could not reach).
"""

import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

VERSION_KEY = "page-cache:version"
CSRF_MARK = b"maillon-page-cache-csrf-token"
# A masked CSRF token: 64 letters and digits (django.middleware.csrf.CSRF_TOKEN_LENGTH).
TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
REFUSED_CACHE_CONTROL = {"private", "no-store", "no-cache"}
UNSTORED_HEADERS = {"content-length", "set-cookie"}


def new_version():
    """Every stored page is out of date from now on (called after a change commits)."""
    if _redis_down():
        return
    cache.set(VERSION_KEY, secrets.token_hex(8), None)


def versioned(key, build, timeout):
    """`build()`, kept under `key` until the cache's version changes (or `timeout` seconds): for what
    every page shows whatever the visitor (website/site_chrome.py). Built every time while the page
    cache is off or Redis is down."""
    if settings.PAGE_CACHE_SECONDS <= 0 or _redis_down():
        return build()
    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY), found.get(key)
    if entry is not None and version is not None and entry["version"] == version:
        return entry["value"]
    version = _started(version)
    value = build()
    cache.set(key, {"version": version, "value": value}, timeout)
    return value


def _started(version):
    """The version to store under, made now if the cache has none (empty, or evicted): before the
    build, so that a change committed during the build leaves what it stores out of date."""
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(VERSION_KEY)
    return version


def _redis_down():
    return getattr(cache, "is_down", lambda: False)()


def _key(request):
    address = f"{request.scheme}|{request.get_host()}|{get_language()}|{request.get_full_path()}"
    return "page-cache:" + hashlib.sha256(address.encode()).hexdigest()


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
            _store(state["key"], state["version"], request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _eligible(request):
            return None
        key = _key(request)
        found = cache.get_many([VERSION_KEY, key])
        version, entry = found.get(VERSION_KEY), found.get(key)
        if entry is not None and version is not None and entry["version"] == version:
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


def _store(key, version, request, response):
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        content = _mark_csrf_tokens(content, request.META["CSRF_COOKIE"])
    headers = [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS]
    entry = {"version": version, "status": response.status_code, "headers": headers, "content": content}
    cache.set(key, entry, settings.PAGE_CACHE_SECONDS)


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

"""Routing a public address to its page in one query instead of two per level.

Wagtail walks the tree from the site's home page: for `/evenements/un-evenement/` it reads each child by
its slug, then its specific row, level by level (four queries there, on every request, pages served from
the page cache excepted). Each process remembers where a walk ended (the page's type and id) for the
path; the next request for the path reads that page alone, and takes it only if it is still live and
still at that address (its `url_path`: a page moved, renamed or deleted is not found there, and the walk
runs again). Only plain results are remembered: a page that routes the rest of the path itself (extra
arguments, as the Mesure page's report) is walked every time. View restrictions are checked after
routing, as before.

The site a request is for (Wagtail's `Site.find_for_request`, a query on every request), with its home
page as its specific type (the router's starting point, another query), is kept with the site chrome
(`website.page_cache.versioned`: until any change of a site or a page, rebuilt every time while the page
cache is off), by `KnownSiteMiddleware` for the pages Wagtail serves.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.url_routing import RouteResult

from website import page_cache

MAX_ROUTES = 5000  # per process; past it, forgotten all at once
SITE_KEPT_SECONDS = 60 * 60
_routes = {}


class KnownSiteMiddleware:
    """After CommonMiddleware (the host is an allowed one by then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.resolver_match.view_name == "wagtail_serve" and not hasattr(request, "_wagtail_site"):
            host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
            key = "wagtail-site:" + hashlib.sha256(host.encode()).hexdigest()
            request._wagtail_site = page_cache.versioned(key, lambda: _site_for(request), SITE_KEPT_SECONDS)


def _site_for(request):
    """The request's site, kept with its home page as its specific type: Wagtail's router starts from
    `site.root_page.localized.specific`, which otherwise reads the home page's own row on every request."""
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific
    return site


def route(home, request, path_components, walk):
    """The route of `path_components` below `home` (a site's root page): remembered, else `walk`'s."""
    if not path_components:
        return walk(request, path_components)
    url_path = home.url_path + "".join(f"{component}/" for component in path_components)
    known = _routes.get((home.pk, url_path))
    if known is not None:
        try:
            model = ContentType.objects.get_for_id(known[0]).model_class()
        except ContentType.DoesNotExist:  # a content type gone since (a flushed test database)
            model = None
        page = model and model.objects.filter(pk=known[1], url_path=url_path, live=True).first()
        if page is not None:
            return RouteResult(page)
    result = walk(request, path_components)
    page, args, kwargs = result
    if not args and not kwargs and page.url_path == url_path:
        if len(_routes) >= MAX_ROUTES:
            _routes.clear()
        _routes[(home.pk, url_path)] = (page.content_type_id, page.pk)
    return result

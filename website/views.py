import sys

from django.conf import settings
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from website import health
from website import search as site_search

SEARCH_PAGE_SIZE = 10


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("type", "")
    results = facets = None
    if query:
        found, facets = site_search.search(query, request, kind)
        results = Paginator(found, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"query": query, "kind": kind, "results": results, "facets": facets}
    return render(request, "website/search.html", context)


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    body = f"User-agent: *\nDisallow: /admin/\nDisallow: /infolettre/confirmer/\nSitemap: {sitemap}\n"
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request):
    """Probes get the status code and `{"status": "ok|error"}`; which dependency failed, and why, only
    staff or a caller holding HEALTHZ_TOKEN may know."""
    ok, checks = health.report()
    body = {"status": "ok" if ok else "error"}
    if health.may_see_details(request):
        body.update(checks)
    return JsonResponse(body, status=200 if ok else 503)


@never_cache
@require_GET
def liveness(request):
    return JsonResponse({"status": "ok"})


def rate_limited(request, exception):
    return HttpResponse(_("Trop de requêtes. Réessayez dans quelques minutes."), status=429)


def database_unavailable(exception):
    """Django's wrapped errors, and the driver's own (psycopg raises unwrapped when a server-side cursor
    closes on a dead connection)."""
    driver = connections["default"].Database
    kinds = (OperationalError, InterfaceError, driver.OperationalError, driver.InterfaceError)
    return isinstance(exception, kinds)


def server_error(request):
    """handler500. A lost database connection (a restart, a dropped connection, a failover) is a
    temporary outage, not a bug: the visitor gets a 503 in the language of the address, rendered without
    the database, and the connection is replaced on the next request (CONN_HEALTH_CHECKS)."""
    unavailable = database_unavailable(sys.exc_info()[1])
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        body = loader.get_template("503.html" if unavailable else "500.html").render()
    response = HttpResponse(body, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "30"
    return response

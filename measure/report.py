"""The impact page's funder report: its main figures on one page of A4 or Letter, as a PDF (WeasyPrint),
in the reader's language. Costly (about a second): kept in the cache per page revision, language and
day (the figures of "the last 12 months" move every day), for an hour."""

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

REPORT_PATH = "rapport"  # /impact/rapport/: Wagtail routes only paths that end with a slash
STYLESHEET = "measure/impact_report.css"
LIFETIME = 3600


def cache_key(page):
    source = page.alias_of if page.alias_of_id else page
    revision = source.live_revision_id
    return f"measure:impact-report:{source.pk}:{revision}:{get_language()}:{timezone.localdate().isoformat()}"


def render_report(page, request):
    # Imported here, not at the top: WeasyPrint (Pango, fontTools) adds about 0.45 s to every process
    # that loads the apps (each gunicorn and Celery worker, each management command), for a report
    # that most of them never render.
    from weasyprint import CSS, HTML

    context = page.get_context(request)
    html = render_to_string("measure/impact_report.html", context, request=request)
    stylesheet = CSS(filename=finders.find(STYLESHEET))
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=[stylesheet])


def report_pdf(page, request):
    """The report's bytes, from the cache when this revision was already rendered today."""
    key = cache_key(page)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_report(page, request)
        cache.set(key, pdf, LIFETIME)
    return pdf

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from events import views as events_views
from website import views

handler500 = "website.views.server_error"


class PageSlugConverter:
    """Every slug Wagtail can make (WAGTAIL_ALLOW_UNICODE_SLUGS: letters of any script, digits, "-", "_"),
    unlike Django's ASCII-only <slug:>; nothing else (no NUL, no "/")."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PageSlugConverter, "page_slug")

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz/", views.healthz, name="healthz"),
    path("healthz/live/", views.liveness, name="liveness"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Provider webhooks, refused until ANYMAIL_WEBHOOK_SECRET is set (see newsletter/webhooks.py).
    path("anymail/", include("newsletter.webhooks")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("recherche/", views.search, name="search"),
    path("babillard/", include("bulletin.urls")),
    path("inscriptions/", include("events.urls")),
    path("infolettre/", include("newsletter.urls")),
    # Fixed addresses: calendar apps keep subscriptions for years.
    path("evenements/calendrier.ics", events_views.calendar_feed, name="events_calendar"),
    # <page_slug:slug>: Wagtail makes Unicode slugs ("formation-comptabilité-…") from French titles.
    path("evenements/<page_slug:slug>/calendrier.ics", events_views.event_calendar, name="event_calendar"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

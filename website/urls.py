from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from website import directory, space_views, views
from website import organisation_proposal_views as proposal_views

handler500 = "website.views.server_error"

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
    path("organismes/", directory.organisation_list, name="organisation_list"),
    # Two segments: never taken for an organisation's slug.
    path("organismes/proposer/lien/", proposal_views.request_link, name="organisation_proposal_link"),
    path(
        "organismes/proposer/lien/envoye/", proposal_views.link_sent, name="organisation_proposal_link_sent"
    ),
    path("organismes/proposer/<str:token>/", proposal_views.propose, name="organisation_proposal"),
    path(
        "organismes/proposer/<str:token>/envoyee/",
        proposal_views.proposal_sent,
        name="organisation_proposal_sent",
    ),
    path("organismes/<slug:slug>/", directory.organisation_detail, name="organisation_detail"),
    path("mon-espace/", space_views.space_request, name="space_request"),
    path("mon-espace/lien-envoye/", space_views.space_sent, name="space_sent"),
    path("mon-espace/donnees-effacees/", space_views.space_erased, name="space_erased"),
    path("mon-espace/<str:token>/", space_views.space_home, name="space_home"),
    path("mon-espace/<str:token>/deconnexion/", space_views.space_logout, name="space_logout"),
    path("mon-espace/<str:token>/donnees.json", space_views.space_download, name="space_download"),
    path("mon-espace/<str:token>/effacer/", space_views.space_erase, name="space_erase"),
    path("babillard/", include("bulletin.urls")),
    path("inscriptions/", include("events.urls")),
    path("infolettre/", include("newsletter.urls")),
    # The calendar feeds (fixed addresses); anything else under evenements/ is Wagtail's event pages.
    path("evenements/", include("events.calendar_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

"""The calendar feeds, at fixed addresses (calendar apps keep subscriptions for years): included at
`evenements/` by the site's urlconf, without a namespace, so the names stay `events_calendar` and
`event_calendar`."""

from django.urls import path

from events import views

urlpatterns = [
    path("calendrier.ics", views.calendar_feed, name="events_calendar"),
    # <page_slug:slug>: Wagtail makes Unicode slugs ("formation-comptabilité-…") from French titles.
    path("<page_slug:slug>/calendrier.ics", views.event_calendar, name="event_calendar"),
]

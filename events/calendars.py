"""iCalendar (RFC 5545) for events, built with the icalendar library: one feed and one file per event.

UIDs are random UUIDs stored with each event, so they never change; DTSTAMP is the last publication;
SEQUENCE goes up when the dates or the status change; times carry America/Toronto with its VTIMEZONE."""

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from events.models import EventPage

TZ = ZoneInfo(settings.TIME_ZONE)
STATUS = {
    EventPage.Status.SCHEDULED: "TENTATIVE",
    EventPage.Status.CONFIRMED: "CONFIRMED",
    EventPage.Status.CANCELLED: "CANCELLED",
    EventPage.Status.POSTPONED: "TENTATIVE",
}


def new_calendar(name):
    calendar = Calendar()
    calendar.add("prodid", "-//Maillon//Evenements//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def add_timezones(calendar):
    today = timezone.localdate()
    calendar.add_missing_timezones(
        first_date=today.replace(year=today.year - 2, month=1, day=1),
        last_date=today.replace(year=today.year + 3, month=1, day=1),
    )


def location(event):
    parts = [event.venue, " ".join(event.address.split())]
    return ", ".join(p for p in parts if p) or event.online_url and "En ligne" or ""


def vevent(event):
    item = Event()
    item.add("uid", f"{event.uid}@maillon")
    item.add("dtstamp", event.last_published_at or event.latest_revision_created_at or timezone.now())
    item.add("dtstart", event.start.astimezone(TZ))
    item.add("dtend", event.end.astimezone(TZ))
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    item.add("description", event.summary or "")
    item.add("url", settings.SITE_URL + event.url)
    item.add("status", STATUS[event.status])
    if location(event):
        item.add("location", location(event))
    return item


def event_calendar(event):
    calendar = new_calendar(event.title)
    calendar.add_component(vevent(event))
    add_timezones(calendar)
    return calendar.to_ical()


def feed_calendar(index):
    calendar = new_calendar("Événements — Maillon")
    events = EventPage.objects.child_of(index).live().public().order_by("start")
    for event in events.iterator():
        calendar.add_component(vevent(event))
    add_timezones(calendar)
    return calendar.to_ical()


def ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def feed_response(index):
    return ics_response(feed_calendar(index), "calendrier.ics")


def event_response(event):
    return ics_response(event_calendar(event), f"{event.slug}.ics")


def add_to_calendar_links(event):
    utc = "%Y%m%dT%H%M%SZ"
    start, end = event.start.astimezone(ZoneInfo("UTC")), event.end.astimezone(ZoneInfo("UTC"))
    google = "https://calendar.google.com/calendar/render?" + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{start:{utc}}/{end:{utc}}",
            "details": settings.SITE_URL + event.url,
            "location": location(event),
        }
    )
    outlook = "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": start.isoformat(),
            "enddt": end.isoformat(),
            "body": settings.SITE_URL + event.url,
            "location": location(event),
        }
    )
    return {"ics": reverse("event_calendar", args=[event.slug]), "google": google, "outlook": outlook}

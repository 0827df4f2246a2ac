"""schema.org Event as JSON-LD for search engines."""

import json

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from events.models.records import EventState

STATUS = {
    EventState.SCHEDULED: "EventScheduled",
    EventState.CONFIRMED: "EventScheduled",
    EventState.CANCELLED: "EventCancelled",
    EventState.POSTPONED: "EventPostponed",
}


def event_json_ld(event, organisation_name, seats_left, price=None):
    url = settings.SITE_URL + event.url
    if event.is_online:
        mode, location = "OnlineEventAttendanceMode", {"@type": "VirtualLocation", "url": url}
    else:
        mode = "MixedEventAttendanceMode" if event.online_url else "OfflineEventAttendanceMode"
        location = {
            "@type": "Place",
            "name": event.venue or event.title,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": " ".join(event.address.split()),
                "addressRegion": "QC",
                "addressCountry": "CA",
            },
        }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": timezone.localtime(event.start).replace(microsecond=0).isoformat(),
        "endDate": timezone.localtime(event.end).replace(microsecond=0).isoformat(),
        "eventStatus": f"https://schema.org/{STATUS[event.state]}",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": location,
        "organizer": {"@type": "Organization", "name": organisation_name, "url": settings.SITE_URL},
        "url": url,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": str(price if price is not None else 0),
            "priceCurrency": "CAD",
            "availability": "https://schema.org/InStock" if seats_left else "https://schema.org/SoldOut",
        },
    }
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)

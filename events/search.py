"""What the site search finds among events: published, public event pages in the reader's language."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.models import EventPage
from website.search import Hit, SearchSource, excerpt, live_pages, page_text


class EventSearchSource(SearchSource):
    key = "evenements"
    label = _("Événements")
    order = 20
    page_models = (EventPage,)

    def results(self, query):
        return live_pages(EventPage).select_related("kind").search(query, operator="and")

    def hit(self, event, query, request):
        when = date_format(timezone.localtime(event.start), "DATE_FORMAT")
        return Hit(
            kind=_("Événement"),
            title=event.title,
            url=event.get_url(request),
            excerpt=excerpt(page_text(event), query),
            detail=f"{event.kind.label} · {when}",
        )

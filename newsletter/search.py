"""What the site search finds in the newsletter: published issues of the web archive."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from newsletter.models import NewsletterIssuePage
from website.search import Hit, SearchSource, excerpt, live_pages, stream_text


class IssueSearchSource(SearchSource):
    key = "infolettre"
    label = _("Numéros de l'infolettre")
    order = 30
    page_models = (NewsletterIssuePage,)

    def results(self, query):
        return live_pages(NewsletterIssuePage).search(query, operator="and")

    def hit(self, issue, query, request):
        text = " ".join([issue.subject, issue.preheader, stream_text(list(issue.body.raw_data))])
        published = issue.first_published_at or issue.last_published_at
        return Hit(
            kind=_("Infolettre"),
            title=issue.title,
            url=issue.get_url(request),
            excerpt=excerpt(text, query),
            detail=date_format(timezone.localtime(published), "DATE_FORMAT") if published else "",
        )

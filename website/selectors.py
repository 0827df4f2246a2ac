"""What the figures may ask about support requests (read only): counts by status and MRC, time to first
response, and which requests led to a case study. Posts and events are counted by their own apps'
selectors (`bulletin.selectors.support_requests_with_posts`, `events.selectors.support_requests_with_events`),
each a subquery of request ids to combine with `support_requests()`:

    requests = support_requests(start=start, end=end, region="mirabel")
    led_to_a_post = requests.filter(pk__in=bulletin_selectors.support_requests_with_posts()).count()
"""

from django.db.models import Count

from website.models.pages import CaseStudyPage
from website.models.support import SupportRequest


def support_requests(*, start=None, end=None, region=""):
    """Requests received in [start, end) (either bound may be None), in the MRC of slug `region`."""
    requests = SupportRequest.objects.all()
    if start is not None:
        requests = requests.filter(submitted_at__gte=start)
    if end is not None:
        requests = requests.filter(submitted_at__lt=end)
    if region:
        requests = requests.filter(region__slug=region)
    return requests


def status_counts(requests):
    """{status value: count} for every status (0 included), in one query."""
    counts = dict(requests.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in SupportRequest.Status.values}


def counts_by_region(requests):
    """[(region slug or None, count)], most requests first, in one query."""
    rows = requests.order_by().values_list("region__slug").annotate(n=Count("pk")).order_by("-n")
    return list(rows)


def first_response_times(requests):
    """The waiting time (timedelta) before the first response of every request that had one, shortest
    first, in one query. First response: the status first left "nouvelle" (website/models/support.py)."""
    rows = requests.exclude(first_response_at=None).values_list("submitted_at", "first_response_at")
    return sorted(answered - submitted for submitted, answered in rows)


def support_requests_with_case_studies():
    """The ids of the requests that led to a case study (a subquery)."""
    return CaseStudyPage.objects.exclude(support_request=None).values("support_request")

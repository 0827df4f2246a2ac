"""What the figures may ask about support requests (read only): counts by status and MRC, time to first
response, and which requests led to a case study. Posts and events are counted by their own apps'
selectors (`bulletin.selectors.support_requests_with_posts`, `events.selectors.support_requests_with_events`),
each a subquery of request ids to combine with `support_requests()`:

    requests = support_requests(start=start, end=end, region="mirabel")
    led_to_a_post = requests.filter(pk__in=bulletin_selectors.support_requests_with_posts()).count()
"""

from django.db.models import Count, Q

from website.models.pages import CaseStudyPage
from website.models.support import SupportRequest
from website.models.taxonomy import Region


def support_requests(*, start=None, end=None, region="", organisation_kind=""):
    """Requests received in [start, end) (either bound may be None), in the MRC of slug `region`, from an
    organisation of type `organisation_kind` (a request whose organisation is unknown or erased then
    does not count)."""
    requests = SupportRequest.objects.all()
    if organisation_kind:
        requests = requests.filter(submission__organisation_link__member_organisation__kind=organisation_kind)
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


def region_counts(requests):
    """[(Region or None for "no MRC", count)], regions with requests only, most first, in two queries."""
    regions = Region.objects.annotate(n=Count("support_requests", filter=Q(support_requests__in=requests)))
    rows = [(region, region.n) for region in regions.filter(n__gt=0).order_by("-n", "sort_order", "name")]
    unknown = requests.filter(region=None).count()
    return rows + [(None, unknown)] if unknown else rows


def outcome_counts(requests, **led_to):
    """How many `requests` led to each kind of outcome, and to at least one ("any"), in one query.
    `led_to` names subqueries of request ids: `outcome_counts(requests, post=…, event=…)`."""
    counts = {name: Count("pk", filter=Q(pk__in=ids)) for name, ids in led_to.items()}
    anything = Q()
    for ids in led_to.values():
        anything |= Q(pk__in=ids)
    return requests.order_by().aggregate(**counts, any=Count("pk", filter=anything))


def first_response_times(requests):
    """The waiting time (timedelta) before the first response of every request that had one, shortest
    first, in one query. First response: the status first left "nouvelle" (website/models/support.py)."""
    rows = requests.exclude(first_response_at=None).values_list("submitted_at", "first_response_at")
    return sorted(answered - submitted for submitted, answered in rows)


def support_requests_with_case_studies():
    """The ids of the requests that led to a case study (a subquery)."""
    return CaseStudyPage.objects.exclude(support_request=None).values("support_request")

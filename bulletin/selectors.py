"""What other apps may ask the board (read only). The home page and the newsletter's issue blocks read
posts here; every function takes keyword arguments and returns plain lists or values.

For a newsletter block of the latest offers or requests:

    published_posts(kind="offre", category="transport", region="mirabel", language="", limit=5)

then, for each post, `post.title`, `post.organisation`, `post.get_kind_display()`, `post.category.label`,
`post.regions.all()` (prefetched) and `post_address(post, language=…, absolute=True)` for the link in an
email (or `absolute=False` for the web page)."""

from decimal import Decimal

from django.db.models import Count, Min, Q, Sum
from django.urls import reverse
from django.utils import translation

from bulletin.models import ContactMessage, Post
from website.i18n import absolute_url, current_language
from website.models import Region, ResourceCategory


def post_kind_choices():
    """(value, label) of every kind of post ("offre", "demande", "annonce"), for a choice list."""
    return list(Post.Kind.choices)


def published_posts(*, kind="", category="", region="", language="", limit=5):
    """The latest published posts, newest first, as a list of at most `limit` posts.

    Each filter narrows the list when given and is ignored when empty:
    - `kind`: a value of `post_kind_choices()` ("offre", "demande", "annonce");
    - `category`: a resource category's slug ("transport");
    - `region`: a region's (MRC) slug ("mirabel"): posts that name it among their regions;
    - `language`: a code of settings.LANGUAGES ("fr-ca", "en"): posts written in that language.
    Posts come with their category and regions loaded (no query per post)."""
    posts = Post.objects.published().for_listing()
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category__slug=category)
    if region:
        posts = posts.filter(pk__in=Post.objects.filter(regions__slug=region).values("pk"))
    if language:
        posts = posts.filter(language=language)
    return list(posts[:limit])


def latest_published(limit=3):
    """The newest published posts, for the home page (a lazy queryset: the template reads it once)."""
    return Post.objects.published().for_listing()[:limit]


def post_address(post, *, language=None, absolute=False):
    """The address of `post`'s page in `language` (default: the active one), with its `/en/` prefix in
    English; absolute (SITE_URL) for an email."""
    with translation.override(language or current_language()):
        path = reverse("bulletin:post_detail", kwargs={"pk": post.pk, "slug": post.slug})
    return absolute_url(path) if absolute else path


def current_posts_of(organisation, limit=20):
    """The organisation's published offers and requests, newest first (its public profile)."""
    posts = (
        Post.objects.published()
        .for_listing()
        .filter(member_organisation=organisation, kind__in=[Post.Kind.OFFER, Post.Kind.REQUEST])
    )
    return list(posts.order_by("-published_at", "-pk")[:limit])


def completed_mutualisations_of(organisation, limit=20):
    """What the organisation's profile says it shared: closed posts with a shared outcome where it
    posted or was named the partner, newest first, with how many in all and the declared savings.
    The other organisation is named only if it consented to a public profile."""
    shared = Post.objects.filter(state=Post.State.CLOSED, outcome=Post.Outcome.SHARED).filter(
        Q(member_organisation=organisation) | Q(partner=organisation)
    )
    totals = shared.aggregate(
        count=Count("pk"), money=Sum("savings_money"), hours=Sum("savings_hours"), km=Sum("savings_km")
    )
    posts = shared.select_related("category", "member_organisation", "partner").order_by("-closed_at", "-pk")
    rows = []
    for post in posts[:limit]:
        other = post.partner if post.member_organisation_id == organisation.pk else post.member_organisation
        rows.append({"post": post, "with": other if other is not None and other.public_profile else None})
    return {"rows": rows, **totals}


# --- Figures (the "Mesure" dashboard): what the board achieved over a period -------------------------


def _posts_in_scope(*, region="", category="", organisation_kind=""):
    """Every post, narrowed by region (MRC) slug, category slug and organisation type when given."""
    posts = Post.objects.all()
    if region:
        posts = posts.filter(pk__in=Post.objects.filter(regions__slug=region).values("pk"))
    if category:
        posts = posts.filter(category__slug=category)
    if organisation_kind:
        posts = posts.filter(member_organisation__kind=organisation_kind)
    return posts


def _counted(model, relation, posts):
    """Rows of `model` (regions or categories) with `n`, how many of `posts` name them, most first;
    those no post names are left out."""
    rows = model.objects.annotate(n=Count(relation, filter=Q(**{f"{relation}__in": posts})))
    return [(row, row.n) for row in rows.filter(n__gt=0).order_by("-n", "sort_order", "name")]


def _hours_to_first_contact(published):
    """Hours from publication to the first relayed message, one value per post that received one."""
    firsts = published.annotate(first=Min("messages__created_at")).filter(first__isnull=False)
    return sorted(
        (first - at).total_seconds() / 3600 for at, first in firsts.values_list("published_at", "first")
    )


def board_figures(*, start, end, region="", category="", organisation_kind=""):
    """What the board did between `start` (included) and `end` (excluded), both aware datetimes.

    Posts count when they were published in the period; messages when they were relayed; a
    mutualisation when its post was closed with the outcome "shared", with the savings its poster
    declared. Six queries, whatever the number of posts."""
    scoped = _posts_in_scope(region=region, category=category, organisation_kind=organisation_kind)
    published = scoped.filter(published_at__gte=start, published_at__lt=end)
    by_kind = dict(published.order_by().values_list("kind").annotate(n=Count("pk")))
    shared = scoped.filter(outcome=Post.Outcome.SHARED, closed_at__gte=start, closed_at__lt=end)
    savings = shared.aggregate(
        count=Count("pk"), money=Sum("savings_money"), hours=Sum("savings_hours"), km=Sum("savings_km")
    )
    return {
        "posts": sum(by_kind.values()),
        "posts_by_kind": [(label, by_kind.get(kind, 0)) for kind, label in Post.Kind.choices],
        "posts_by_category": _counted(ResourceCategory, "posts", published),
        "posts_by_region": _counted(Region, "posts", published),
        "messages": ContactMessage.objects.filter(
            post__in=scoped, created_at__gte=start, created_at__lt=end
        ).count(),
        "hours_to_first_contact": _hours_to_first_contact(published),
        "mutualisations": {
            "count": savings["count"],
            "money": savings["money"] or Decimal("0"),
            "hours": savings["hours"] or 0,
            "km": savings["km"] or 0,
        },
    }


def organisations_taking_part(*, start, end):
    """Ids of the organisations whose post was published, or closed with a mutualisation, in the period
    (a lazy query, to be combined with others)."""
    posts = Post.objects.filter(
        Q(published_at__gte=start, published_at__lt=end)
        | Q(outcome=Post.Outcome.SHARED, closed_at__gte=start, closed_at__lt=end)
    )
    return posts.filter(member_organisation__isnull=False).values("member_organisation")


def support_requests_with_posts():
    """The ids of the support requests that led to a board post (a subquery for `pk__in`)."""
    return Post.objects.exclude(support_request=None).values("support_request")


def posts_of_support_request(support_request):
    """(title, admin address) of the posts that stemmed from `support_request`."""
    posts = Post.objects.filter(support_request=support_request).order_by("created_at", "pk")
    return [(post.title, reverse("wagtailsnippets_bulletin_post:edit", args=[post.pk])) for post in posts]

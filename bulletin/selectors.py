"""What other apps may ask the board (read only). The home page and the newsletter's issue blocks read
posts here; every function takes keyword arguments and returns plain lists or values.

For a newsletter block of the latest offers or requests:

    published_posts(kind="offre", category="transport", region="mirabel", language="", limit=5)

then, for each post, `post.title`, `post.organisation`, `post.get_kind_display()`, `post.category.label`,
`post.regions.all()` (prefetched) and `post_address(post, language=…, absolute=True)` for the link in an
email (or `absolute=False` for the web page)."""

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import translation

from bulletin.models import Post
from website.i18n import absolute_url, current_language


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

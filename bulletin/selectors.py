"""What other apps may ask the board (read only). The newsletter's issue blocks read posts here."""

from bulletin.models import Post


def post_kind_choices():
    """(value, label) of every kind of post, for a choice list."""
    return list(Post.Kind.choices)


def published_posts(*, kind="", category="", limit=5):
    """The latest published posts, newest first; `kind` and `category` (a category's slug) narrow them."""
    posts = Post.objects.published().for_listing()
    if kind:
        posts = posts.filter(kind=kind)
    if category:
        posts = posts.filter(category__slug=category)
    return list(posts[:limit])


def current_posts_of(organisation, limit=20):
    """The organisation's published offers and requests, newest first (its public profile)."""
    posts = (
        Post.objects.published()
        .for_listing()
        .filter(member_organisation=organisation, kind__in=[Post.Kind.OFFER, Post.Kind.REQUEST])
    )
    return list(posts.order_by("-published_at", "-pk")[:limit])

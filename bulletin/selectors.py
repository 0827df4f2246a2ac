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

"""Offers meet requests: posts of the opposite direction in the same category and a common region."""

from bulletin import emails
from bulletin.models import Post


def matches_for(post):
    """Published posts of the opposite direction, same category, at least one region in common."""
    kind = post.matchable_kind
    if kind is None:
        return Post.objects.none()
    return (
        Post.objects.published()
        .filter(kind=kind, category_id=post.category_id, regions__in=post.regions.all())
        .exclude(pk=post.pk)
        .distinct()
        .for_listing()
    )


def notify_matches(post):
    """Email each matching poster who opted in, and this post's poster, once per pair."""
    for other in matches_for(post):
        for recipient, found in ((other, post), (post, other)):
            if recipient.notify_matches:
                emails.match_found(recipient, found)


def similar_posts(post, limit=3, exclude=()):
    return (
        Post.objects.published()
        .filter(category_id=post.category_id)
        .exclude(pk__in=[post.pk, *exclude])
        .for_listing()
        .order_by("-published_at")[:limit]
    )

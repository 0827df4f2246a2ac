"""Editors' decisions: publish, refuse with a reason, and the posts they write themselves."""

from django.db import transaction
from django.utils import timezone

from bulletin import emails
from bulletin.models import Post
from bulletin.services.matching import notify_matches
from bulletin.transitions import APPROVE, REJECT, State, move


def approve_post(post, user=None):
    """Publish a post. Its poster is told: the first time, and again when a post they edited comes back
    online. (A post an editor puts back after reports comes back without an email: nothing changed.)"""
    with transaction.atomic():
        before = Post.objects.select_for_update().get(pk=post.pk)
        move(post, APPROVE, user=user, published_at=before.published_at or timezone.now())
        if before.published_at is None:
            emails.post_approved(post)
        elif before.state == State.PENDING:
            emails.post_republished(post)
        notify_matches(post)
    return post


def publish_new_post(post, user):
    """A post an editor wrote in the admin (new, so still in its initial state): trusted, published at
    once, without the email a poster gets."""
    with transaction.atomic():
        move(post, APPROVE, user=user, published_at=timezone.now())
        notify_matches(post)
    return post


def reject_post(post, reason, user=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("a rejection needs a reason")
    with transaction.atomic():
        move(post, REJECT, user=user, data={"reason": reason}, rejection_reason=reason)
        emails.post_rejected(post, reason)
    return post

"""What a poster does through their magic link: edit, renew, close with the outcome."""

import datetime

from django.db import transaction
from django.utils import timezone

from bulletin import emails
from bulletin.models import Post
from bulletin.transitions import CLOSE, EDIT, RENEW, State, TransitionError, can, move
from website.models.organisations import Organisation

RENEWAL_DAYS = 60


def update_post(post, form):
    """The poster edited their post through the magic link. A published post goes back to moderation
    and the editors are told, as for a new post. Returns True if the post left the board for review."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if not can(locked, EDIT):
            raise TransitionError(f"cannot edit a {locked.state} post")
        form.instance.state = locked.state  # the form's copy may be older than the row
        form.save()
        move(post, EDIT)
        left_the_board = locked.state == State.PUBLISHED
        if left_the_board:
            emails.edited_post_to_editors(post)
    return left_the_board


def renewed_expiry(post, today):
    """RENEWAL_DAYS more from its expiry (or from today if that has passed), within the longest a post
    may live."""
    later = max(post.expires_on, today) + datetime.timedelta(days=RENEWAL_DAYS)
    return min(later, Post.latest_expiry(today))


def renew_post(post, today=None):
    new_expiry = renewed_expiry(post, today or timezone.localdate())
    return move(post, RENEW, data={"expires_on": str(new_expiry)}, expires_on=new_expiry)


def close_post(
    post, outcome, partner_organisation="", savings_money=None, savings_hours=None, savings_km=None
):
    """The poster closes the post and says what came of it (counted on the impact page). The partner's
    typed name links to the organisation it designates, as every typed organisation name does."""
    return move(
        post,
        CLOSE,
        data={"outcome": outcome},
        outcome=outcome,
        partner_organisation=partner_organisation,
        partner=Organisation.objects.for_name(partner_organisation),
        savings_money=savings_money,
        savings_hours=savings_hours,
        savings_km=savings_km,
        closed_at=timezone.now(),
    )

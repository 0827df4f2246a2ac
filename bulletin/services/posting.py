"""A post from the public form: saved unconfirmed, then confirmed by its poster through an emailed link."""

from django.db import transaction
from wagtail.log_actions import log

from bulletin import emails
from bulletin.transitions import CONFIRM, State, can, move
from website.i18n import current_language


def submit_post(post, regions, language=None):
    """A post from the public form: saved unconfirmed; the poster gets a link to confirm their address.

    The post keeps the language it was written in (default: the active one): every email to its
    poster is in that language, with links to pages in that language."""
    with transaction.atomic():
        post.state = State.UNCONFIRMED
        post.language = language or current_language()
        post.save()
        post.regions.set(regions)
        log(instance=post, action="bulletin.post.submitted", data={"email": post.contact_email})
        emails.confirm_post(post)
    return post


def confirm_post(post):
    """The poster clicked the link: the post waits for moderation and editors are told. Idempotent."""
    if not can(post, CONFIRM):
        return post
    with transaction.atomic():
        move(post, CONFIRM)
        emails.new_post_to_editors(post)
    return post

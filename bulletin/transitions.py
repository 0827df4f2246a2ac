"""The board's state machine in one table: which action a post allows in which state, and the state it
leads to. The poster's page (views), the moderation screens (admin) and the rules (services) all read
TRANSITIONS, so a button is offered exactly when its action would succeed."""

from django.db import transaction
from wagtail.log_actions import log

from bulletin.models import Post

State = Post.State

CONFIRM = "confirm"  # the poster confirmed their address
APPROVE = "approve"  # an editor published the post (or put it back after reports)
REJECT = "reject"  # an editor refused it, with a reason
HIDE = "hide"  # enough independent confirmed reports
EDIT = "edit"  # the poster changed it through the magic link
RENEW = "renew"  # the poster pushed its expiry back
CLOSE = "close"  # the poster closed it with its outcome
EXPIRE = "expire"  # its expiry date passed

# state -> {action: the state it leads to}. A state absent from an inner dict refuses the action.
TRANSITIONS = {
    State.UNCONFIRMED: {
        CONFIRM: State.PENDING,
        APPROVE: State.PUBLISHED,
        REJECT: State.REJECTED,
        EDIT: State.UNCONFIRMED,
    },
    State.PENDING: {
        APPROVE: State.PUBLISHED,
        REJECT: State.REJECTED,
        EDIT: State.PENDING,
        RENEW: State.PENDING,
        CLOSE: State.CLOSED,
    },
    State.PUBLISHED: {
        REJECT: State.REJECTED,
        HIDE: State.HIDDEN,
        EDIT: State.PENDING,  # an edited post goes back to moderation
        RENEW: State.PUBLISHED,
        CLOSE: State.CLOSED,
        EXPIRE: State.EXPIRED,
    },
    State.HIDDEN: {APPROVE: State.PUBLISHED, REJECT: State.REJECTED, CLOSE: State.CLOSED},
    State.EXPIRED: {RENEW: State.PUBLISHED, CLOSE: State.CLOSED},
    State.REJECTED: {},
    State.CLOSED: {},
}

# The audit entry each action writes (shown in the admin's history; labels in wagtail_hooks.LOG_ACTIONS).
LOG_ACTIONS = {
    CONFIRM: "bulletin.post.confirmed",
    APPROVE: "bulletin.post.approved",
    REJECT: "bulletin.post.rejected",
    HIDE: "bulletin.post.hidden",
    EDIT: "bulletin.post.edited",
    RENEW: "bulletin.post.renewed",
    CLOSE: "bulletin.post.closed",
    EXPIRE: "bulletin.post.expired",
}

# Posts whose public address answers "gone" (410) rather than "not found".
GONE = (State.CLOSED, State.EXPIRED, State.REJECTED)


class TransitionError(Exception):
    """The post is not in a state that allows this action."""


def allows(state, action):
    return action in TRANSITIONS[state]


def can(post, action):
    """Whether `post`, as loaded, allows `action` (what a page offers; `move` checks again under a lock)."""
    return allows(post.state, action)


def states_allowing(action):
    return [state for state, actions in TRANSITIONS.items() if action in actions]


def move(post, action, *, user=None, data=None, **fields):
    """Apply `action` to `post` under a row lock: its new state from TRANSITIONS, `fields` set with it,
    and the audit entry. Raises TransitionError if the post's current state refuses the action.
    `post` is refreshed from the database afterwards."""
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if not allows(locked.state, action):
            raise TransitionError(f"{action}: not allowed from {locked.state}")
        locked.state = TRANSITIONS[locked.state][action]
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["state", "updated_at", *fields])
        log(instance=locked, action=LOG_ACTIONS[action], user=user, data=data or {})
    post.refresh_from_db()
    return post

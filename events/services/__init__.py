"""The rules of events, one concept a module: `seats` (counts and the event's lock), `registration`
(register, change, cancel, approve), `waiting_list`, `costs` (the one cost rule), `decisions` (go/no-go,
cancelling an event, final shares), `reminders` (before and after the event), `tokens` (the magic link).
Views, admin screens, pages and Celery tasks call them through the names below; what is sent is in
`events.emails`."""

from events.emails import bulk_email
from events.services.costs import cost_shares, participating, registration_share, share, share_preview
from events.services.decisions import (
    cancel_event,
    decide_thresholds,
    publish_change,
    send_final_shares,
    set_capacity,
    threshold_reached,
)
from events.services.registration import accept_offer, approve, cancel, change_seats, move, register, reject
from events.services.reminders import (
    confirm_presence,
    mark_attendance,
    release_unconfirmed,
    send_follow_ups,
    send_reminders,
)
from events.services.seats import RegistrationError, lock_event, seats_left, seats_taken, visitor_may_change
from events.services.tokens import MANAGE_MAX_AGE, manage_token, manage_url, registration_from_token
from events.services.waiting_list import expire_offers, promote_waiting

__all__ = [
    "MANAGE_MAX_AGE",
    "RegistrationError",
    "accept_offer",
    "approve",
    "bulk_email",
    "cancel",
    "cancel_event",
    "change_seats",
    "confirm_presence",
    "cost_shares",
    "decide_thresholds",
    "expire_offers",
    "lock_event",
    "manage_token",
    "manage_url",
    "mark_attendance",
    "move",
    "participating",
    "promote_waiting",
    "publish_change",
    "register",
    "registration_from_token",
    "registration_share",
    "reject",
    "release_unconfirmed",
    "seats_left",
    "seats_taken",
    "send_final_shares",
    "send_follow_ups",
    "send_reminders",
    "set_capacity",
    "share",
    "share_preview",
    "threshold_reached",
    "visitor_may_change",
]

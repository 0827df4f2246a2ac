"""Events' models: the pages (`pages`: the index and one page per event, which serve themselves) and
the records the rules work on (`records`: kinds, questions, registrations). Code below the pages (forms,
services, emails, calendars) imports `events.models.records`; the rest of the project imports from here."""

from events.models.pages import EventIndexPage, EventPage, EventSpeaker
from events.models.records import (
    CostRule,
    EventKind,
    EventQuestion,
    EventState,
    Registration,
    Threshold,
    new_secret,  # migration 0001 names the registrations' secret default `events.models.new_secret`
)

__all__ = [
    "CostRule",
    "EventIndexPage",
    "EventKind",
    "EventPage",
    "EventQuestion",
    "EventSpeaker",
    "EventState",
    "Registration",
    "Threshold",
    "new_secret",
]

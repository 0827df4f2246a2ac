"""What a person's space (`/mon-espace/`) shows from the other apps, gathered through a registry.

`website` imports no app. An app adds its part of the page by registering a section in its
`wagtail_hooks.py`:

    @hooks.register("register_space_section")
    def board_space_section():
        return SpaceSection(name="posts", template="bulletin/includes/space_posts.html", order=10,
                            records=lambda visitor: list(posts_of(visitor.email)),
                            organisation_records=lambda visitor: list(posts_of_organisations(...)))

`records(visitor)` gives what the person left under their address, with the links its owner has
(their emailed links). `organisation_records(visitor)` gives, read-only, what the organisations the
person is a contact of left, for the "Mon organisme" part; leave it out when the app has nothing to
show there. Both take a constant number of queries, whatever the data size. `profile(records)` may
give the name and organisation the person last typed ({"name": …, "organisation": …}), which
pre-fill the public forms visited afterwards (website.prefill).

The template receives `records`, `visitor` and `organisation_view` (True in the "Mon organisme" part).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wagtail import hooks

HOOK = "register_space_section"


@dataclass(frozen=True)
class Visitor:
    """The person a valid link names: the verified address, the language of the page, and the
    organisations they are a contact of (a QuerySet of website.Organisation)."""

    email: str
    language: str
    organisations: Any


@dataclass(frozen=True)
class SpaceSection:
    name: str
    template: str
    records: Callable[[Visitor], Any]
    order: int = 100
    organisation_records: Callable[[Visitor], Any] | None = None
    profile: Callable[[Any], dict] | None = None


@dataclass
class Part:
    """One section as the page shows it."""

    section: SpaceSection
    records: Any = field(default_factory=list)


def sections():
    return sorted((fn() for fn in hooks.get_hooks(HOOK)), key=lambda section: section.order)


def own_parts(visitor):
    """[Part] of everything tied to the visitor's address, the empty sections left out."""
    parts = [Part(section, section.records(visitor)) for section in sections()]
    return [part for part in parts if part.records]


def organisation_parts(visitor):
    """[Part] of what the visitor's organisations left (none when they are no organisation's contact)."""
    if not visitor.organisations.exists():
        return []
    found = [section for section in sections() if section.organisation_records is not None]
    parts = [Part(section, section.organisation_records(visitor)) for section in found]
    return [part for part in parts if part.records]


def profile(parts):
    """The name and organisation the person typed, from the first section that knows them."""
    found = {}
    for part in parts:
        if part.section.profile is None:
            continue
        for key, value in (part.section.profile(part.records) or {}).items():
            if value and not found.get(key):
                found[key] = value
    return found

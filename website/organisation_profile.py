"""What an organisation's public profile shows from the other apps, gathered through a registry.

`website` imports no app. An app adds a section to `/organismes/<slug>/` by registering it in its
`wagtail_hooks.py`:

    @hooks.register("register_organisation_section")
    def current_posts_section():
        return ProfileSection(name="current_posts", template="bulletin/includes/organisation_posts.html",
                              order=10, value=lambda organisation: current_posts(organisation))

The profile renders each section's template in order, with the section's value in the context under
its name. A section shows what the organisation made public (its posts) or counts only (events taken
part in): never the names of the people who registered or wrote.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wagtail import hooks

HOOK = "register_organisation_section"


@dataclass(frozen=True)
class ProfileSection:
    name: str  # the context variable the template reads
    template: str
    value: Callable[[Any], Any]  # organisation -> what the template shows
    order: int = 100


def sections():
    return sorted((fn() for fn in hooks.get_hooks(HOOK)), key=lambda section: section.order)


def context(organisation):
    found = sections()
    return {
        "profile_sections": [section.template for section in found],
        **{section.name: section.value(organisation) for section in found},
    }

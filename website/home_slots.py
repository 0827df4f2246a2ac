"""What the home page shows from the other apps, gathered through a registry.

`website` imports no app. An app puts a section on the home page by registering a slot in its
`wagtail_hooks.py`:

    @hooks.register("register_home_slot")
    def board_home_slot():
        return HomeSlot(name="latest_posts", template="bulletin/includes/home_slot.html", order=10,
                        value=lambda request: latest_published(3))

The home page renders each slot's template in order, with the slot's value in the context under its
name. Keep the value lazy (an unevaluated queryset): the template reads it once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wagtail import hooks

HOOK = "register_home_slot"


@dataclass(frozen=True)
class HomeSlot:
    name: str  # the context variable the template reads ("latest_posts")
    template: str  # one section of the home page
    value: Callable[[Any], Any]  # request -> what the template shows
    order: int = 100


def slots():
    return sorted((fn() for fn in hooks.get_hooks(HOOK)), key=lambda slot: slot.order)


def context(request):
    """The home page's sections from the apps: {"home_slots": [templates], and each slot's value by name}."""
    found = slots()
    return {
        "home_slots": [slot.template for slot in found],
        **{slot.name: slot.value(request) for slot in found},
    }

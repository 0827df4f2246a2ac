"""What a support request led to (posts, events, case studies), gathered through a registry.

`website` imports no app. Each app that can stem from a support request (its records hold a
`support_request` key) registers, in its `wagtail_hooks.py`, how to list them on the request's admin
screen:

    @hooks.register("register_support_request_outcome")
    def board_outcome():
        return SupportOutcome(label=_("Annonces du babillard"), order=10,
                              items=selectors.posts_of_support_request)

`items(support_request)` returns (title, admin address) pairs. The figures count them through the apps'
selectors (`bulletin.selectors.support_requests_with_posts()`, `events.selectors.…_with_events()`) and
`website.selectors.support_requests_with_case_studies()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from website.i18n import in_default_locale
from website.models.pages import CaseStudyPage

HOOK = "register_support_request_outcome"


@dataclass(frozen=True)
class SupportOutcome:
    label: str
    items: Callable[[Any], list]  # support request -> [(title, admin address)]
    order: int = 100


def case_studies_of(support_request):
    pages = in_default_locale(CaseStudyPage.objects.filter(support_request=support_request))
    return [(page.title, reverse("wagtailadmin_pages:edit", args=[page.pk])) for page in pages]


def outcomes():
    registered = [fn() for fn in hooks.get_hooks(HOOK)]
    registered.append(SupportOutcome(label=_("Histoires de mutualisation"), items=case_studies_of, order=30))
    return sorted(registered, key=lambda outcome: outcome.order)


def outcomes_of(support_request):
    """[(label, [(title, admin address)])] for every kind of outcome, empty ones included."""
    return [(outcome.label, outcome.items(support_request)) for outcome in outcomes()]

"""Every figure of the "Mesure" dashboard for a scope (period and filters), as sections.

Each app computes its own numbers in its `selectors` module; these functions only name and shape
them. Each section costs a fixed number of queries, whatever the amount of data."""

from measure.figures.accompaniment import accompaniment_section
from measure.figures.board import board_section
from measure.figures.events import events_section
from measure.figures.newsletter import newsletter_section
from measure.figures.reach import reach_section


def sections(scope):
    return [
        board_section(scope),
        events_section(scope),
        newsletter_section(scope),
        accompaniment_section(scope),
        reach_section(scope),
    ]


__all__ = [
    "accompaniment_section",
    "board_section",
    "events_section",
    "newsletter_section",
    "reach_section",
    "sections",
]

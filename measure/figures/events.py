"""Events: registrations, people, organisations, attendance, waiting-list promotions; cost-shared
trainings with what the organisations saved."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from events import selectors
from measure.tables import COUNT, MONEY, PERCENT, TEXT, Column, Headline, Section, Table

SAVINGS_FORMULA = _(
    "Économie d'un organisme = coût total de la formation − sa quote-part (ce qu'il aurait payé en "
    "l'organisant seul, moins ce qu'il a payé). L'économie d'une formation est la somme de celles de ses "
    "organismes."
)


def _trainings_table(trainings):
    return Table(
        "shared_trainings",
        _("Formations à coût partagé"),
        [
            Column(_("Événement"), TEXT),
            Column(_("Économie des organismes"), MONEY),
            Column(_("Coût total"), MONEY),
            Column(_("Organismes"), COUNT),
            Column(_("Quotes-parts payées"), MONEY),
        ],
        [(t["event"].title, t["saved"], t["total"], t["organisations"], t["paid"]) for t in trainings],
        note=SAVINGS_FORMULA,
    )


def events_section(scope):
    filters = {"region": scope.region, "organisation_kind": scope.organisation_kind}
    data = selectors.event_figures(**scope.period, **filters)
    trainings = selectors.shared_cost_figures(**scope.period, **filters)
    rate = 100 * data["present"] / data["expected"] if data["expected"] else None
    return Section(
        "events",
        _("Événements"),
        [
            Headline(_("Événements"), data["events"]),
            Headline(_("Inscriptions"), data["registrations"]),
            Headline(_("Personnes inscrites"), data["people"]),
            Headline(_("Organismes distincts"), data["organisations"]),
            Headline(_("Taux de présence"), rate, PERCENT),
            Headline(_("Places données à la liste d'attente"), data["promotions"]),
            Headline(_("Formations à coût partagé"), len(trainings)),
            Headline(_("Coût total des formations"), sum((t["total"] for t in trainings), Decimal(0)), MONEY),
            Headline(_("Quotes-parts payées"), sum((t["paid"] for t in trainings), Decimal(0)), MONEY),
            Headline(_("Économie des organismes"), sum((t["saved"] for t in trainings), Decimal(0)), MONEY),
        ],
        [_trainings_table(trainings)],
        note=_(
            "Les événements comptent selon leur date de début (annulés exclus); une inscription compte "
            "une fois confirmée. Taux de présence : personnes présentes ÷ places confirmées, pour les "
            "événements passés dont les présences ont été prises. La catégorie ne filtre pas les événements."
        ),
    )

"""Accompaniment: support requests by status and MRC, the time to a first response, and the requests that
led to a board post, an event or a case study."""

from statistics import median

from django.utils.translation import gettext_lazy as _

from bulletin import selectors as board
from events import selectors as events
from measure.grouping import group_small
from measure.tables import COUNT, HOURS, TEXT, Column, Headline, Section, Table
from website import selectors
from website.models import SupportRequest

FIRST_RESPONSE = _(
    "Première réponse : le moment où le statut d'une demande quitte « Nouvelle » pour la première fois "
    "(la personne en est avertie par courriel). Une note interne ou une assignation n'en est pas une : "
    "la personne ne voit ni l'une ni l'autre. Le délai est la médiane, en heures, des demandes reçues "
    "dans la période qui ont eu une réponse."
)


def _hours(delta):
    return delta.total_seconds() / 3600


def accompaniment_section(scope):
    requests = selectors.support_requests(
        **scope.period, region=scope.region, organisation_kind=scope.organisation_kind
    )
    statuses = selectors.status_counts(requests)
    waits = [_hours(delta) for delta in selectors.first_response_times(requests)]
    led_to = selectors.outcome_counts(
        requests,
        post=board.support_requests_with_posts(),
        event=events.support_requests_with_events(),
        case_study=selectors.support_requests_with_case_studies(),
    )
    by_region = [
        (region.label if region else _("MRC non précisée"), n)
        for region, n in selectors.region_counts(requests)
    ]
    count = Column(_("Demandes"), COUNT)
    return Section(
        "accompaniment",
        _("Accompagnement"),
        [
            Headline(_("Demandes d'accompagnement reçues"), sum(statuses.values())),
            Headline(_("Délai médian avant la première réponse"), median(waits) if waits else None, HOURS),
            Headline(_("Demandes qui ont mené à une annonce"), led_to["post"]),
            Headline(_("Demandes qui ont mené à un événement"), led_to["event"]),
            Headline(_("Demandes qui ont mené à une histoire de mutualisation"), led_to["case_study"]),
            Headline(_("Demandes qui ont mené à au moins un résultat"), led_to["any"]),
        ],
        [
            Table(
                "support_by_status",
                _("Demandes par statut"),
                [Column(_("Statut"), TEXT), count],
                [(label, statuses[value]) for value, label in SupportRequest.Status.choices],
            ),
            Table(
                "support_by_region",
                _("Demandes par MRC"),
                [Column(_("MRC"), TEXT), count],
                group_small(by_region),
            ),
        ],
        note=_(
            "Une demande compte le jour où elle a été reçue, avec son statut d'aujourd'hui. %(first)s "
            "Les MRC de moins de 5 demandes sont regroupées (« Autres »). Avec un type d'organisme, seules "
            "les demandes d'un organisme connu de ce type comptent. La catégorie ne filtre pas cette section."
        )
        % {"first": FIRST_RESPONSE},
    )

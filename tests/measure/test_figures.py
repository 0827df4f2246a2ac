"""Each figure of the "Mesure" dashboard against a seeded network whose answers are written here
(tests/measure/seed.py), with each filter, and at a constant number of queries whatever the data."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from bulletin import selectors as board_selectors
from events import selectors as event_selectors
from measure.figures import (
    accompaniment_section,
    board_section,
    events_section,
    newsletter_section,
    reach_section,
    sections,
)
from measure.grouping import FEW, group_small
from newsletter import selectors as newsletter_selectors
from tests.measure import seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _network_for_module(django_db_setup, django_db_blocker):
    """The seeded network, built once per module in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed.network()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def network(_network_for_module, db):
    """Each test runs in a savepoint of the module's transaction."""


def headlines(section):
    return {str(h.label): h.value for h in section.headlines}


def table(section, key):
    found = next(t for t in section.tables if t.key == key)
    return [tuple(str(v) if not isinstance(v, int | Decimal) else v for v in row) for row in found.rows]


def test_board_figures_count_posts_messages_first_contact_and_declared_savings(network):
    section = board_section(seed.scope())
    assert headlines(section) == {
        "Annonces publiées": 5,
        "Messages relayés": 3,
        "Délai médian avant le premier message": 6.0,  # 2 h and 10 h: each post's first message
        "Mutualisations réalisées": 1,
        "Économies déclarées": Decimal("1234.50"),
        "Heures économisées": 12,
        "Kilomètres évités": 300,
    }
    assert table(section, "posts_by_kind") == [("Offre", 4), ("Demande", 1), ("Annonce", 0)]
    assert table(section, "posts_by_category") == [("Transport", 4), ("Locaux", 1)]
    assert table(section, "posts_by_region") == [("Mirabel", 4), ("Argenteuil", 2)]


def test_board_figures_narrow_by_region_category_and_organisation_type(network):
    def posts(**filters):
        return board_selectors.board_figures(**seed.scope().period, **filters)["posts"]

    assert posts(region="argenteuil") == 2
    assert posts(category="locaux") == 1
    assert posts(organisation_kind="cooperative") == 2
    assert posts(organisation_kind="obnl", region="argenteuil") == 0


def test_event_figures_count_confirmed_people_organisations_attendance_and_promotions(network):
    section = events_section(seed.scope())
    assert headlines(section) == {
        "Événements": 3,  # the training, the past meeting, the small one; not the cancelled nor the late one
        "Inscriptions": 6,
        "Personnes inscrites": 10,
        "Organismes distincts": 4,  # Alpha, Bêta, Gamma, Delta
        "Taux de présence": 80.0,  # 4 present of 5 seats at the past meeting
        "Places données à la liste d'attente": 1,
        "Formations à coût partagé": 1,
        "Coût total des formations": Decimal("600"),
        "Quotes-parts payées": Decimal("600.00"),
        "Économie des organismes": Decimal("1200.00"),  # each of 3 pays 200 instead of 600
    }
    assert table(section, "shared_trainings") == [
        ("Formation partagée", Decimal("1200.00"), Decimal("600.00"), 3, Decimal("600.00"))
    ]


def test_event_figures_narrow_by_region_and_organisation_type(network):
    in_mirabel = event_selectors.event_figures(**seed.scope().period, region="mirabel")
    assert (in_mirabel["events"], in_mirabel["people"], in_mirabel["organisations"]) == (1, 4, 3)
    cooperatives = event_selectors.event_figures(**seed.scope().period, organisation_kind="cooperative")
    assert (cooperatives["registrations"], cooperatives["people"], cooperatives["present"]) == (2, 3, 2)
    trainings = event_selectors.shared_cost_figures(**seed.scope().period, organisation_kind="obnl")
    # Alpha alone is a non-profit: its share stays a third of the cost (the others still share it).
    assert [(t["organisations"], t["paid"], t["saved"]) for t in trainings] == [
        (1, Decimal("200.00"), Decimal("400.00"))
    ]


def test_newsletter_figures_follow_subscribers_month_by_month_and_each_issue(network):
    scope = seed.scope()
    section = newsletter_section(scope)
    assert headlines(section) == {
        "Personnes abonnées au début": 2,
        "Personnes abonnées à la fin": 4,
        "Inscriptions confirmées": 3,
        "Désabonnements": 1,
    }
    this_month = date_format(timezone.localdate(), "YEAR_MONTH_FORMAT")
    months = dict((row[0], row[1:]) for row in table(section, "subscribers_by_month"))
    assert months[this_month] == (4, str(FEW), str(FEW))  # 3 and 1: fewer than 5, not shown
    assert len(months) == len(scope.months())
    assert table(section, "issues") == [("Numéro de novembre", 3, 1)]
    assert newsletter_selectors.subscriber_figures(**scope.period, region="mirabel")["at_start"] == 0


def test_reach_counts_distinct_organisations_per_region_and_type_grouping_small_counts(network):
    section = reach_section(seed.scope())
    assert headlines(section) == {"Organismes qui ont pris part": 5, "Nouveaux organismes": 5}
    # Mirabel 1, Argenteuil 1, no MRC 3: each under 5, grouped into one row of 5.
    assert table(section, "reach_by_region") == [("Autres (moins de 5 chacun)", 5)]
    assert table(section, "reach_by_kind") == [("Autres (moins de 5 chacun)", 5)]
    cooperatives = reach_section(seed.scope(organisation_kind="cooperative"))
    assert headlines(cooperatives)["Organismes qui ont pris part"] == 1
    assert table(cooperatives, "reach_by_kind") == [("Autres (moins de 5 chacun)", str(FEW))]


def test_accompaniment_counts_requests_by_status_and_region_first_response_and_what_they_led_to(network):
    section = accompaniment_section(seed.scope())
    assert headlines(section) == {
        "Demandes d'accompagnement reçues": 3,
        "Délai médian avant la première réponse": 7.0,  # 4 h and 10 h; the new one has no response
        "Demandes qui ont mené à une annonce": 1,
        "Demandes qui ont mené à un événement": 1,
        "Demandes qui ont mené à une histoire de mutualisation": 1,  # the old one's is out of the period
        "Demandes qui ont mené à au moins un résultat": 2,
    }
    assert table(section, "support_by_status") == [
        ("Nouvelle", 1),
        ("En cours", 1),
        ("Terminée", 1),
        ("Sans suite", 0),
    ]
    assert table(section, "support_by_region") == [("Autres (moins de 5 chacun)", str(FEW))]
    assert "quitte « Nouvelle »" in str(section.note)  # the definition of a first response, on screen


def test_accompaniment_narrows_by_region_and_organisation_type(network):
    mirabel = accompaniment_section(seed.scope(region="mirabel"))
    assert headlines(mirabel)["Demandes d'accompagnement reçues"] == 2
    assert headlines(mirabel)["Demandes qui ont mené à au moins un résultat"] == 2
    argenteuil = accompaniment_section(seed.scope(region="argenteuil"))
    assert headlines(argenteuil)["Demandes d'accompagnement reçues"] == 1
    assert headlines(argenteuil)["Délai médian avant la première réponse"] is None
    # Requests kept without their answers have no known organisation: a type filter leaves them out.
    kind = accompaniment_section(seed.scope(organisation_kind="obnl"))
    assert headlines(kind)["Demandes d'accompagnement reçues"] == 0
    seed.more(5)
    grown = accompaniment_section(seed.scope(region="mirabel"))
    assert table(grown, "support_by_region") == [("Mirabel", 7)]


def test_small_counts_are_grouped_under_five():
    assert group_small([("A", 7), ("B", 2), ("C", 0), ("D", 4)]) == [
        ("A", 7),
        ("Autres (moins de 5 chacun)", 6),
    ]
    assert group_small([("A", 5), ("B", 1)]) == [("A", 5), ("Autres (moins de 5 chacun)", FEW)]
    assert group_small([("A", 0)]) == []


def queries(scope):
    sections(scope)  # content types and the site's locale are cached by the first call of a process
    with CaptureQueriesContext(connection) as captured:
        sections(scope)
    return len(captured)


def test_every_figure_costs_the_same_queries_for_a_small_or_a_large_network(network):
    few = queries(seed.scope())
    seed.more(3)
    assert queries(seed.scope()) == few
    seed.more(30)
    assert queries(seed.scope()) == few
    assert few == 28, few  # accompaniment: 5 (statuses, first responses, outcomes, MRC twice)

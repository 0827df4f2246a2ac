"""The board: posts by kind, category and MRC; messages relayed; time to first contact; mutualisations
completed with the savings their posters declared."""

from statistics import median

from django.utils.translation import gettext_lazy as _

from bulletin import selectors
from measure.tables import COUNT, HOURS, KM, MONEY, TEXT, Column, Headline, Section, Table


def board_section(scope):
    data = selectors.board_figures(
        **scope.period,
        region=scope.region,
        category=scope.category,
        organisation_kind=scope.organisation_kind,
    )
    hours, shared = data["hours_to_first_contact"], data["mutualisations"]
    posts = Column(_("Annonces"), COUNT)
    return Section(
        "board",
        _("Babillard"),
        [
            Headline(_("Annonces publiées"), data["posts"]),
            Headline(_("Messages relayés"), data["messages"]),
            Headline(_("Délai médian avant le premier message"), median(hours) if hours else None, HOURS),
            Headline(_("Mutualisations réalisées"), shared["count"]),
            Headline(_("Économies déclarées"), shared["money"], MONEY),
            Headline(_("Heures économisées"), shared["hours"], HOURS),
            Headline(_("Kilomètres évités"), shared["km"], KM),
        ],
        [
            Table(
                "posts_by_kind",
                _("Annonces par type"),
                [Column(_("Type"), TEXT), posts],
                data["posts_by_kind"],
            ),
            Table(
                "posts_by_category",
                _("Annonces par catégorie"),
                [Column(_("Catégorie"), TEXT), posts],
                [(category.label, n) for category, n in data["posts_by_category"]],
            ),
            Table(
                "posts_by_region",
                _("Annonces par MRC"),
                [Column(_("MRC"), TEXT), posts],
                [(region.label, n) for region, n in data["posts_by_region"]],
                note=_("Une annonce qui nomme plusieurs MRC compte dans chacune."),
            ),
        ],
        note=_(
            "Une annonce compte le jour de sa publication; une mutualisation, le jour où l'annonce est "
            "fermée avec ce résultat, avec les économies que l'organisme a déclarées. Le délai avant le "
            "premier message est la médiane, en heures, des annonces publiées dans la période qui en ont reçu."
        ),
    )

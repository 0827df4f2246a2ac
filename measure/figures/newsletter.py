"""The newsletter: confirmed subscribers month by month, sign-ups and unsubscribes, and each issue's
messages delivered and failed."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from measure.grouping import at_least
from measure.tables import COUNT, TEXT, Column, Headline, Section, Table
from newsletter import selectors


def _months_table(scope, data):
    rows, subscribed = [], data["at_start"]
    for month in scope.months():
        signups, unsubscribes = data["signups"].get(month, 0), data["unsubscribes"].get(month, 0)
        subscribed += signups - unsubscribes
        rows.append(
            (date_format(month, "YEAR_MONTH_FORMAT"), subscribed, at_least(signups), at_least(unsubscribes))
        )
    return Table(
        "subscribers_by_month",
        _("Personnes abonnées, mois par mois"),
        [
            Column(_("Mois"), TEXT),
            Column(_("Abonnées à la fin du mois"), COUNT),
            Column(_("Inscriptions"), COUNT),
            Column(_("Désabonnements"), COUNT),
        ],
        rows,
    )


def newsletter_section(scope):
    filters = {"region": scope.region, "organisation_kind": scope.organisation_kind}
    data = selectors.subscriber_figures(**scope.period, **filters)
    issues = selectors.issue_figures(**scope.period, **filters)
    months = _months_table(scope, data)
    return Section(
        "newsletter",
        _("Infolettre"),
        [
            Headline(_("Personnes abonnées au début"), data["at_start"]),
            Headline(
                _("Personnes abonnées à la fin"), months.rows[-1][1] if months.rows else data["at_start"]
            ),
            Headline(_("Inscriptions confirmées"), sum(data["signups"].values())),
            Headline(_("Désabonnements"), sum(data["unsubscribes"].values())),
        ],
        [
            months,
            Table(
                "issues",
                _("Envois par numéro"),
                [Column(_("Numéro"), TEXT), Column(_("Remis"), COUNT), Column(_("Échecs"), COUNT)],
                issues,
            ),
        ],
        note=_(
            "Une inscription compte le mois où la personne l'a confirmée. Les mois de moins de 5 "
            "inscriptions ou désabonnements l'indiquent sans le nombre. Avec une MRC ou un type, seules "
            "les personnes liées à un organisme de cette MRC ou de ce type comptent. Les ouvertures et "
            "les clics ne sont pas mesurés. Une personne effacée à sa demande ne compte plus."
        ),
    )

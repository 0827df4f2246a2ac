"""Reach: the distinct organisations that took part in anything in the period (a post, a registration,
a subscription, a support request), per MRC and type, and those new to the network."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from bulletin import selectors as board
from events import selectors as events
from measure.grouping import group_small
from measure.tables import COUNT, TEXT, Column, Headline, Section, Table
from newsletter import selectors as newsletter
from website.models import Organisation, Region, SupportRequestOrganisation


def active_organisations(scope):
    """The organisations that took part in anything in the scope's period, narrowed by MRC and type."""
    period = scope.period
    support = SupportRequestOrganisation.objects.filter(
        submission__submit_time__gte=scope.start, submission__submit_time__lt=scope.end
    ).values("member_organisation")
    active = Organisation.objects.filter(
        Q(pk__in=board.organisations_taking_part(**period))
        | Q(pk__in=events.organisations_taking_part(**period))
        | Q(pk__in=newsletter.organisations_taking_part(**period))
        | Q(pk__in=support)
    )
    if scope.region:
        active = active.filter(pk__in=Organisation.objects.filter(regions__slug=scope.region).values("pk"))
    if scope.organisation_kind:
        active = active.filter(kind=scope.organisation_kind)
    return active


def reach_section(scope):
    active = active_organisations(scope)
    regions = Region.objects.annotate(n=Count("organisations", filter=Q(organisations__in=active)))
    by_region = [(region.label, region.n) for region in regions]
    by_region.append((_("MRC non précisée"), active.filter(regions__isnull=True).count()))
    kinds = dict(Organisation.Kind.choices) | {"": _("Type non précisé")}
    by_kind = [
        (kinds[kind], n) for kind, n in active.order_by("kind").values_list("kind").annotate(n=Count("pk"))
    ]
    organisation = Column(_("Organismes"), COUNT)
    return Section(
        "reach",
        _("Portée"),
        [
            Headline(_("Organismes qui ont pris part"), active.count()),
            Headline(
                _("Nouveaux organismes"),
                active.filter(created_at__gte=scope.start, created_at__lt=scope.end).count(),
            ),
        ],
        [
            Table(
                "reach_by_region",
                _("Organismes par MRC"),
                [Column(_("MRC"), TEXT), organisation],
                group_small(by_region),
            ),
            Table(
                "reach_by_kind",
                _("Organismes par type"),
                [Column(_("Type"), TEXT), organisation],
                group_small(by_kind),
            ),
        ],
        note=_(
            "Un organisme compte s'il a publié une annonce, été inscrit à un événement, reçu "
            "l'infolettre ou demandé un accompagnement dans la période. Un organisme de plusieurs MRC "
            "compte dans chacune. Les lignes de moins de 5 organismes sont regroupées (« Autres »). "
            "Nouveaux : ajoutés au registre pendant la période. La catégorie ne filtre pas cette section."
        ),
    )

"""The dashboard stores nothing: its figures are computed from each app's records. `Dashboard` only
carries the permission to read them (Django attaches permissions to a model); it has no table.
`ImpactPage` is the public page that shows the figures the editor chose."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.url_routing import RouteResult

from measure.figures import (
    accompaniment_section,
    board_section,
    events_section,
    newsletter_section,
    reach_section,
)
from measure.report import REPORT_PATH, report_pdf
from measure.scope import Scope
from website.models import CaseStudyPage

SECTIONS = [
    ("board", board_section),
    ("events", events_section),
    ("newsletter", newsletter_section),
    ("accompaniment", accompaniment_section),
    ("reach", reach_section),
]


class Dashboard(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Consulter le tableau de bord Mesure"))]
        verbose_name = _("tableau de bord Mesure")

    def __str__(self):
        return str(self._meta.verbose_name)


class ImpactPage(Page):
    """The public impact page ("Notre impact"): the network's figures for a period the editor chooses,
    the sections and charts they choose, and case studies they feature. Aggregates only: the figures
    (measure/figures) never hold a name, an email or a per-person number; small counts are grouped."""

    class Period(models.TextChoices):
        LAST_12_MONTHS = "last_12_months", _("Les 12 derniers mois")
        YEAR = "year", _("Une année")
        DATES = "dates", _("Entre deux dates")

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    period = models.CharField(
        _("période"), max_length=16, choices=Period.choices, default=Period.LAST_12_MONTHS
    )
    year = models.PositiveSmallIntegerField(
        _("année"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    first_day = models.DateField(_("du"), null=True, blank=True)
    last_day = models.DateField(_("au (inclus)"), null=True, blank=True)
    show_board = models.BooleanField(_("babillard"), default=True)
    show_events = models.BooleanField(_("événements"), default=True)
    show_newsletter = models.BooleanField(_("infolettre"), default=True)
    show_accompaniment = models.BooleanField(_("accompagnement"), default=True)
    show_reach = models.BooleanField(_("portée"), default=True)
    show_charts = models.BooleanField(_("afficher les graphiques"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("period"), FieldPanel("year"), FieldPanel("first_day"), FieldPanel("last_day")],
            heading=_("Période"),
        ),
        MultiFieldPanel(
            [FieldPanel(f"show_{key}") for key, _section in SECTIONS] + [FieldPanel("show_charts")],
            heading=_("Sections affichées"),
        ),
        InlinePanel("featured_case_studies", heading=_("Histoires en vedette"), label=_("Histoire")),
    ]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'impact")

    def clean(self):
        super().clean()
        if self.period == self.Period.YEAR and not self.year:
            raise ValidationError({"year": _("Indiquez l'année.")})
        if self.period == self.Period.DATES:
            if not self.first_day or not self.last_day:
                raise ValidationError({"first_day": _("Indiquez les deux dates.")})
            if self.first_day > self.last_day:
                raise ValidationError({"last_day": _("La date de fin précède la date de début.")})

    def scope(self, today=None):
        if self.period == self.Period.YEAR and self.year:
            return Scope(datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31))
        if self.period == self.Period.DATES and self.first_day and self.last_day:
            return Scope(self.first_day, self.last_day)
        return Scope.last_twelve_months(today)

    def figures(self):
        """The chosen sections of the figures, in the dashboard's order."""
        scope = self.scope()
        return scope, [section(scope) for key, section in SECTIONS if getattr(self, f"show_{key}")]

    def route(self, request, path_components):
        if path_components == [REPORT_PATH]:
            if not self.live:
                raise Http404
            return RouteResult(self, kwargs={"report": True})
        return super().route(request, path_components)

    def serve(self, request, *args, report=False, **kwargs):
        if not report:
            return super().serve(request, *args, **kwargs)
        response = HttpResponse(report_pdf(self, request), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.slug}-{REPORT_PATH}.pdf"'
        return response

    @property
    def report_url(self):
        return f"{self.url}{REPORT_PATH}/"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        scope, context["figures"] = self.figures()
        context["scope"] = scope
        featured = self.featured_case_studies.select_related("case_study")
        context["case_studies"] = [
            item.case_study.localized for item in featured if item.case_study and item.case_study.live
        ]
        return context


class FeaturedCaseStudy(Orderable):
    page = ParentalKey(ImpactPage, related_name="featured_case_studies", on_delete=models.CASCADE)
    case_study = models.ForeignKey(
        CaseStudyPage, verbose_name=_("histoire de mutualisation"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("case_study")]

    class Meta(Orderable.Meta):
        verbose_name = _("histoire en vedette")
        verbose_name_plural = _("histoires en vedette")

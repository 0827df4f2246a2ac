"""The Wagtail pages of the information axis: home, content, case studies, library, support form."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from website import home_slots, i18n, page_routes, prefill
from website.blocks import BodyBlock
from website.forms import HoneypotFormBuilder
from website.models.documents import ResourceDocument
from website.models.organisation_fields import offer_known_organisations
from website.models.taxonomy import ResourceCategory
from website.organisation_names import is_organisation_question
from website.panels import InlinePanel
from website.services import record_support_request

PAGE_SIZE = 12


def paginate(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class HomePage(Page):
    hero_title = models.CharField(_("titre d'accueil"), max_length=200)
    hero_text = models.TextField(_("texte d'accueil"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image d'accueil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page du bouton d'accueil"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("libellé du bouton d'accueil"), max_length=60, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldRowPanel([FieldPanel("hero_link"), FieldPanel("hero_link_label")]),
            ],
            heading=_("Bandeau d'accueil"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")

    @property
    def localized_draft(self):
        """Wagtail's (`localized` reads it), with the reader's `Locale` read once per request
        (website/i18n.py): Wagtail's router starts every request from the home page's `localized`."""
        locale = i18n.active_locale()
        if locale.pk == self.locale_id:
            return self
        return self.get_translation_or_none(locale) or self

    def route(self, request, path_components):
        """Every public address starts here: the route is remembered (website/page_routes.py)."""
        return page_routes.route(self, request, path_components, super().route)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(home_slots.context(request))
        return context

    def serve(self, request, *args, **kwargs):
        # A slot may hold a pre-filled form (the newsletter's sign-up): the page is then this browser's only.
        return prefill.keep_private(request, super().serve(request, *args, **kwargs))


class ContentPage(Page):
    intro = models.TextField(_("chapeau"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("page de contenu")


class CaseStudyIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["website.CaseStudyPage"]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("index des histoires de mutualisation")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        studies = (
            CaseStudyPage.objects.child_of(self)
            .live()
            .public()
            .order_by("-first_published_at")
            .prefetch_related("shared_categories", "organisations")
        )
        category = request.GET.get("categorie", "")
        if category:
            studies = studies.filter(shared_categories__slug=category)
        context["studies"] = paginate(request, studies)
        context["categories"] = ResourceCategory.objects.all()
        context["current_category"] = category
        return context


class CaseStudyOrganisation(Orderable):
    page = ParentalKey("website.CaseStudyPage", related_name="organisations", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=200)
    url = models.URLField(_("site web"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("organisme participant")
        verbose_name_plural = _("organismes participants")


class CaseStudyPage(Page):
    """A "histoire de mutualisation": who shares what, since when, and what it brought."""

    summary = models.TextField(_("résumé"), max_length=500)
    shared_categories = ParentalManyToManyField(
        "website.ResourceCategory", verbose_name=_("ce qui est partagé"), blank=True
    )
    regions = ParentalManyToManyField("website.Region", verbose_name=_("régions"), blank=True)
    since = models.DateField(_("depuis"), null=True, blank=True)
    outcomes = RichTextField(_("retombées"), blank=True, features=["bold", "italic", "link", "ul"])
    body = StreamField(BodyBlock(), verbose_name=_("récit"), blank=True)
    savings_money = models.DecimalField(
        _("économies ($ par année)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    savings_hours = models.PositiveIntegerField(_("heures économisées par année"), null=True, blank=True)
    savings_km = models.PositiveIntegerField(_("kilomètres évités par année"), null=True, blank=True)
    support_request = models.ForeignKey(
        "website.SupportRequest",
        verbose_name=_("demande d'accompagnement d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
        help_text=_("La demande d'accompagnement dont cette histoire est le résultat, s'il y en a une."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        InlinePanel(
            "organisations",
            heading=_("Organismes participants"),
            label=_("Organisme participant"),
            add_label=_("Ajouter un organisme participant"),
            min_num=2,
        ),
        FieldPanel("shared_categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("since"),
        FieldPanel("outcomes"),
        FieldPanel("body"),
        FieldRowPanel(
            [FieldPanel("savings_money"), FieldPanel("savings_hours"), FieldPanel("savings_km")],
            heading=_("Économies réalisées"),
        ),
        FieldPanel("support_request"),
    ]
    parent_page_types = ["website.CaseStudyIndexPage"]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("outcomes"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("histoire de mutualisation")
        verbose_name_plural = _("histoires de mutualisation")

    @property
    def has_savings(self):
        return any(v is not None for v in (self.savings_money, self.savings_hours, self.savings_km))


class ResourceLibraryPage(Page):
    """Public, filtered listing of the documents marked public in the Wagtail document library."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    subpage_types = []
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("bibliothèque de ressources")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        documents = ResourceDocument.objects.public().select_related("category")
        categories = list(ResourceCategory.objects.all())
        category = request.GET.get("categorie", "")
        query = request.GET.get("q", "").strip()
        if category:
            chosen = next((c for c in categories if c.slug == category), None)
            documents = documents.filter(category=chosen) if chosen else documents.none()
        if query:
            # The site's search backend (any text is safe), most relevant first.
            documents = documents.search(query, operator="and")
        else:
            documents = documents.order_by("-created_at", "-pk")
        context["documents"] = paginate(request, documents)
        context["categories"] = categories
        context["current_category"] = category
        context["query"] = query
        return context


class SubmissionsPanel(FormSubmissionsPanel):
    """The count of submissions and the link to them, only for those who may read them."""

    class BoundPanel(FormSubmissionsPanel.BoundPanel):
        def is_shown(self):
            return self.request.user.has_perm("wagtailforms.view_formsubmission") and super().is_shown()


class SupportFormField(AbstractFormField):
    page = ParentalKey("website.SupportRequestPage", related_name="form_fields", on_delete=models.CASCADE)


# How a support form asks for the person's name ("Personne-ressource", "Nom et prénom", "Your name").
NAME_QUESTIONS = ("personne", "nom_et_prenom", "nom_complet", "votre_nom", "your_name", "name", "contact")


class SupportRequestPage(AbstractEmailForm):
    """ "Demande d'accompagnement": an organisation asks the network for help with a sharing project."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    thank_you_text = RichTextField(
        _("message de remerciement"), blank=True, features=["bold", "italic", "link"]
    )

    form_builder = HoneypotFormBuilder
    search_fields = AbstractEmailForm.search_fields + [index.SearchField("intro")]
    content_panels = AbstractEmailForm.content_panels + [
        SubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel(
            "form_fields",
            heading=_("Champs du formulaire"),
            label=_("Champ"),
            add_label=_("Ajouter un champ"),
        ),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("to_address"), FieldPanel("subject")],
            heading=_("Avis aux responsables"),
        ),
    ]
    subpage_types = []

    class Meta:
        verbose_name = _("demande d'accompagnement")

    def organisation_question(self):
        """The form's question for the organisation's name ("Nom de l'organisme"), by its clean name."""
        fields = self.get_form_fields()
        return next(
            (f.clean_name for f in fields if is_organisation_question(f.clean_name, f.field_type)), None
        )

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if question := self.organisation_question():
            offer_known_organisations(form, question)
        return form

    def get_submissions_list_view_class(self):
        # Named by its path, as a setting would be: Wagtail's admin views cannot be imported while the
        # models are loading (they load the Page model themselves).
        return import_string("website.exports.FormulaSafeSubmissionsListView")

    def process_form_submission(self, form):
        return record_support_request(self, form)

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            if form.accepted(request, "support-request"):
                self.process_form_submission(form)
                return redirect(self.url + "?envoye=1")
            status = form.refusal_status
        else:
            if request.GET.get("envoye"):
                return self.render_landing_page(request)
            form = self.get_form(page=self, user=request.user, initial=self.prefilled(request))
            status = 200
        context = self.get_context(request)
        context["form"] = form
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        return prefill.keep_private(request, response)

    def prefilled(self, request):
        """The name, organisation and email of a person who came through their space's link, in the
        questions that ask for them (website.prefill)."""
        questions = {}
        for field in self.get_form_fields():
            if field.field_type == "email":
                questions.setdefault(field.clean_name, "email")
            elif field.field_type == "singleline" and field.clean_name.startswith(NAME_QUESTIONS):
                questions.setdefault(field.clean_name, "name")
        if organisation := self.organisation_question():
            questions[organisation] = "organisation"
        return prefill.initial(request, **questions)

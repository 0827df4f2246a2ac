"""The event pages: the index (filters by type, region, month) and one page per event, which serves its
registration form itself. Pages sit above the forms and the services they call; the records those
work on are in `events.models.records`."""

import uuid
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from events import services
from events.calendars import add_to_calendar_links
from events.forms import EventFilterForm, RegistrationForm, too_many_seats
from events.models.records import CostRule, EventKind, EventState, Registration, Threshold, event_scope
from events.schema import event_json_ld
from website import page_cache, prefill, site_chrome
from website.blocks import BodyBlock
from website.i18n import canonical
from website.panels import InlinePanel


class EventIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des événements")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.child_of(self).live().public().select_related("kind", "region")
        filters = EventFilterForm(request.GET, months=EventPage.objects.live().public())
        context["filters"] = filters
        context["events"] = Paginator(filters.filter(events), 12).get_page(request.GET.get("page"))
        return context


class EventPage(Page):
    State = EventState
    CostRule = CostRule
    Threshold = Threshold

    kind = models.ForeignKey(
        EventKind, verbose_name=_("type"), on_delete=models.PROTECT, related_name="events"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    summary = models.TextField(_("résumé"), max_length=400, blank=True)
    description = StreamField(BodyBlock(), verbose_name=_("description"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    venue = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.TextField(_("adresse"), blank=True)
    region = models.ForeignKey(
        "website.Region", verbose_name=_("région (MRC)"), null=True, blank=True, on_delete=models.SET_NULL
    )
    accessibility_notes = models.TextField(_("accessibilité du lieu"), blank=True)
    online_url = models.URLField(
        _("lien de la rencontre en ligne"),
        blank=True,
        help_text=_("Montré seulement aux personnes inscrites."),
    )
    state = models.CharField(_("statut"), max_length=10, choices=State.choices, default=State.SCHEDULED)

    capacity = models.PositiveIntegerField(_("capacité (personnes)"))
    max_seats = models.PositiveSmallIntegerField(
        _("places au plus par inscription"),
        default=4,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Une inscription en ligne ne peut pas demander plus de places. Au-delà, l'équipe ajoute les "
            "places depuis l'écran Inscriptions de l'événement."
        ),
    )
    registration_opens = models.DateTimeField(_("ouverture des inscriptions"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("fermeture des inscriptions"), null=True, blank=True)
    requires_approval = models.BooleanField(
        _("les inscriptions attendent l'approbation de l'équipe"), default=False
    )
    hold_hours = models.PositiveSmallIntegerField(
        _("délai pour accepter une place libérée (heures)"),
        default=0,
        help_text=_("0 : la personne en attente est inscrite d'office."),
    )
    reminder_days = models.PositiveSmallIntegerField(_("rappel (jours avant)"), default=2)
    ask_still_coming = models.BooleanField(
        _("demander de confirmer sa présence dans le rappel"),
        default=False,
        help_text=_("Les places non confirmées la veille sont offertes à la liste d'attente."),
    )
    satisfaction_url = models.URLField(_("formulaire de satisfaction"), blank=True)

    total_cost = models.DecimalField(
        _("coût total à partager ($)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_rule = models.CharField(
        _("partage du coût"), max_length=20, choices=CostRule.choices, default=CostRule.PER_ORGANISATION
    )
    cost_cap = models.DecimalField(
        _("plafond par organisme ($)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    threshold = models.PositiveIntegerField(_("seuil minimal"), null=True, blank=True)
    threshold_unit = models.CharField(
        _("le seuil compte des"), max_length=15, choices=Threshold.choices, default=Threshold.ORGANISATIONS
    )
    decision_date = models.DateField(_("date de décision (go/no-go)"), null=True, blank=True)

    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    shares_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    support_request = models.ForeignKey(
        "website.SupportRequest",
        verbose_name=_("demande d'accompagnement d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("La demande d'accompagnement qui a mené à cet événement, s'il y en a une."),
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("state")]),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("image"),
        InlinePanel(
            "speakers",
            heading=_("Personnes-ressources"),
            label=pgettext_lazy("intervenante ou intervenant", "Personne-ressource"),
            add_label=_("Ajouter une personne-ressource"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldPanel("region"),
                FieldPanel("accessibility_notes"),
                FieldPanel("online_url"),
            ],
            heading=_("Lieu"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("max_seats"), FieldPanel("hold_hours")]),
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
                FieldPanel("requires_approval"),
                FieldRowPanel([FieldPanel("reminder_days"), FieldPanel("ask_still_coming")]),
                FieldPanel("satisfaction_url"),
            ],
            heading=_("Inscriptions"),
        ),
        InlinePanel(
            "questions",
            heading=_("Questions d'inscription"),
            label=_("Question"),
            add_label=_("Ajouter une question"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("total_cost"), FieldPanel("cost_rule"), FieldPanel("cost_cap")]),
                FieldRowPanel(
                    [FieldPanel("threshold"), FieldPanel("threshold_unit"), FieldPanel("decision_date")]
                ),
            ],
            heading=_("Coûts partagés et seuil"),
        ),
        FieldPanel("support_request"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.SearchField("venue"),
        index.RelatedFields("region", [index.SearchField("name"), index.SearchField("name_en")]),
    ]

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin doit suivre le début.")})
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            raise ValidationError({"registration_closes": _("La fermeture doit suivre l'ouverture.")})
        if self.cost_cap is not None and self.total_cost is None:
            raise ValidationError({"cost_cap": _("Un plafond demande un coût total.")})
        if self.threshold and not self.decision_date:
            raise ValidationError({"decision_date": _("Un seuil demande une date de décision.")})

    # Kept by the system, never by an editor: restoring or publishing an older revision leaves them be.
    SYSTEM_FIELDS = ("uid", "sequence", "decided_at", "shares_sent_at", "follow_up_sent_at")

    def with_content_json(self, content):
        page = super().with_content_json(content)
        for name in self.SYSTEM_FIELDS:
            setattr(page, name, getattr(self, name))
        return page

    def save(self, *args, **kwargs):
        # SEQUENCE (RFC 5545) goes up when a save writes new dates or a new state, which calendars show.
        # Saves of other columns only (Wagtail's save_revision) leave it alone.
        scheduling = {"start", "end", "state"}
        update_fields = kwargs.get("update_fields")
        if self.pk and (update_fields is None or scheduling & set(update_fields)):
            previous = EventPage.objects.filter(pk=self.pk).values(*scheduling).first()
            if previous and any(previous[name] != getattr(self, name) for name in scheduling):
                self.sequence += 1
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "sequence"}
        super().save(*args, **kwargs)

    @property
    def is_online(self):
        return bool(self.online_url) and not (self.address or self.venue)

    def has_started(self, now=None):
        return self.start <= (now or timezone.now())

    @property
    def seats_per_registration(self):
        """What one registration may ask for online: the per-event maximum, never more than capacity."""
        return max(1, min(self.max_seats, self.capacity))

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        if self.state == self.State.CANCELLED or self.start <= now:
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        return not (self.registration_closes and now >= self.registration_closes)

    @property
    def shares_costs(self):
        return self.total_cost is not None and self.total_cost > Decimal("0")

    def serve(self, request, *args, **kwargs):
        """A POST registers, as Wagtail's form pages do: accepted, the person goes to their registration's
        page; refused, the page again with the form, its errors and a 400 (429 over the rate). Whatever the
        language of the page, the registration belongs to the source event, whose seats all share."""
        if request.method != "POST":
            return prefill.keep_private(request, super().serve(request, *args, **kwargs))
        event = canonical(self)
        form = RegistrationForm(request.POST, event=event)
        if form.accepted(request, "events-register"):
            try:
                registration = services.register(event, **form.registration_fields())
            except services.RegistrationError as refused:
                add_refusal(form, refused)
            else:
                messages.success(request, registered_message(registration, form.cleaned_data["seats"]))
                return redirect("events:registration_manage", token=services.manage_token(registration))
        context = self.get_context(request, *args, form=form, **kwargs)
        return TemplateResponse(request, self.get_template(request), context, status=form.refusal_status)

    def get_context(self, request, *args, form=None, **kwargs):
        """Seats, shares, the form and its questions come from the source event, whose registrations
        every language shares; addresses stay in the reader's language."""
        context = super().get_context(request, *args, **kwargs)
        event = canonical(self)
        page_cache.depends_on(request, event_scope(event.pk))  # before the seats are counted
        left, share = services.seats_left(event), services.share_preview(event)
        organisation = site_chrome.for_request(request)["organisation"]["name"]
        context.update(
            event=event,
            seats_left=left,
            share=share,
            registration_open=event.registration_is_open(),
            form=form or RegistrationForm(event=event, initial=prefilled(request)),
            calendar_links=add_to_calendar_links(self),
            json_ld=event_json_ld(self, organisation, left, share["current"] if share else None),
        )
        return context


def prefilled(request):
    """What a person who came through their space's link already told us (website.prefill)."""
    return prefill.initial(request, contact_name="name", email="email", organisation="organisation")


class EventSpeaker(Orderable):
    page = ParentalKey(EventPage, related_name="speakers", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=120)
    role = models.CharField(_("fonction ou organisme"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = pgettext_lazy("intervenante ou intervenant", "personne-ressource")
        verbose_name_plural = _("personnes-ressources")


def add_refusal(form, refused):
    """What the form says when the rules refuse a registration it found valid."""
    if str(refused) == "too_many":  # the maximum was lowered while the form was open
        form.add_error("seats", too_many_seats(EventPage.objects.get(pk=form.event.pk).max_seats))
    else:
        form.add_error(None, gettext("Les inscriptions à cet événement sont fermées."))


def registered_message(registration, requested):
    """What the person reads after registering: what happened, and that an email is on its way."""
    values = {"email": registration.email, "seats": registration.seats, "requested": requested}
    if registration.state == Registration.State.WAITING:
        return (
            gettext(
                "L'événement est complet : votre demande est sur la liste d'attente, dans l'ordre d'arrivée. "
                "Un courriel est envoyé à %(email)s."
            )
            % values
        )
    if registration.state == Registration.State.PENDING:
        return (
            gettext(
                "Inscription reçue : l'équipe la confirmera sous peu. Un courriel est envoyé à %(email)s."
            )
            % values
        )
    if registration.seats < requested:
        return (
            ngettext(
                "Inscription enregistrée pour %(seats)s place sur les %(requested)s demandées : c'est tout ce "
                "qui restait. Un courriel de confirmation est envoyé à %(email)s.",
                "Inscription enregistrée pour %(seats)s places sur les %(requested)s demandées : c'est tout ce "
                "qui restait. Un courriel de confirmation est envoyé à %(email)s.",
                registration.seats,
            )
            % values
        )
    return gettext("Inscription enregistrée. Un courriel de confirmation est envoyé à %(email)s.") % values

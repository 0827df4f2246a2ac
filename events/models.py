"""Events: trainings, networking meetings, the regional day, webinars; registrations and waiting list."""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from website.blocks import BodyBlock
from website.models.organisations import OrganisationLinked
from website.models.taxonomy import BilingualName
from website.organisation_names import normalise
from website.panels import InlinePanel
from website.tokens import new_secret  # the secret fields' default; migrations name it here


class EventKind(BilingualName):
    """Formation, rencontre de réseautage, journée régionale, webinaire… (editable)."""

    shares_costs = models.BooleanField(_("les organismes peuvent partager le coût"), default=False)

    class Meta(BilingualName.Meta):
        verbose_name = _("type d'événement")
        verbose_name_plural = _("types d'événements")


class EventIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("index des événements")

    def get_context(self, request, *args, **kwargs):
        from events import services

        context = super().get_context(request, *args, **kwargs)
        context.update(services.event_listing(self, request))
        return context


class EventPage(Page):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Prévu")
        CONFIRMED = "confirmed", _("Confirmé")
        CANCELLED = "cancelled", _("Annulé")
        POSTPONED = "postponed", _("Reporté")

    class CostRule(models.TextChoices):
        PER_ORGANISATION = "per_organisation", _("À parts égales entre les organismes")
        PER_SEAT = "per_seat", _("Selon le nombre de places")

    class Threshold(models.TextChoices):
        ORGANISATIONS = "organisations", _("organismes")
        PEOPLE = "people", _("personnes")

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
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)

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
    follow_up_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
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
        # SEQUENCE (RFC 5545) goes up when a save writes new dates or a new status, which calendars show.
        # Saves of other columns only (Wagtail's save_revision) leave it alone.
        scheduling = {"start", "end", "status"}
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
        if self.status == self.Status.CANCELLED or self.start <= now:
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        return not (self.registration_closes and now >= self.registration_closes)

    @property
    def shares_costs(self):
        return self.total_cost is not None and self.total_cost > Decimal("0")

    def serve(self, request, *args, **kwargs):
        if request.method == "POST":
            from events.views import register

            return register(request, self)  # registers on the source event, whatever the language
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from events import services

        context = super().get_context(request, *args, **kwargs)
        context.update(services.event_page_context(self, request))
        return context


class EventSpeaker(Orderable):
    page = ParentalKey(EventPage, related_name="speakers", on_delete=models.CASCADE)
    name = models.CharField(_("nom"), max_length=120)
    role = models.CharField(_("fonction ou organisme"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = pgettext_lazy("intervenante ou intervenant", "personne-ressource")
        verbose_name_plural = _("personnes-ressources")


class EventQuestion(Orderable):
    class Kind(models.TextChoices):
        TEXT = "text", _("Texte")
        CHOICE = "choice", _("Choix dans une liste")
        YES_NO = "yes_no", _("Oui ou non")

    page = ParentalKey(EventPage, related_name="questions", on_delete=models.CASCADE)
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("type de réponse"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(_("choix (un par ligne)"), blank=True)
    required = models.BooleanField(_("obligatoire"), default=False)

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("choices"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question d'inscription")
        verbose_name_plural = _("questions d'inscription")

    @property
    def field_name(self):
        return f"question_{self.pk}"

    @property
    def choice_list(self):
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Registration(OrganisationLinked, models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrite")
        PENDING = "pending", _("En attente d'approbation")
        OFFERED = "offered", _("Place offerte")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")
        REJECTED = "rejected", _("Refusée")

    HOLDING = (Status.CONFIRMED, Status.PENDING, Status.OFFERED)  # these take seats

    event = models.ForeignKey(
        EventPage, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="registrations"
    )
    contact_name = models.CharField(_("personne responsable"), max_length=120)
    email = models.EmailField(_("courriel"))
    organisation = models.CharField(_("organisme"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("nombre de places"))
    allow_partial = models.BooleanField(
        _("accepter moins de places si c'est tout ce qui se libère"), default=False
    )
    seats_requested = models.PositiveSmallIntegerField(
        _("places demandées"),
        null=True,
        blank=True,
        help_text=_(
            "Le nombre demandé, quand la personne a accepté moins de places (acceptation partielle)."
        ),
    )
    attendee_names = models.JSONField(_("noms des participantes et participants"), default=list, blank=True)
    dietary_needs = models.TextField(_("restrictions alimentaires"), blank=True)
    accessibility_needs = models.TextField(_("besoins d'accessibilité"), blank=True)
    answers = models.JSONField(_("réponses"), default=dict, blank=True)
    newsletter_consent = models.BooleanField(_("accepte l'infolettre"), default=False)
    language = models.CharField(_("langue"), max_length=10, default="fr-ca")
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    offer_expires_at = models.DateTimeField(_("offre valide jusqu'au"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    presence_confirmed_at = models.DateTimeField(_("présence confirmée le"), null=True, blank=True)
    attended = models.PositiveSmallIntegerField(_("personnes présentes"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    secret = models.CharField(max_length=32, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at", "pk"]
        permissions = [("email_registrants", _("Écrire aux personnes inscrites et annuler un événement"))]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return f"{self.organisation} — {self.contact_name} ({self.seats})"

    @property
    def organisation_key(self):
        """What cost shares group by: the linked organisation, else the typed name's matching key."""
        if self.member_organisation_id:
            return f"organisation:{self.member_organisation_id}"
        return normalise(self.organisation)

    @property
    def holds_seats(self):
        return self.status in self.HOLDING

    @property
    def partially_accepted(self):
        """It holds fewer seats than asked for, because that is all that was free."""
        return bool(self.seats_requested and self.seats < self.seats_requested and self.holds_seats)

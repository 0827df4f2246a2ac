"""The records the rules work on: kinds of events, registration questions, registrations, and the
choices of an event page (its state, cost rule and threshold).

Everything in events below the pages (forms, services, emails, calendars, schema.org) imports this
module, never `events.models` (which holds the pages: they import the forms and services to serve
themselves). The event page class itself is reached through `event_pages()`."""

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from website.models.organisations import OrganisationLinked
from website.models.taxonomy import BilingualName
from website.organisation_names import normalise
from website.tokens import new_secret  # the secret fields' default; migrations name it here


class EventState(models.TextChoices):
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


def event_scope(event_id):
    """The page-cache scope of an event's registrations (website/page_cache.py)."""
    return f"event:{event_id}"


def event_pages():
    """The event pages' manager (`EventPage.objects`), for the rules: the page class sits above them,
    since it builds its registration form and calls the registration service to serve itself."""
    return apps.get_model("events", "EventPage").objects


class EventKind(BilingualName):
    """Formation, rencontre de réseautage, journée régionale, webinaire… (editable)."""

    shares_costs = models.BooleanField(_("les organismes peuvent partager le coût"), default=False)

    class Meta(BilingualName.Meta):
        verbose_name = _("type d'événement")
        verbose_name_plural = _("types d'événements")


class EventQuestion(Orderable):
    class Kind(models.TextChoices):
        TEXT = "text", _("Texte")
        CHOICE = "choice", _("Choix dans une liste")
        YES_NO = "yes_no", _("Oui ou non")

    page = ParentalKey("events.EventPage", related_name="questions", on_delete=models.CASCADE)
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
    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrite")
        PENDING = "pending", _("En attente d'approbation")
        OFFERED = "offered", _("Place offerte")
        WAITING = "waiting", _("Liste d'attente")
        CANCELLED = "cancelled", _("Annulée")
        REJECTED = "rejected", _("Refusée")

    HOLDING = (State.CONFIRMED, State.PENDING, State.OFFERED)  # these take seats
    # Not content that refers to pages: Wagtail's reference index (the admin's "usage" of an event page)
    # would otherwise be written for each one, under the event's lock.
    wagtail_reference_index_ignore = True

    event = models.ForeignKey(
        "events.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="registrations",
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
    state = models.CharField(_("statut"), max_length=10, choices=State.choices)
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
        indexes = [models.Index(fields=["event", "state", "created_at"])]

    def __str__(self):
        return f"{self.organisation} — {self.contact_name} ({self.seats})"

    def save(self, *args, **kwargs):
        self._new_on_waiting_list = self._state.adding and self.state == self.State.WAITING
        try:
            super().save(*args, **kwargs)
        finally:
            self._new_on_waiting_list = False

    @property
    def page_cache_scope(self):
        """Public pages show a registration only on its event's page (seats left, the cost share): a change
        makes only that page out of date (website/page_cache.py; the event page names the same scope).
        A new request on the waiting list changes neither (it holds no seat and pays no share): no page
        is out of date, so a full event's page stays stored while requests keep coming."""
        if getattr(self, "_new_on_waiting_list", False):
            return False
        return event_scope(self.event_id)

    @property
    def organisation_key(self):
        """What cost shares group by: the linked organisation, else the typed name's matching key."""
        if self.member_organisation_id:
            return f"organisation:{self.member_organisation_id}"
        return normalise(self.organisation)

    @property
    def holds_seats(self):
        return self.state in self.HOLDING

    @property
    def partially_accepted(self):
        """It holds fewer seats than asked for, because that is all that was free."""
        return bool(self.seats_requested and self.seats < self.seats_requested and self.holds_seats)

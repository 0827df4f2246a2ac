"""The infolettre: subscribers with a consent ledger, topics, Wagtail-authored issues, and the sending
pipeline (one Send per issue send-out, one Delivery row per recipient)."""

import datetime

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from newsletter import rendering
from newsletter.blocks import IssueBodyBlock
from website.models.organisations import Organisation, OrganisationLinked
from website.models.taxonomy import BilingualName
from website.tokens import new_secret  # the secret fields' default; migrations name it here

IMPLIED_CONSENT_LIFETIME = datetime.timedelta(days=2 * 365)  # CASL: implied consent lasts two years
# A subscriber on implied consent is asked once to renew it this long before it lapses.
RENEWAL_NOTICE = datetime.timedelta(days=30)


class Topic(BilingualName):
    """Infolettre générale, formations, babillard… (editable)."""

    class Meta(BilingualName.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")


class SubscriberQuerySet(models.QuerySet):
    def mailable(self, now=None):
        """Confirmed, not bounced, and with consent that has not lapsed."""
        now = now or timezone.now()
        return self.filter(state=Subscriber.State.CONFIRMED).filter(
            models.Q(consent_expires_at__isnull=True) | models.Q(consent_expires_at__gt=now)
        )


class Subscriber(OrganisationLinked, models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("À confirmer")
        CONFIRMED = "confirmed", _("Abonné")
        UNSUBSCRIBED = "unsubscribed", _("Désabonné")
        BOUNCED = "bounced", _("Adresse en erreur")

    email = models.EmailField(_("courriel"), unique=True)
    first_name = models.CharField(_("prénom"), max_length=80, blank=True)
    organisation = models.CharField(_("organisme"), max_length=200, blank=True)
    language = models.CharField(_("langue"), max_length=10, choices=settings.LANGUAGES, default="fr-ca")
    topics = models.ManyToManyField(Topic, verbose_name=_("thèmes"), blank=True, related_name="subscribers")
    state = models.CharField(_("statut"), max_length=12, choices=State.choices, default=State.PENDING)
    consent_expires_at = models.DateTimeField(
        _("consentement tacite valide jusqu'au"),
        null=True,
        blank=True,
        help_text=_("Vide pour un consentement exprès, qui n'expire pas."),
    )
    hard_bounces = models.PositiveSmallIntegerField(_("rebonds permanents"), default=0)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)
    # The implied-consent expiry we last asked this person to renew: never asked twice for the same one.
    renewal_asked_for = models.DateTimeField(
        _("renouvellement demandé pour l'échéance du"), null=True, blank=True, editable=False
    )
    secret = models.CharField(max_length=32, default=new_secret, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")
        ordering = ["email"]
        permissions = [("import_subscribers", _("Importer des abonnés (CSV)"))]

    def __str__(self):
        return self.email


class SignupRequest(models.Model):
    """A sign-up for an address we already know, kept aside. Anyone can type anyone's address, so
    nothing about the subscriber changes until the link emailed to that address is used; then these
    values apply and the row goes. One per subscriber: a newer request replaces the older one."""

    subscriber = models.OneToOneField(Subscriber, on_delete=models.CASCADE, related_name="signup_request")
    first_name = models.CharField(_("prénom"), max_length=80, blank=True)
    organisation = models.CharField(_("organisme"), max_length=200, blank=True)
    language = models.CharField(_("langue"), max_length=10, choices=settings.LANGUAGES)
    topics = models.ManyToManyField(Topic, verbose_name=_("thèmes"), blank=True, related_name="+")
    method = models.CharField(_("moyen"), max_length=12)
    wording = models.TextField(_("texte affiché"), blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    key = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("demandé le"), default=timezone.now)

    class Meta:
        verbose_name = _("demande d'abonnement à confirmer")
        verbose_name_plural = _("demandes d'abonnement à confirmer")

    def __str__(self):
        return f"{self.subscriber} ({self.created_at:%Y-%m-%d})"


class ConsentRecord(models.Model):
    """One line of the consent ledger (CASL, Quebec Law 25): what happened, when, how, from where,
    and the exact wording the person saw."""

    class Action(models.TextChoices):
        SUBSCRIBED = "subscribed", _("Consentement donné")
        CONFIRMED = "confirmed", _("Adresse confirmée")
        PREFERENCES = "preferences", _("Préférences modifiées")
        UNSUBSCRIBED = "unsubscribed", _("Désabonnement")
        BOUNCED = "bounced", _("Adresse en erreur")
        COMPLAINED = "complained", _("Plainte pour pourriel")
        RENEWED = "renewed", _("Consentement renouvelé")

    class Method(models.TextChoices):
        FORM = "form", _("Formulaire du site")
        IMPORT = "import", _("Importation")
        EVENT = "event", _("Inscription à un événement")
        LINK = "link", _("Lien dans un courriel")
        ONE_CLICK = "one_click", _("Désabonnement en un clic")
        PROVIDER = "provider", _("Fournisseur d'envoi")

    class Kind(models.TextChoices):
        EXPRESS = "express", _("Exprès")
        IMPLIED = "implied", _("Tacite (2 ans)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="ledger")
    action = models.CharField(_("action"), max_length=15, choices=Action.choices)
    method = models.CharField(_("moyen"), max_length=12, choices=Method.choices)
    kind = models.CharField(_("type de consentement"), max_length=10, choices=Kind.choices, blank=True)
    wording = models.TextField(_("texte affiché"), blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("entrée du registre de consentement")
        verbose_name_plural = _("registre de consentement")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.get_action_display()}"


class OrganisationKindsField(models.JSONField):
    """A list of organisation types (`Organisation.Kind`), edited as checkboxes. JSON, so that it lives
    in page revisions and works on SQLite and PostgreSQL alike."""

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            required=False,
            choices=Organisation.Kind.choices,
            widget=forms.CheckboxSelectMultiple,
        )


class NewsletterIndexPage(Page):
    """`/infolettre/`: what the newsletter is, the sign-up form (`{% signup_form %}`, newsletter_tags: the
    form's module imports these models), links to the archive."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["newsletter.NewsletterArchivePage"]
    max_count = 1

    class Meta:
        verbose_name = _("page de l'infolettre")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["archive"] = NewsletterArchivePage.objects.child_of(self).live().first()
        return context


class NewsletterArchivePage(Page):
    subpage_types = ["newsletter.NewsletterIssuePage"]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("archives de l'infolettre")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = NewsletterIssuePage.objects.child_of(self).live().public().order_by("-first_published_at")
        context["issues"] = Paginator(issues, 20).get_page(request.GET.get("page"))
        return context


class NewsletterIssuePage(Page):
    """One issue. The page is its web archive ("view in browser"); the email is rendered from its own
    template (see newsletter.rendering)."""

    subject = models.CharField(_("objet du courriel"), max_length=150)
    preheader = models.CharField(_("texte d'aperçu"), max_length=150, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("thèmes"), blank=True)
    regions = ParentalManyToManyField(
        "website.Region",
        verbose_name=_("régions (MRC)"),
        blank=True,
        related_name="+",
        help_text=_("Aucune cochée : toutes les régions."),
    )
    organisation_kinds = OrganisationKindsField(
        _("types d'organisme"), default=list, blank=True, help_text=_("Aucun coché : tous les types.")
    )
    include_unlinked = models.BooleanField(
        _("inclure les abonnés sans organisme lié"),
        default=False,
        help_text=_(
            "Quand une région ou un type est coché, seuls les abonnés liés à un organisme de ces régions "
            "et de ces types reçoivent le numéro. Cochez cette case pour l'envoyer aussi aux abonnés "
            "qu'aucun organisme ne relie : sinon, ils ne le reçoivent pas."
        ),
    )
    body = StreamField(IssueBodyBlock(), verbose_name=_("contenu"))
    tracking_enabled = models.BooleanField(
        _("mesurer les ouvertures et les clics"),
        default=False,
        help_text=_(
            "Désactivé par défaut (Loi 25). Ne fonctionne qu'avec un fournisseur d'envoi qui le permet."
        ),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("subject"),
                FieldPanel("preheader"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Courriel"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("organisation_kinds"),
                FieldPanel("include_unlinked"),
            ],
            heading=_("Public : régions et types d'organisme"),
            help_text=_(
                "En plus des thèmes, limitez l'envoi aux abonnés liés à un organisme de certaines MRC ou de "
                "certains types. L'écran d'envoi affiche le nombre exact de destinataires."
            ),
        ),
        FieldPanel("body"),
        FieldPanel("tracking_enabled"),
    ]
    parent_page_types = ["newsletter.NewsletterArchivePage"]
    subpage_types = []
    search_fields = Page.search_fields + [
        index.SearchField("subject", boost=2),
        index.SearchField("preheader"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("numéro de l'infolettre")
        verbose_name_plural = _("numéros de l'infolettre")

    EMAIL_PREVIEW = "email-"

    @property
    def preview_modes(self):
        names = dict(settings.LANGUAGES)
        return [
            ("", _("Page web (archives)")),
            *(
                (self.EMAIL_PREVIEW + code, _("Courriel (%(language)s)") % {"language": names[code]})
                for code, _name in settings.LANGUAGES
            ),
        ]

    def serve_preview(self, request, mode_name):
        """The email as readers of a language will get it (sample links in place of their own)."""
        if not mode_name.startswith(self.EMAIL_PREVIEW):
            return super().serve_preview(request, mode_name)
        language = mode_name.removeprefix(self.EMAIL_PREVIEW)
        _subject, html, _text = rendering.personalise(
            rendering.render_issue(self, language), **rendering.sample_links(language)
        )
        return HttpResponse(html)


class Send(models.Model):
    """One send-out of an issue to its audience."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Planifié")
        PREPARING = "preparing", _("Préparation")
        SENDING = "sending", _("Envoi en cours")
        PAUSED = "paused", _("En pause")
        CANCELLED = "cancelled", _("Annulé")
        DONE = "done", _("Terminé")

    issue = models.ForeignKey(
        NewsletterIssuePage, verbose_name=_("numéro"), on_delete=models.PROTECT, related_name="sends"
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    scheduled_at = models.DateTimeField(_("prévu le"), default=timezone.now)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        ordering = ["-created_at"]
        permissions = [("send_issue", _("Envoyer un numéro (copie de test, envoi, planification)"))]

    def __str__(self):
        return f"{self.issue} — {self.get_state_display()}"


class Delivery(models.Model):
    """One recipient of one issue: the unit of work, claimed under a row lock, marked sent as soon as
    the mail server accepts it."""

    class State(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        CANCELLED = "cancelled", _("Annulé")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField()
    language = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.CharField(max_length=100, blank=True)  # the worker that sent it
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("envoi individuel")
        verbose_name_plural = _("envois individuels")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "subscriber"], name="one_delivery_per_issue_and_subscriber"
            )
        ]
        indexes = [models.Index(fields=["send", "state", "claimed_at"])]

    def __str__(self):
        return f"{self.email} ({self.get_state_display()})"


class ChainLease(models.Model):
    """One of a send's NEWSLETTER_PARALLEL_BATCHES batch chains: held while a chain runs, renewed at each
    of its batches, free again when the chain ends or its worker died (`leased_until` passed). The sweep
    starts a chain only in a free slot, so chains never pile up. In the database, not in Redis: a Redis
    outage must not leave a send stopped or doubled."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="chain_leases")
    slot = models.PositiveSmallIntegerField()
    token = models.CharField(max_length=32)  # the chain holding the slot; an older chain stops
    leased_until = models.DateTimeField()

    class Meta:
        verbose_name = _("bail d'une chaîne d'envoi")
        verbose_name_plural = _("baux des chaînes d'envoi")
        constraints = [models.UniqueConstraint(fields=["send", "slot"], name="one_lease_per_send_and_slot")]

    def __str__(self):
        return f"{self.send_id}/{self.slot}"

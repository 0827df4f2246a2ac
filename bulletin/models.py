"""The babillard: posts (offers, requests, announcements), reports, relayed messages, alerts."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from website.models.organisations import OrganisationLinked
from website.tokens import new_secret  # the secret fields' default; migrations name it here

DEFAULT_LIFETIME_DAYS = 60
MAX_LIFETIME_DAYS = 180
REPORTS_TO_HIDE = 3


class PostQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(state=Post.State.PUBLISHED)

    def for_listing(self):
        return self.select_related("category").prefetch_related("regions")


class Post(OrganisationLinked, index.Indexed, models.Model):
    class Kind(models.TextChoices):
        OFFER = "offre", _("Offre")
        REQUEST = "demande", _("Demande")
        ANNOUNCEMENT = "annonce", _("Annonce")

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Courriel à confirmer")
        PENDING = "pending", _("En attente de modération")
        PUBLISHED = "published", _("Publiée")
        HIDDEN = "hidden", _("Masquée après signalements")
        REJECTED = "rejected", _("Refusée")
        CLOSED = "closed", _("Fermée")
        EXPIRED = "expired", _("Expirée")

    class Outcome(models.TextChoices):
        SHARED = "shared", _("Mutualisation réalisée")
        NOT_SHARED = "not_shared", _("Pas de mutualisation")

    kind = models.CharField(_("type d'annonce"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=120)
    slug = models.SlugField(max_length=120, editable=False)
    description = models.TextField(_("description"), max_length=5000)
    category = models.ForeignKey(
        "website.ResourceCategory",
        verbose_name=_("catégorie"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    regions = models.ManyToManyField("website.Region", verbose_name=_("régions (MRC)"), related_name="posts")
    organisation = models.CharField(_("organisme"), max_length=200)
    contact_name = models.CharField(_("personne-ressource"), max_length=120)
    contact_email = models.EmailField(_("courriel de la personne-ressource"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    show_phone = models.BooleanField(_("afficher le téléphone sur l'annonce"), default=False)
    image = models.ImageField(_("image"), upload_to="babillard/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("description de l'image"),
        max_length=200,
        blank=True,
        help_text=_("Ce que montre l'image, pour les personnes qui ne la voient pas."),
    )
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    expires_on = models.DateField(_("date d'expiration"))
    notify_matches = models.BooleanField(
        _("m'avertir par courriel des annonces qui correspondent à la mienne"), default=True
    )
    language = models.CharField(
        _("langue de l'auteur"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Les courriels à la personne-ressource sont envoyés dans cette langue."),
    )

    # Resource-specific details, each optional and shown only when filled in.
    premises_capacity = models.PositiveIntegerField(_("capacité du local (personnes)"), null=True, blank=True)
    premises_accessible = models.BooleanField(
        _("local accessible aux fauteuils roulants"), null=True, blank=True
    )
    transport_route = models.CharField(_("trajet"), max_length=200, blank=True)
    staff_hours_per_week = models.DecimalField(
        _("heures par semaine"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    training_seats = models.PositiveIntegerField(_("places de formation"), null=True, blank=True)
    training_cost = models.DecimalField(
        _("coût de formation à partager ($)"), max_digits=9, decimal_places=2, null=True, blank=True
    )

    state = models.CharField(_("état"), max_length=12, choices=State.choices, default=State.UNCONFIRMED)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    outcome = models.CharField(_("résultat"), max_length=12, choices=Outcome.choices, blank=True)
    partner_organisation = models.CharField(_("organisme partenaire"), max_length=200, blank=True)
    # The organisation the typed partner name designates (website.organisations): the completed
    # mutualisation counts for both organisations, and a merge moves it like every other link.
    partner = models.ForeignKey(
        "website.Organisation",
        verbose_name=_("organisme partenaire (registre)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partnered_posts",
    )
    savings_money = models.DecimalField(
        _("économies ($)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    savings_hours = models.PositiveIntegerField(_("heures économisées"), null=True, blank=True)
    savings_km = models.PositiveIntegerField(_("kilomètres évités"), null=True, blank=True)
    support_request = models.ForeignKey(
        "website.SupportRequest",
        verbose_name=_("demande d'accompagnement d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        help_text=_("La demande d'accompagnement qui a mené à cette annonce, s'il y en a une."),
    )

    manage_secret = models.CharField(max_length=32, default=new_secret, editable=False)
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True, editable=False)

    DETAIL_FIELDS = [
        "premises_capacity",
        "premises_accessible",
        "transport_route",
        "staff_hours_per_week",
        "training_seats",
        "training_cost",
    ]
    # Which details belong to which resource: (legend, fields, slugs of the categories they apply to).
    # Categories are editable data; a category none of these names asks for no details.
    DETAIL_GROUPS = [
        (_("Le local"), ["premises_capacity", "premises_accessible"], ["locaux"]),
        (_("Le transport"), ["transport_route"], ["transport"]),
        (_("Le personnel"), ["staff_hours_per_week"], ["ressources-humaines"]),
        (_("La formation"), ["training_seats", "training_cost"], ["formation"]),
    ]

    objects = PostQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("description"),
        index.SearchField("organisation", boost=2),
        index.SearchField("transport_route"),
        index.RelatedFields("category", [index.SearchField("name"), index.SearchField("name_en")]),
        index.RelatedFields("regions", [index.SearchField("name"), index.SearchField("name_en")]),
        index.AutocompleteField("title"),
        index.FilterField("state"),
        index.FilterField("kind"),
        index.FilterField("category"),
        index.FilterField("id"),  # the region filter is a subquery on ids
        index.FilterField("expires_on"),  # the site search leaves expired posts out
    ]

    class Meta:
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["state", "-published_at"]),
            models.Index(fields=["state", "expires_on"]),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:120] or "annonce"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bulletin:post_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @admin.display(description=_("signalements"))
    def report_count(self):
        annotated = getattr(self, "reports_total", None)  # set by the admin listing's query
        return annotated if annotated is not None else self.reports.count()

    @property
    def image_alt_text(self):
        """What an image of this post says to someone who cannot see it: the poster's words, else its
        title."""
        return self.image_alt or self.title

    @classmethod
    def detail_fields_for(cls, category):
        """The detail fields that apply to a post of `category` (a ResourceCategory or None)."""
        slug = getattr(category, "slug", None)
        return [name for _legend, names, slugs in cls.DETAIL_GROUPS if slug in slugs for name in names]

    @property
    def is_public(self):
        return self.state == self.State.PUBLISHED

    @property
    def matchable_kind(self):
        return {self.Kind.OFFER: self.Kind.REQUEST, self.Kind.REQUEST: self.Kind.OFFER}.get(self.kind)

    @property
    def details(self):
        """The resource-specific details that were filled in, as (label, value) pairs."""
        pairs = []
        for name in self.DETAIL_FIELDS:
            value = getattr(self, name)
            if value in (None, ""):
                continue
            if isinstance(value, bool):
                value = _("oui") if value else _("non")
            pairs.append((self._meta.get_field(name).verbose_name, value, name))
        return pairs

    @staticmethod
    def default_expiry(today=None):
        return (today or timezone.localdate()) + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)

    @staticmethod
    def latest_expiry(today=None):
        return (today or timezone.localdate()) + datetime.timedelta(days=MAX_LIFETIME_DAYS)


class Report(models.Model):
    """A visitor's report. It counts towards hiding the post only once its author has confirmed it
    through the emailed link; `ip_hash` (a keyed hash of the network it came from, never the address)
    lets the rule ask for distinct sources."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Pourriel ou publicité")
        INAPPROPRIATE = "inappropriate", _("Contenu inapproprié")
        MISLEADING = "misleading", _("Information trompeuse")
        OUTDATED = "outdated", _("Annonce périmée")
        OTHER = "other", _("Autre raison")

    post = models.ForeignKey(
        Post, verbose_name=_("annonce"), on_delete=models.CASCADE, related_name="reports"
    )
    email = models.EmailField(_("courriel de la personne qui signale"))
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("précisions"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("signalée le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True, editable=False)
    ip_hash = models.CharField(_("empreinte du réseau"), max_length=64, blank=True, editable=False)
    language = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    secret = models.CharField(max_length=32, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.UniqueConstraint(fields=["post", "email"], name="one_report_per_person_per_post")
        ]

    def __str__(self):
        return f"{self.post} — {self.get_reason_display()}"


class ContactMessage(models.Model):
    """A message relayed to a poster. The poster's address is never shown to the sender."""

    post = models.ForeignKey(
        Post, verbose_name=_("annonce"), on_delete=models.CASCADE, related_name="messages"
    )
    sender_name = models.CharField(_("votre nom"), max_length=120)
    sender_organisation = models.CharField(_("votre organisme"), max_length=200, blank=True)
    sender_email = models.EmailField(_("votre courriel"))
    body = models.TextField(_("votre message"), max_length=3000)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("message relayé")
        verbose_name_plural = _("messages relayés")

    def __str__(self):
        return f"{self.sender_name} → {self.post}"


class AlertSubscription(models.Model):
    """Someone who wants a daily digest of new posts matching a kind, a category and a region.

    Consent is recorded as the newsletter records it: when, the exact wording shown, from where.
    """

    email = models.EmailField(_("courriel"))
    kind = models.CharField(_("type d'annonce"), max_length=10, choices=Post.Kind.choices, blank=True)
    category = models.ForeignKey(
        "website.ResourceCategory",
        verbose_name=_("catégorie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    region = models.ForeignKey(
        "website.Region", verbose_name=_("région (MRC)"), null=True, blank=True, on_delete=models.CASCADE
    )
    language = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    consent_text = models.TextField(_("texte de consentement affiché"))
    consent_ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("inscrite le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonnée le"), null=True, blank=True)
    last_digest_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)
    secret = models.CharField(max_length=32, default=new_secret, editable=False)

    class Meta:
        verbose_name = _("alerte du babillard")
        verbose_name_plural = _("alertes du babillard")

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None

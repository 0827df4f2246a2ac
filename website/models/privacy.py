"""Personal data (Quebec's Law 25): the suppression list, the register of requests, the privacy policy.

The service that finds, exports and erases a person's data is `website.privacy`, above these models:
they never import it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from website.blocks import BodyBlock


class SuppressedAddress(models.Model):
    """An address erased at the person's request, kept only as a keyed hash (see website.privacy):
    imports and sign-ups look it up so that nothing adds the person back. It is also the proof, without
    the address, that their consent was withdrawn and when."""

    digest = models.CharField(_("empreinte"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("effacée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("adresse effacée")
        verbose_name_plural = _("adresses effacées")
        default_permissions = ()
        permissions = [
            (
                "manage_personal_data",
                _("Chercher, exporter et effacer les renseignements personnels (Loi 25)"),
            )
        ]

    def __str__(self):
        return _("Adresse effacée %(digest)s") % {"digest": self.digest[:12]}


class PersonalDataRequest(models.Model):
    """One search, export, erasure or lifted suppression: the register the privacy officer keeps.
    It names the address only by its keyed hash."""

    class Kind(models.TextChoices):
        SEARCH = "search", _("Recherche")
        EXPORT = "export", _("Export")
        ERASURE = "erasure", _("Effacement")
        LIFT = "lift", _("Levée de l'effacement")

    class Channel(models.TextChoices):
        ADMIN = "admin", _("Responsable, dans l'administration")
        PERSON = "person", _("La personne, par son lien de préférences")
        SPACE = "space", _("La personne, depuis son espace")

    kind = models.CharField(_("demande"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("par"), max_length=10, choices=Channel.choices)
    digest = models.CharField(_("empreinte de l'adresse"), max_length=64, db_index=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utilisateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.JSONField(_("résumé"), default=dict, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("demande relative aux renseignements personnels")
        verbose_name_plural = _("demandes relatives aux renseignements personnels")
        default_permissions = ()
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("%(kind)s n° %(pk)s") % {"kind": self.get_kind_display(), "pk": self.pk}


class PrivacyPolicyPage(Page):
    """The privacy policy (Law 25, s. 3.2 and 8). The editor writes the text; the page adds, from the
    site's settings, who is responsible and how long each kind of data is kept, so they never go stale."""

    intro = models.TextField(_("chapeau"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["website.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("politique de confidentialité")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["retention_periods"] = retention_periods()
        return context


def retention_periods():
    """How long each kind of personal data is kept, from the settings: shown on the privacy policy."""
    return [
        (
            _("Inscriptions à l'infolettre ou aux alertes jamais confirmées"),
            _days(settings.RETENTION_UNCONFIRMED_DAYS),
        ),
        (
            _("Coordonnées des personnes-ressources des annonces fermées, expirées ou refusées"),
            _months(settings.RETENTION_POST_CONTACT_MONTHS),
        ),
        (
            _("Signalements d'annonces et messages relayés"),
            _months(settings.RETENTION_BOARD_MESSAGES_MONTHS),
        ),
        (
            _(
                "Noms, coordonnées, besoins et réponses des personnes inscrites à un événement, après l'événement"
            ),
            _months(settings.RETENTION_ATTENDEES_MONTHS),
        ),
        (
            _(
                "Réponses et notes des demandes d'accompagnement terminées ou sans suite, après leur fermeture"
            ),
            _months(settings.RETENTION_SUPPORT_REQUESTS_MONTHS),
        ),
        (
            _("Nom et courriel d'une proposition de modification d'un profil d'organisme, après la décision"),
            _months(settings.RETENTION_PROPOSAL_MONTHS),
        ),
        (
            _("Contenu et destinataires des courriels envoyés, après l'envoi"),
            _days(settings.RETENTION_OUTBOX_DAYS),
        ),
    ]


def _days(n):
    return ngettext("%(n)s jour", "%(n)s jours", n) % {"n": n}


def _months(n):
    return ngettext("%(n)s mois", "%(n)s mois", n) % {"n": n}

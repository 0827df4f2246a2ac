"""The people of an organisation: contacts an editor attached to it (website/organisation_contacts.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from website.images import private_storage
from website.models.organisations import Organisation


def normalise(email):
    """As `website.privacy.normalise` (the models sit below the privacy service)."""
    return (email or "").strip().lower()


class OrganisationContact(models.Model):
    """A person an editor attached to an organisation: they see its records in their space and may
    propose changes to its public profile. Personal data: exported and erased with the person's."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisme"), on_delete=models.CASCADE, related_name="contacts"
    )
    email = models.EmailField(_("courriel"), max_length=254)
    name = models.CharField(_("nom"), max_length=120, blank=True)
    role = models.CharField(_("rôle"), max_length=120, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajouté par"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("personne-ressource d'un organisme")
        verbose_name_plural = _("personnes-ressources des organismes")
        ordering = ["organisation__name", "email"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="unique_contact_per_organisation")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    def save(self, *args, **kwargs):
        self.email = normalise(self.email)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the (organisation, email) constraint is validated: "Ana@X.org" is "ana@x.org".
        self.email = normalise(self.email)


class ProfileProposal(models.Model):
    """Changes a contact proposes to their organisation's public profile. Nothing of it is public: an
    editor compares, then approves (the organisation takes the values) or refuses
    (website/organisation_proposals.py). One pending proposal per person and organisation: proposing
    again replaces it."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Approuvée")
        REFUSED = "refused", _("Refusée")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisme"), on_delete=models.CASCADE, related_name="proposals"
    )
    email = models.EmailField(_("courriel de la personne"), max_length=254)
    name = models.CharField(_("nom de la personne"), max_length=120, blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr-ca")
    # {field name: proposed value} and the same fields' values when it was proposed, JSON-ready
    # (regions as a list of ids).
    changes = models.JSONField(_("changements proposés"), default=dict)
    previous = models.JSONField(_("valeurs d'alors"), default=dict)
    # A proposed logo, re-encoded (website.images), kept out of public reach until approved: then it
    # becomes a Wagtail image and this file goes.
    logo = models.FileField(
        _("logo proposé"), storage=private_storage, upload_to="logos-proposes/", blank=True
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.TextField(_("motif du refus"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("proposition de profil")
        verbose_name_plural = _("propositions de profil")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(state="pending"),
                name="one_pending_proposal_per_person",
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_state_display()}"

    def save(self, *args, **kwargs):
        self.email = normalise(self.email)
        super().save(*args, **kwargs)

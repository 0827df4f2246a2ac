"""The people of an organisation: contacts an editor attached to it (website/organisation_contacts.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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

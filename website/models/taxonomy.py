"""Editable reference data shared by every app: MRC regions and resource categories."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom en anglais"), max_length=100, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Region(BilingualName):
    """A regional county municipality (MRC), the region filter everywhere."""

    class Meta(BilingualName.Meta):
        verbose_name = _("région (MRC)")
        verbose_name_plural = _("régions (MRC)")


class ResourceCategory(BilingualName):
    """What organisations share: equipment, premises, staff, transport, documents…"""

    description = models.CharField(_("description"), max_length=250, blank=True)

    class Meta(BilingualName.Meta):
        verbose_name = _("catégorie de ressource")
        verbose_name_plural = _("catégories de ressources")

"""The dashboard stores nothing: its figures are computed from each app's records. This model only
carries the permission to read them (Django attaches permissions to a model); it has no table."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_dashboard", _("Consulter le tableau de bord Mesure"))]
        verbose_name = _("tableau de bord Mesure")

    def __str__(self):
        return str(self._meta.verbose_name)

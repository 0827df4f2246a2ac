"""The key of a person's space ("Mon espace"): the address it opens and the secret its links carry.

A link to `/mon-espace/<token>/` signs this row's id and secret (website.space). Rotating the secret
("log out everywhere") voids every link sent so far; a link also expires a day after it was made. The
row holds the address only while it can be used: retention deletes it a day after the last link was
asked for (all its links have expired by then), and an erasure deletes it at once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from website.tokens import DAY, new_secret

# How long a link to a space works (seconds).
LINK_MAX_AGE = DAY


class SpaceKey(models.Model):
    email = models.EmailField(_("courriel"), unique=True)  # stored lower-case (website.space)
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    last_requested_at = models.DateTimeField(_("dernier lien demandé le"))

    class Meta:
        verbose_name = _("clé d'espace personnel")
        verbose_name_plural = _("clés d'espace personnel")
        default_permissions = ()

    def __str__(self):
        return str(_("Espace personnel n° %(pk)s") % {"pk": self.pk})

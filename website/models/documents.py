from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document
from wagtail.search import index


class ResourceDocument(AbstractDocument):
    """A document of the resource library, filed under a resource category."""

    category = models.ForeignKey(
        "website.ResourceCategory",
        verbose_name=_("catégorie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("dans la bibliothèque publique"),
        default=True,
        help_text=_("Décochez pour garder le document hors de la bibliothèque de ressources."),
    )

    admin_form_fields = Document.admin_form_fields + ("category", "description", "is_public")
    search_fields = AbstractDocument.search_fields + [
        index.SearchField("description"),
        index.FilterField("is_public"),
        index.FilterField("category"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

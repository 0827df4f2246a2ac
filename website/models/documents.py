import operator
from functools import reduce

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document, DocumentQuerySet
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.search import index


def restricted_collections():
    """Collections whose documents need a login or a password (a restriction covers sub-collections)."""
    paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    if not paths:
        return Collection.objects.none()
    return Collection.objects.filter(reduce(operator.or_, (Q(path__startswith=path) for path in paths)))


class ResourceDocumentQuerySet(DocumentQuerySet):
    def public(self):
        """What the public may see, in the library and the site search alike: marked public, and not
        in a collection for members only."""
        return self.filter(is_public=True).exclude(collection__in=restricted_collections())


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

    objects = ResourceDocumentQuerySet.as_manager()

    admin_form_fields = Document.admin_form_fields + ("category", "description", "is_public")
    search_fields = AbstractDocument.search_fields + [
        index.SearchField("description"),
        index.FilterField("is_public"),
        index.FilterField("category"),
    ]

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

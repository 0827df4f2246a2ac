from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from website.exports import FormulaSafeSnippetViewSet
from website.models import Region, ResourceCategory


class RegionViewSet(FormulaSafeSnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Régions (MRC)")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


class ResourceCategoryViewSet(FormulaSafeSnippetViewSet):
    model = ResourceCategory
    icon = "tag"
    menu_label = _("Catégories de ressources")
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en", "description"]
    ordering = ["sort_order", "name"]


class ReferenceDataGroup(SnippetViewSetGroup):
    menu_label = _("Référentiels")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (RegionViewSet, ResourceCategoryViewSet)


register_snippet(ReferenceDataGroup)

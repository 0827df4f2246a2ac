"""The public directory of member organisations (`/organismes/`): only those that consented."""

import json

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from website import organisation_profile
from website.forms import slug_filter
from website.i18n import absolute_url
from website.models import Organisation, Region
from website.models.pages import paginate

PAGE_SIZE = 24


class DirectoryFilterForm(forms.Form):
    region = slug_filter(Region.objects.all(), _("Région (MRC)"), _("Toutes les régions"))
    type = forms.ChoiceField(label=_("Type d'organisme"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("Tous les types")), *Organisation.Kind.choices]

    def filter(self, organisations):
        if not self.is_valid():
            return organisations
        if self.cleaned_data["region"]:
            chosen = Organisation.objects.filter(regions=self.cleaned_data["region"]).values("pk")
            organisations = organisations.filter(pk__in=chosen)
        if self.cleaned_data["type"]:
            organisations = organisations.filter(kind=self.cleaned_data["type"])
        return organisations


@require_GET
def organisation_list(request):
    filters = DirectoryFilterForm(request.GET)
    organisations = filters.filter(Organisation.objects.public()).prefetch_related("regions")
    context = {
        "filters": filters,
        "organisations": paginate(request, organisations.order_by("name"), PAGE_SIZE),
    }
    return render(request, "website/organisation_list.html", context)


@require_GET
def organisation_detail(request, slug):
    organisations = Organisation.objects.public().select_related("logo").prefetch_related("regions")
    organisation = get_object_or_404(organisations, slug=slug)
    context = {
        "organisation": organisation,
        "json_ld": json_ld(request, organisation),
        **organisation_profile.context(organisation),
    }
    return render(request, "website/organisation_detail.html", context)


def organisation_data(request, organisation):
    """schema.org `Organization` of a public profile: what the organisation chose to make public."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": organisation.name,
        "url": absolute_url(request.path),
    }
    optional = {
        "alternateName": organisation.short_name,
        "description": organisation.description,
        "email": organisation.email,
        "telephone": organisation.phone,
        "sameAs": organisation.website,
    }
    data.update({key: value for key, value in optional.items() if value})
    if organisation.postal_address:
        data["address"] = {"@type": "PostalAddress", "streetAddress": organisation.postal_address}
    regions = [region.label for region in organisation.regions.all()]
    if regions:
        data["areaServed"] = [{"@type": "AdministrativeArea", "name": name} for name in regions]
    if organisation.logo:
        data["logo"] = absolute_url(organisation.logo.get_rendition("max-400x400").url)
    return data


def json_ld(request, organisation):
    text = (
        json.dumps(organisation_data(request, organisation), ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)

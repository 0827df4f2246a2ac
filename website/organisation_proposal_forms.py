"""The public forms of profile proposals: asking for the link, and proposing changes."""

import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from website.forms import PublicFormMixin
from website.images import clean_image
from website.models import Organisation
from website.organisation_proposals import PROPOSABLE

PHONE = RegexValidator(
    re.compile(r"^[\d\s+().\-]*((poste|ext\.?|x)\s*\d{1,6})?$", re.IGNORECASE),
    _("Un numéro de téléphone : des chiffres, des espaces, + ( ) . - et un poste au besoin."),
)


class ProposalLinkForm(PublicFormMixin, forms.Form):
    privacy_notice = _(
        "Votre adresse sert seulement à vous envoyer le lien; elle n'est pas conservée pour cette demande."
    )
    email = forms.EmailField(label=_("Votre courriel"), max_length=254)


def _profile_fields():
    fields = forms.fields_for_model(
        Organisation,
        fields=PROPOSABLE,
        widgets={
            "description": forms.Textarea(attrs={"rows": 5}),
            "regions": forms.CheckboxSelectMultiple,
        },
    )
    fields["website"] = forms.URLField(
        label=fields["website"].label, max_length=200, required=False, assume_scheme="https"
    )
    fields["phone"].validators.append(PHONE)
    fields["postal_address"] = forms.CharField(
        label=fields["postal_address"].label,
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fields["kind"].choices = [("", _("Non précisé")), *Organisation.Kind.choices]
    fields["public_profile"].help_text = _(
        "Cochez pour que l'organisme paraisse dans le répertoire public; décochez pour qu'il en sorte."
    )
    return fields


class ProposalForm(PublicFormMixin, forms.Form):
    privacy_notice = _(
        "Votre nom et votre courriel servent à examiner la proposition et à vous répondre; ils sont effacés "
        "un an après la décision."
    )
    # A FileField, not an ImageField: website.images checks it, pixel count first, and says what is wrong.
    logo = forms.FileField(
        label=_("Nouveau logo (facultatif)"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo et 40 mégapixels au plus. Il paraîtra une fois approuvé."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    name = forms.CharField(label=_("Votre nom"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        own = self.base_fields
        self.base_fields = {**_profile_fields(), "logo": own["logo"], "name": own["name"]}
        super().__init__(*args, **kwargs)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        return clean_image(logo) if logo else None

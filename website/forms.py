"""Form pieces every public form shares: a honeypot, no HTML in text, and a rate-limit error."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

HONEYPOT_FIELD = "site_web_personnel"
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


class PublicFormMixin:
    """A hidden field people never fill; robots that fill it are refused, and nothing is saved."""

    rate_limited = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Laissez ce champ vide"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            if isinstance(value, str) and name != HONEYPOT_FIELD and HTML_TAG.search(value):
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Le HTML n'est pas accepté : retirez les balises entre < et >."), code="html"
                    ),
                )
        if cleaned_data.pop(HONEYPOT_FIELD, ""):
            raise forms.ValidationError(
                _("Votre envoi a été refusé : un champ caché a été rempli."), code="honeypot"
            )
        return cleaned_data

    def add_rate_limit_error(self):
        self.rate_limited = True
        # Validate so that the other fields keep their values and errors, then add ours.
        self.is_valid()
        self.add_error(
            None,
            forms.ValidationError(
                _("Trop d'envois depuis votre connexion. Réessayez dans quelques minutes."),
                code="rate_limited",
            ),
        )


class HoneypotFormBuilder(FormBuilder):
    def get_form_class(self):
        base = super().get_form_class()
        return type("SupportRequestForm", (PublicFormMixin, base), {})


def slug_filter(queryset, label, empty_label):
    """An optional filter that reads and writes the object's slug, so addresses stay readable."""
    return forms.ModelChoiceField(
        label=label, queryset=queryset, to_field_name="slug", required=False, empty_label=empty_label
    )

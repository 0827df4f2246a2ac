"""The organisation field of public forms: a plain text field that offers known names as one types.

An HTML `<datalist>` holds the names of verified organisations that consented to a public profile, so
browsers suggest them with no script; without a browser that supports it, the field is a plain text
field. Whatever is typed is kept, and the record links to the organisation it designates
(`website.models.OrganisationLinked`).

It sits with the models because the support form page builds its form with it (the pages are models)."""

from django import forms
from django.utils.html import format_html, format_html_join

from website import page_cache
from website.models.organisations import Organisation

KEPT_SECONDS = 60 * 60


def suggested_names():
    """Kept until any change a page may show (an organisation verified, or its profile made public)."""
    return page_cache.versioned(
        "organisation-suggestions",
        lambda: list(Organisation.objects.suggested_names()),
        KEPT_SECONDS,
        chrome=False,
    )


class OrganisationNameInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "organization", **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**(attrs or {})}
        list_id = f"{attrs.get('id') or self.attrs.get('id') or name}-suggestions"
        attrs["list"] = list_id
        field = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}"></option>', ((n,) for n in suggested_names()))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


def offer_known_organisations(form, *names):
    """Give the named fields of `form` (those present) the suggesting widget, keeping their attributes."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and not isinstance(field.widget, OrganisationNameInput):
            widget = OrganisationNameInput(attrs=field.widget.attrs)
            widget.is_required = field.widget.is_required
            field.widget = widget

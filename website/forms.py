"""Form pieces every public form shares: a honeypot, no HTML in text, bounded lengths, model choices
that refuse impossible ids, and a rate-limit error."""

import functools
import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from website.privacy.policy import consent_help_text, privacy_policy_url
from website.ratelimit import over_public_rate

HONEYPOT_FIELD = "site_web_personnel"
# Anything a browser would start a tag on, closed or not: "<b>", "</p", "<!--", "<<img src=x onerror=…".
# A "<" followed by a space or a digit ("a < b", "<3") is plain text.
HTML_TAG = re.compile(r"<[a-zA-Z/!?]")
# Control characters other than tab and line breaks: invisible, never typed on purpose (pasted from
# another program at most), and XML 1.0 cannot carry them, so one in a post would break the RSS feed.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A visitor's text field with no limit of its own gets this one (a paragraph or two, not a book).
DEFAULT_MAX_LENGTH = 5000
# Primary keys are 64-bit integers; a bigger number is no id at all (SQLite raises OverflowError on it).
MAX_ID = 2**63 - 1


def _valid_ids(field, values):
    """Raise the field's own "invalid choice" error for a value that cannot be a primary key."""
    pk = field.queryset.model._meta.pk
    # A model form's foreign key names its target ("id"): that is the primary key all the same.
    if field.to_field_name not in (None, pk.name, pk.attname) or not isinstance(
        pk, models.AutoField | models.BigAutoField
    ):
        return
    for value in values:
        if isinstance(value, models.Model):
            continue
        text = str(value).strip()
        if text in field.empty_values:
            continue
        if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
            if isinstance(field, forms.ModelMultipleChoiceField):
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
                )
            raise forms.ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")


class BoundedIds:
    """Mixed into a model choice field: an id out of range is an invalid choice, never a query."""

    def to_python(self, value):
        if not isinstance(self, forms.ModelMultipleChoiceField):
            _valid_ids(self, [value] if value not in self.empty_values else [])
        return super().to_python(value)

    def _check_values(self, value):
        try:
            values = list(value)
        except TypeError:
            values = [value]
        _valid_ids(self, values)
        return super()._check_values(value)


@functools.cache
def _bounded(cls):
    return type(f"Bounded{cls.__name__}", (BoundedIds, cls), {})


def bound_field(field):
    """Make a form field safe for visitors' input: model choices refuse impossible ids, free text has
    a length limit (shown to browsers as maxlength)."""
    if isinstance(field, forms.ModelChoiceField) and not isinstance(field, BoundedIds):
        field.__class__ = _bounded(field.__class__)
    if isinstance(field, forms.CharField) and field.max_length is None:
        field.max_length = DEFAULT_MAX_LENGTH
        field.validators.append(MaxLengthValidator(DEFAULT_MAX_LENGTH))
        field.widget.attrs.setdefault("maxlength", str(DEFAULT_MAX_LENGTH))
    return field


def without_control_characters(value):
    if isinstance(value, str):
        return CONTROL_CHARACTERS.sub("", value)
    if isinstance(value, list):
        return [without_control_characters(item) for item in value]
    return value


def contains_html(value):
    if isinstance(value, str):
        return bool(HTML_TAG.search(value))
    if isinstance(value, list | tuple):
        return any(contains_html(item) for item in value)
    return False


def link_consent_boxes(fields):
    """Every consent box (a check box whose name says "consent") links to the privacy policy (Law 25)."""
    boxes = [f for name, f in fields.items() if "consent" in name and isinstance(f, forms.BooleanField)]
    if boxes:
        url = privacy_policy_url()
        for field in boxes:
            field.help_text = consent_help_text(field.help_text, url)


class PublicFormMixin:
    """A hidden field people never fill; robots that fill it are refused, and nothing is saved.

    `privacy_notice` says, under the form, what the data is for (Law 25, s. 8), with the link to the
    privacy policy; a form names its own purposes by overriding it."""

    rate_limited = False
    privacy_notice = _(
        "Ces renseignements servent seulement à traiter votre envoi; ils ne sont ni vendus ni partagés."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)
        link_consent_boxes(self.fields)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Laissez ce champ vide"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned_data = super().clean()
        for name, value in list(cleaned_data.items()):
            cleaned_data[name] = value = without_control_characters(value)
            if name != HONEYPOT_FIELD and contains_html(value):
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

    def accepted(self, request, group, rate=None):
        """Count this POST against `group`'s public rate, then validate: True when the form may be acted
        on. Over the rate, the form keeps its values and errors and says why, and `refusal_status` is 429."""
        if over_public_rate(request, group, rate):
            self.add_rate_limit_error()
            return False
        return self.is_valid()

    @property
    def refusal_status(self):
        """The status of a page showing this form refused: 429 over the rate, else 400."""
        return 429 if self.rate_limited else 400

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

    def create_dropdown_field(self, field, options):
        """A list starts on "Choisir…", not on its first choice: a visitor who skips it is asked,
        instead of sending the first region without having chosen it."""
        form_field = super().create_dropdown_field(field, options)
        if not field.default_value:
            form_field.choices = [("", _("Choisir…"))] + list(form_field.choices)
        return form_field


def slug_filter(queryset, label, empty_label):
    """An optional filter that reads and writes the object's slug, so addresses stay readable."""
    return _bounded(forms.ModelChoiceField)(
        label=label, queryset=queryset, to_field_name="slug", required=False, empty_label=empty_label
    )


class SpaceRequestForm(PublicFormMixin, forms.Form):
    """Ask for the link to one's space (website.space)."""

    privacy_notice = _(
        "Votre courriel sert seulement à vous envoyer le lien de votre espace. Nous ne gardons rien d'une "
        "adresse que le site ne connaît pas."
    )
    email = forms.EmailField(label=_("Courriel"), max_length=254)

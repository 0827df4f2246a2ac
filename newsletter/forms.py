from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from newsletter.models import ConsentRecord, Subscriber, Topic
from newsletter.services import SIGNUP_WORDING
from website import prefill
from website.forms import PublicFormMixin, bound_field
from website.models.organisation_fields import OrganisationNameInput


class TopicsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class SignupForm(PublicFormMixin, forms.Form):
    privacy_notice = _(
        "Votre courriel, votre prénom et votre organisme servent seulement à vous envoyer l'infolettre et "
        "ne sont jamais partagés."
    )
    email = forms.EmailField(label=_("Courriel"))
    first_name = forms.CharField(label=_("Prénom (facultatif)"), max_length=80, required=False)
    organisation = forms.CharField(
        label=_("Organisme (facultatif)"), max_length=200, required=False, widget=OrganisationNameInput
    )
    language = forms.ChoiceField(label=_("Langue"), choices=settings.LANGUAGES)
    topics = TopicsField(
        label=_("Thèmes"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins un thème.")},
    )
    consent = forms.BooleanField(label=SIGNUP_WORDING)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = get_language()
        self.fields["topics"].initial = list(Topic.objects.values_list("pk", flat=True)[:1])


def signup_form(request, data=None):
    """The sign-up form, wherever it is shown (its page, the home page), pre-filled for a person who came
    through their space's link (website.prefill); the response must then go through `prefill.keep_private`."""
    known = prefill.initial(request, email="email", first_name="first_name", organisation="organisation")
    return SignupForm(data, initial=known)


class PreferencesForm(forms.Form):
    """Reached through the emailed link (a token), so no honeypot; ids and lengths bounded all the same.
    Someone subscribed keeps at least one topic: none at all is unsubscribing, offered beside."""

    language = forms.ChoiceField(label=_("Langue"), choices=settings.LANGUAGES)
    topics = TopicsField(
        label=_("Thèmes"), queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, subscriber, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)
        self.subscriber = subscriber

    def clean_topics(self):
        topics = self.cleaned_data["topics"]
        if not topics and self.subscriber.state in (Subscriber.State.CONFIRMED, Subscriber.State.PENDING):
            raise forms.ValidationError(
                _(
                    "Choisissez au moins un thème. Pour ne plus rien recevoir, utilisez plutôt "
                    "« Me désabonner de tout », plus bas."
                ),
                code="required",
            )
        return topics


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV (colonnes : email, first_name, organisation, language, topics)")
    )
    kind = forms.ChoiceField(label=_("Type de consentement"), choices=ConsentRecord.Kind.choices)
    source = forms.CharField(
        label=_("Source du consentement"),
        max_length=500,
        help_text=_("Par exemple : « liste des membres 2026, consentement écrit au formulaire d'adhésion »."),
    )
    skip_invalid = forms.BooleanField(
        label=_("Ignorer les lignes invalides et importer les autres"), required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Le fichier doit être encodé en UTF-8.")) from exc

import datetime

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models.records import EventKind, EventQuestion, Registration
from website.forms import PublicFormMixin, slug_filter
from website.models import Region
from website.models.organisation_fields import OrganisationNameInput

MAX_SEATS = 20  # the magic-link form's ceiling when no event maximum is given


def seats_help(maximum):
    return ngettext(
        "Au plus %(max)s place par inscription. Pour davantage, écrivez à l'équipe.",
        "Au plus %(max)s places par inscription. Pour davantage, écrivez à l'équipe.",
        maximum,
    ) % {"max": maximum}


def too_many_seats(maximum):
    return forms.ValidationError(
        ngettext(
            "Au plus %(max)s place par inscription en ligne. Pour réserver davantage, écrivez à l'équipe.",
            "Au plus %(max)s places par inscription en ligne. Pour réserver davantage, écrivez à l'équipe.",
            maximum,
        )
        % {"max": maximum},
        code="too_many",
    )


# Visitors' text: a name per line, a few lines of needs (website.forms bounds everything else).
MAX_NAME = 120
NAMES_MAX_LENGTH = 100 * (MAX_NAME + 1)  # room for a large group an editor allowed
NEEDS_MAX_LENGTH = 1000


def attendee_names_field(label, rows, help_text=""):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=NAMES_MAX_LENGTH,
        help_text=help_text,
    )


def clean_names(text):
    """One name per line, blank lines dropped; each name bounded."""
    names = [line.strip() for line in text.splitlines() if line.strip()]
    if any(len(name) > MAX_NAME for name in names):
        raise forms.ValidationError(
            _("Un nom compte au plus %(max)s caractères.") % {"max": MAX_NAME}, code="max_length"
        )
    return names


def needs_field(label):
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=NEEDS_MAX_LENGTH
    )


def month_from_value(value):
    """ "2026-11" (the filter's address) as the first day of that month."""
    return datetime.datetime.strptime(value, "%Y-%m").date()


class RegistrationForm(PublicFormMixin, forms.ModelForm):
    privacy_notice = _(
        "Ces renseignements servent à organiser l'événement (places, repas, accessibilité) et à vous écrire "
        "à son sujet. Les noms, les besoins et les réponses sont effacés quelques mois après l'événement."
    )
    attendee_names = attendee_names_field(
        _("Noms des personnes (un par ligne, facultatif)"),
        3,
        _("Vous pourrez les compléter plus tard avec le lien reçu par courriel."),
    )
    dietary_needs = needs_field(_("Restrictions alimentaires"))
    accessibility_needs = needs_field(_("Besoins d'accessibilité"))

    class Meta:
        model = Registration
        fields = [
            "contact_name",
            "email",
            "organisation",
            "seats",
            "allow_partial",
            "attendee_names",
            "dietary_needs",
            "accessibility_needs",
            "newsletter_consent",
        ]
        widgets = {"organisation": OrganisationNameInput}
        labels = {
            "newsletter_consent": _("J'accepte de recevoir l'infolettre du réseau (facultatif)."),
        }
        help_texts = {
            "allow_partial": _(
                "S'il reste moins de places que demandé, vous obtenez celles qui restent au lieu d'aller "
                "sur la liste d'attente. Vous pourrez en redemander plus tard si des places se libèrent."
            ),
        }

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        self.fields["seats"].min_value = 1
        self.fields["seats"].initial = 1
        self.fields["seats"].widget.attrs.update(min=1, max=event.seats_per_registration)
        self.fields["seats"].help_text = seats_help(event.seats_per_registration)
        self.fields["newsletter_consent"].initial = False
        self.questions = list(event.questions.all())  # read once: the answers are gathered from them too
        for question in self.questions:
            self.fields[question.field_name] = self.question_field(question)

    @staticmethod
    def question_field(question):
        if question.kind == EventQuestion.Kind.CHOICE:
            choices = [("", "—"), *((c, c) for c in question.choice_list)]
            return forms.ChoiceField(label=question.label, choices=choices, required=question.required)
        if question.kind == EventQuestion.Kind.YES_NO:
            return forms.TypedChoiceField(
                label=question.label,
                choices=[("", "—"), ("oui", _("Oui")), ("non", _("Non"))],
                required=question.required,
            )
        return forms.CharField(label=question.label, max_length=500, required=question.required)

    def clean_seats(self):
        seats = self.cleaned_data["seats"]
        if seats < 1:
            raise forms.ValidationError(_("Au moins une place."))
        if seats > self.event.seats_per_registration:
            raise too_many_seats(self.event.seats_per_registration)
        return seats

    def clean_attendee_names(self):
        return clean_names(self.cleaned_data["attendee_names"])

    def clean(self):
        cleaned = super().clean()
        names, seats = cleaned.get("attendee_names") or [], cleaned.get("seats")
        if seats and len(names) > seats:
            self.add_error("attendee_names", _("Plus de noms que de places."))
        return cleaned

    def registration_fields(self):
        data = dict(self.cleaned_data)
        data["answers"] = {q.label: data.pop(q.field_name) for q in self.questions if q.field_name in data}
        return data


class ManageRegistrationForm(PublicFormMixin, forms.Form):
    """What the magic link lets the person change: seats, names and needs."""

    NEEDS = ("dietary_needs", "accessibility_needs")

    seats = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=MAX_SEATS)
    attendee_names = attendee_names_field(_("Noms des personnes (un par ligne)"), 4)
    dietary_needs = needs_field(_("Restrictions alimentaires"))
    accessibility_needs = needs_field(_("Besoins d'accessibilité"))

    @staticmethod
    def initial_for(registration):
        return {
            "seats": registration.seats,
            "attendee_names": "\n".join(registration.attendee_names),
            "dietary_needs": registration.dietary_needs,
            "accessibility_needs": registration.accessibility_needs,
        }

    def __init__(self, *args, max_seats=None, **kwargs):
        """`max_seats`: the most this registration may hold through the link (the event's maximum, or
        the number an editor gave it if higher)."""
        super().__init__(*args, **kwargs)
        self.max_seats = max_seats
        if max_seats:
            seats = self.fields["seats"]
            seats.validators = [v for v in seats.validators if not isinstance(v, MaxValueValidator)]
            seats.widget.attrs["max"] = max_seats
            self.fields["seats"].help_text = seats_help(max_seats)

    def clean_seats(self):
        seats = self.cleaned_data["seats"]
        if self.max_seats and seats > self.max_seats:
            raise too_many_seats(self.max_seats)
        return seats

    def clean_attendee_names(self):
        return clean_names(self.cleaned_data["attendee_names"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("seats") and len(cleaned.get("attendee_names") or []) > cleaned["seats"]:
            self.add_error("attendee_names", _("Plus de noms que de places."))
        return cleaned


class EventFilterForm(forms.Form):
    type = slug_filter(EventKind.objects.all(), _("Type"), _("Tous les types"))
    region = slug_filter(Region.objects.all(), _("Région (MRC)"), _("Toutes les régions"))
    # A list of the months that have events, not <input type="month">: browsers show an empty one as
    # "--------- ----" and some cannot pick a month at all.
    mois = forms.TypedChoiceField(label=_("Mois"), required=False, coerce=month_from_value, empty_value=None)
    periode = forms.ChoiceField(
        label=_("Période"), required=False, choices=[("", _("À venir")), ("passes", _("Passés"))]
    )

    def __init__(self, *args, months, **kwargs):
        """`months`: the events whose months the list offers."""
        super().__init__(*args, **kwargs)
        months = months.datetimes("start", "month")
        self.fields["mois"].choices = [("", _("Tous les mois"))] + [
            (f"{month:%Y-%m}", capfirst(date_format(month, "YEAR_MONTH_FORMAT"))) for month in months
        ]

    def filter(self, events):
        if not self.is_valid():
            return events.filter(end__gte=timezone.now()).order_by("start")
        data = self.cleaned_data
        if data["type"]:
            events = events.filter(kind=data["type"])
        if data["region"]:
            events = events.filter(region=data["region"])
        if data["mois"]:
            events = events.filter(start__year=data["mois"].year, start__month=data["mois"].month)
        if data["periode"] == "passes":
            return events.filter(end__lt=timezone.now()).order_by("-start")
        if not data["mois"]:
            events = events.filter(end__gte=timezone.now())
        return events.order_by("start")


class BulkEmailForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))
    states = forms.MultipleChoiceField(
        label=_("Destinataires"),
        choices=Registration.State.choices,
        initial=[Registration.State.CONFIRMED],
        widget=forms.CheckboxSelectMultiple,
    )


class CancelEventForm(forms.Form):
    message = forms.CharField(
        label=_("Message aux personnes inscrites (facultatif)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class RegistrationSeatsForm(forms.Form):
    """Editors only: no per-registration maximum, the event's free seats still apply."""

    seats = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=10000)

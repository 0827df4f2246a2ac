"""The dashboard's period and filters (GET): two dates and three choices, each checked on the server.
A value that is not a date, a period backwards or longer than ten years, an unknown MRC, category or
type is an error shown next to its field, never a 500."""

import datetime

from django import forms
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from measure.scope import Scope
from website.models import Organisation, Region, ResourceCategory

MAX_DAYS = 3660  # ten years: the monthly tables stay short
FIRST_YEAR, LAST_YEAR = 2000, 2100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ScopeForm(forms.Form):
    first_day = forms.DateField(label=_("Du"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"])
    last_day = forms.DateField(label=_("Au"), required=False, widget=DateInput(), input_formats=["%Y-%m-%d"])
    region = forms.ChoiceField(label=_("MRC"), required=False)
    category = forms.ChoiceField(label=_("Catégorie de ressources"), required=False)
    organisation_kind = forms.ChoiceField(
        label=_("Type d'organisme"),
        required=False,
        choices=[("", _("Tous")), *Organisation.Kind.choices],
    )

    def __init__(self, data=None, today=None):
        self.default = Scope.last_twelve_months(today)
        if not data:  # nothing chosen: the last twelve months, shown in the fields
            data = {
                "first_day": self.default.first_day.isoformat(),
                "last_day": self.default.last_day.isoformat(),
            }
        super().__init__(data)
        self.fields["region"].choices = [
            ("", _("Toutes")),
            *((r.slug, r.label) for r in Region.objects.all()),
        ]
        self.fields["category"].choices = [
            ("", _("Toutes")),
            *((c.slug, c.label) for c in ResourceCategory.objects.all()),
        ]

    def _clean_day(self, name):
        day = self.cleaned_data.get(name)
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return day

    def clean_first_day(self):
        return self._clean_day("first_day")

    def clean_last_day(self):
        return self._clean_day("last_day")

    def clean(self):
        data = super().clean()
        first = data.get("first_day") or self.default.first_day
        last = data.get("last_day") or self.default.last_day
        if "first_day" in data and "last_day" in data:
            if last < first:
                self.add_error("last_day", _("La fin de la période doit suivre son début."))
            elif last - first > datetime.timedelta(days=MAX_DAYS):
                self.add_error("last_day", _("La période ne peut pas dépasser dix ans."))
        data["first_day"], data["last_day"] = first, last
        return data

    def scope(self):
        """The chosen scope: the last twelve months when nothing is chosen. Call after is_valid()."""
        data = self.cleaned_data
        return Scope(
            data["first_day"],
            data["last_day"],
            region=data.get("region", ""),
            category=data.get("category", ""),
            organisation_kind=data.get("organisation_kind", ""),
        )

    def query(self):
        """The valid scope as a query string, for the export links."""
        scope = self.scope()
        values = {
            "first_day": scope.first_day.isoformat(),
            "last_day": scope.last_day.isoformat(),
            "region": scope.region,
            "category": scope.category,
            "organisation_kind": scope.organisation_kind,
        }
        return urlencode({key: value for key, value in values.items() if value})

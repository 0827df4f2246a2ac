"""Spreadsheet exports (CSV and XLSX) that never carry a live formula.

A visitor who types `=HYPERLINK("http://evil.example/","x")` in a public form must not get a working
link, or a formula that reads other cells, into the spreadsheet an editor opens. Every text cell that a
spreadsheet would read as a formula gets a leading apostrophe (OWASP "CSV injection"), in every export:
the admin's list exports (`FormulaSafeSnippetViewSet`), form submissions (`FormulaSafeSubmissionsListView`)
and our own CSV views (`csv_writer`).
"""

import csv
import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.forms.views import SubmissionsListView
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

# What a spreadsheet reads as the start of a formula, with the full-width forms some versions accept.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def escape_cell(value):
    """The value as a spreadsheet will show it as text: strings that could start a formula get "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _local(value):
    return timezone.localtime(value) if timezone.is_aware(value) else value


def yes_no(value):
    return gettext("Oui") if value else gettext("Non")


def readable_mapping(value):
    """{"Atelier préféré": "Matin", "Allergies?": "non"} -> "Atelier préféré : Matin; Allergies? : non"
    ("Preferred workshop: Morning" in the English admin: each language's colon)."""
    colon = ":" if (translation.get_language() or "fr").startswith("en") else " :"
    return "; ".join(
        f"{key}{colon} {', '.join(map(str, v)) if isinstance(v, list) else v}" for key, v in value.items()
    )


class FormulaSafeExportMixin:
    """For any view using Wagtail's SpreadsheetExportMixin: every exported value goes through
    `escape_cell` after Wagtail's own preprocessing (which turns lists and objects into text), and
    times are written in local time (America/Toronto), as the admin shows them, not in UTC. Yes/no
    values read Oui/Non (Yes/No in the English admin), and mappings (answers to questions) read as
    "question : answer" pairs rather than Python's `{}`. Choice fields are exported through their
    `get_…_display` (with a heading in `export_headings`), never as stored codes."""

    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        bool: {SpreadsheetExportMixin.FORMAT_CSV: yes_no, SpreadsheetExportMixin.FORMAT_XLSX: yes_no},
        dict: {
            SpreadsheetExportMixin.FORMAT_CSV: readable_mapping,
            SpreadsheetExportMixin.FORMAT_XLSX: readable_mapping,
        },
        datetime.datetime: {
            SpreadsheetExportMixin.FORMAT_CSV: lambda value: _local(value).strftime("%Y-%m-%d %H:%M"),
            SpreadsheetExportMixin.FORMAT_XLSX: lambda value: (
                timezone.make_naive(_local(value)) if timezone.is_aware(value) else value
            ),
        },
    }

    def preprocess_field_value(self, field, value, export_format):
        return escape_cell(super().preprocess_field_value(field, value, export_format))

    def stream_csv(self, queryset):
        # The CSV streams after the view returns, outside the admin user's language and time zone
        # (Wagtail overrides them only around the view): carry both into the rows.
        rows = super().stream_csv(queryset)
        language, zone = translation.get_language(), timezone.get_current_timezone()

        def localized():
            with translation.override(language), timezone.override(zone):
                yield from rows

        return localized()


class FormulaSafeIndexView(FormulaSafeExportMixin, IndexView):
    pass


class FormulaSafeSnippetViewSet(SnippetViewSet):
    """Base of every snippet viewset that has `list_export`."""

    index_view_class = FormulaSafeIndexView


class FormulaSafeSubmissionsListView(FormulaSafeExportMixin, SubmissionsListView):
    """Form submissions of a form page (`submissions_list_view_class`)."""


class _EscapingWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([escape_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs):
    """`csv.writer` whose cells go through `escape_cell`, for hand-written CSV exports."""
    return _EscapingWriter(csv.writer(out, **kwargs))

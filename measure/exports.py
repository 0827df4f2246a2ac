"""The dashboard's figures as CSV and XLSX: one table, or every section (its headline figures, then its
tables). Numbers stay numbers (`plain()`); every text cell goes through `website.exports.escape_cell`,
so a category or an event named "=HYPERLINK(…)" is text in the spreadsheet, not a formula."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from measure.tables import plain
from website.exports import csv_writer, escape_cell

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NAME_MAX = 31  # Excel's limit


def _text(value):
    return escape_cell(str(value)) if value is not None else ""


def table_rows(table):
    """The table as rows of cells: its headings, then its rows."""
    yield [_text(column.heading) for column in table.columns]
    for row in table.rows:
        yield [_cell(value, column.kind) for value, column in zip(row, table.columns, strict=False)]


def _cell(value, kind):
    written = plain(value, kind)
    if isinstance(written, int | float | Decimal) and not isinstance(written, bool):
        return written
    return _text(written)


def scope_rows(scope, names):
    """What the figures cover, above a whole export: the period and each filter chosen."""
    period = f"{date_format(scope.first_day, 'Y-m-d')} – {date_format(scope.last_day, 'Y-m-d')}"
    rows = [[_("Période"), period]]
    rows += [[_text(label), _text(value)] for label, value in names if value]
    return rows


def section_rows(section):
    """A section: its title, its headline figures, then each table under its title."""
    yield [_text(section.title)]
    for headline in section.headlines:
        yield [_text(headline.label), _cell(headline.value, headline.kind)]
    for table in section.tables:
        yield []
        yield [_text(table.title)]
        yield from table_rows(table)
        if table.note:
            yield [_text(table.note)]
    if section.note:
        yield []
        yield [_text(section.note)]


def _csv_response(rows, filename):
    out = io.StringIO()
    out.write("\ufeff")  # so that spreadsheets read UTF-8 accents right
    csv_writer(out).writerows(rows)
    response = HttpResponse(out.getvalue(), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_response(sheets, filename):
    """sheets: [(name, rows)], one worksheet each."""
    book = Workbook()
    book.remove(book.active)
    used = set()
    for name, rows in sheets:
        title = _sheet_title(name, used)
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet["A1"].font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(name, used):
    base = "".join(c for c in str(name) if c not in "[]:*?/\\")[:SHEET_NAME_MAX] or "Feuille"
    title, n = base, 2
    while title in used:
        title = f"{base[: SHEET_NAME_MAX - 3]} {n}"
        n += 1
    used.add(title)
    return title


def table_export(table, export_format, filename):
    if export_format == "csv":
        return _csv_response(table_rows(table), filename)
    return _xlsx_response([(table.title, table_rows(table))], filename)


def dashboard_export(sections, scope_lines, export_format, filename):
    if export_format == "csv":
        rows = list(scope_lines)
        for section in sections:
            rows += [[], *section_rows(section)]
        return _csv_response(rows, filename)
    return _xlsx_response(
        [(_("Portée de l'export"), scope_lines), *((s.title, section_rows(s)) for s in sections)], filename
    )

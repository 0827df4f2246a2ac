"""What the dashboard shows, in a shape the charts, the tables and the exports all read: sections of
headline figures and tables, each value with its kind (how it is written: count, money, hours…)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language

from measure.grouping import FEW
from website.money import format_money

TEXT, COUNT, MONEY, HOURS, KM, PERCENT = "text", "count", "money", "hours", "km", "percent"
CENT = Decimal("0.01")


@dataclass
class Column:
    heading: str
    kind: str = COUNT


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list  # tuples, one value per column
    chart: bool = True  # a bar chart of the second column
    note: str = ""


@dataclass
class Headline:
    label: str
    value: object
    kind: str = COUNT


@dataclass
class Section:
    key: str
    title: str
    headlines: list
    tables: list = field(default_factory=list)
    note: str = ""


def _number(value, decimals=None):
    return number_format(value, decimal_pos=decimals, force_grouping=True, use_l10n=True)


def display(value, kind=COUNT):
    """A value as a person reads it in the active language: "1 234,50 $", "12,5 h", "75 %", "—"."""
    if value is None:
        return "—"
    if value is FEW or kind == TEXT:
        return str(value)
    if kind == MONEY:
        return format_money(value)
    english = (get_language() or "fr").startswith("en")
    space = "" if english else "\u00a0"
    if kind == PERCENT:
        return f"{_number(round(value))}{space}%"
    if kind == HOURS:
        return f"{_number(round(value, 1))}\u00a0h"
    if kind == KM:
        return f"{_number(value)}\u00a0km"
    return _number(value)


def plain(value, kind=COUNT):
    """A value as an export cell: numbers stay numbers (money as a decimal), text is text."""
    if value is None:
        return ""
    if value is FEW or kind == TEXT:
        return str(value)
    if kind == PERCENT:
        return round(value)
    if kind == MONEY:
        # Cents always written: PostgreSQL sums a DecimalField to Decimal("1234.50"), SQLite to 1234.5.
        return Decimal(str(value)).quantize(CENT)
    return value

"""`{% load measure_charts %}{{ table|chart }}`: the table's SVG chart (measure/charts.py)."""

from django import template

from measure import charts
from measure.tables import display

register = template.Library()


@register.filter
def chart(table, id_prefix="chart"):
    return charts.chart(table, id_prefix=id_prefix)


@register.filter
def cells(row, columns):
    """[(written value, column)] for a table row: each value as a person reads it (`display()`)."""
    return [(display(value, column.kind), column) for value, column in zip(row, columns, strict=False)]


@register.filter
def written(value, kind):
    """A headline's value as a person reads it: `{{ headline.value|written:headline.kind }}`."""
    return display(value, kind)

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
def written(headline):
    """A headline figure as a person reads it: "1 234,50 $", "12 h", "moins de 5"."""
    return display(headline.value, headline.kind)

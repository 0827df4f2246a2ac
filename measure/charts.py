"""Server-side SVG charts of a `measure.tables.Table`: no JavaScript, no CDN, no `style=` attribute.

The API is one function (and its template filter, `{% load measure_charts %}{{ table|chart }}`):

    chart(table, column=1, id_prefix="chart") -> SafeString

- a horizontal bar chart of `column` (one bar per row, labelled with the row's first cell), or, for a
  monthly series (a table whose key ends in `_by_month`), a column chart in the rows' order;
- the values are written with `display()` in the active language ("1 234,50 $", "$1,234.50");
- `role="img"`, named by a `<title>` (the table's title): the table itself, which the page shows next
  to the chart (`measure/includes/table_chart.html` renders both), is the text alternative;
- a `viewBox` and the class `measure-chart` (`width: 100 %` in `measure/static/measure/measure.css`):
  it scales down to a 390 px phone;
- a table with no row, or no positive number in that column, gives no chart but a sentence; a table
  marked `chart=False` gives nothing;
- every label goes through Django's escaping: a category named `<script>` comes out as text.

Non-numeric cells (`FEW`, "moins de 5") get no bar but their label and text. Colours are dark on a
white background drawn by the chart itself (WCAG AA for text, 3:1 for the bars), so a dark admin theme
does not change them.
"""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from measure.tables import display

WIDTH = 400
INK = "#1a1a1a"  # text: 17:1 on white
BAR = "#1d4f91"  # bars: 8.6:1 on white
BACKGROUND = "#ffffff"
ROW = 40  # height of one bar with its label above
VALUE_ROOM = 96  # room kept right of the longest bar for its value


def _number(value):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return max(value, 0)


def is_series(table):
    return table.key.endswith("_by_month")


def chart(table, column=1, id_prefix="chart"):
    """The table's chart as SVG markup, a sentence when there is nothing to draw, or "" when the
    table asks for no chart."""
    if not table.chart or len(table.columns) <= column:
        return mark_safe("")
    numbers = [_number(row[column]) for row in table.rows]
    top = max((n for n in numbers if n is not None), default=0)
    if not top:
        return format_html(
            '<p class="measure-chart-empty">{}</p>', _("Aucune donnée à représenter pour cette période.")
        )
    kind = table.columns[column].kind
    points = [
        (str(row[0]), n, display(row[column], kind)) for row, n in zip(table.rows, numbers, strict=True)
    ]
    draw = _columns if is_series(table) else _bars
    height, body = draw(points, top)
    title_id = f"{id_prefix}-{table.key}-title"
    return format_html(
        '<svg class="measure-chart" role="img" aria-labelledby="{}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" fill="{}">'
        '<title id="{}">{}</title><rect width="100%" height="100%" fill="{}"/>{}</svg>',
        title_id,
        WIDTH,
        height,
        INK,
        title_id,
        table.title,
        BACKGROUND,
        body,
    )


def _bars(points, top):
    """One row per point: the label, then a bar proportional to the value, the value after it."""
    room = WIDTH - 8 - VALUE_ROOM
    rows = []
    for index, (label, number, written) in enumerate(points):
        y = 8 + index * ROW
        length = round(room * number / top, 1) if number else 0
        rows.append((y + 13, label, y + 18, length, round(8 + length + 6, 1), y + 32, written))
    body = format_html_join(
        "",
        '<text x="8" y="{}" font-size="13">{}</text>'
        '<rect class="measure-bar" x="8" y="{}" width="{}" height="18" fill="' + BAR + '"/>'
        '<text x="{}" y="{}" font-size="13" font-weight="bold">{}</text>',
        rows,
    )
    return 16 + len(points) * ROW, body


def _columns(points, top):
    """A column per point, in order, the value above it and the label under it, slanted."""
    plot, base = 150, 180
    pitch = (WIDTH - 16) / len(points)
    bar = round(pitch * 0.6, 1)
    size = 11 if len(points) <= 8 else 9
    cells = []
    for index, (label, number, written) in enumerate(points):
        x = round(8 + index * pitch + (pitch - bar) / 2, 1)
        tall = round(plot * number / top, 1) if number else 0
        middle = round(x + bar / 2, 1)
        cells.append(
            (
                x,
                round(base - tall, 1),
                bar,
                tall,
                middle,
                round(base - tall - 4, 1),
                written,
                middle,
                base + 14,
                label,
            )
        )
    body = format_html_join(
        "",
        '<rect class="measure-bar" x="{}" y="{}" width="{}" height="{}" fill="' + BAR + '"/>'
        '<text x="{}" y="{}" font-size="' + str(size) + '" text-anchor="middle">{}</text>'
        '<text transform="translate({} {}) rotate(-40)" font-size="'
        + str(size + 1)
        + '" text-anchor="end">{}</text>',
        cells,
    )
    axis = format_html('<line x1="8" y1="{}" x2="{}" y2="{}" stroke="{}"/>', base, WIDTH - 8, base, INK)
    return base + 110, axis + body

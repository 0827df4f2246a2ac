"""The SVG charts of measure/charts.py: bars proportional to the values, labels escaped, values in
the active language's format, a sentence instead of an empty chart, no style attribute or script."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from measure.charts import chart
from measure.grouping import FEW
from measure.tables import COUNT, MONEY, TEXT, Column, Table

SVG = "{http://www.w3.org/2000/svg}"


def bars_table(rows, kind=COUNT, key="posts_by_category"):
    return Table(key, "Annonces par catégorie", [Column("Catégorie", TEXT), Column("Annonces", kind)], rows)


def parsed(markup):
    return ET.fromstring(str(markup))


def bar_widths(markup):
    return [
        float(rect.get("width"))
        for rect in parsed(markup).iter(f"{SVG}rect")
        if rect.get("class") == "measure-bar"
    ]


def texts(markup):
    return [text.text for text in parsed(markup).iter(f"{SVG}text")]


def test_bars_are_proportional_to_the_values():
    widths = bar_widths(chart(bars_table([("Transport", 40), ("Locaux", 10), ("Équipement", 20)])))
    assert len(widths) == 3
    assert widths[0] > 0
    assert widths[1] == widths[0] / 4
    assert widths[2] == widths[0] / 2


def test_the_chart_is_an_image_named_by_the_table_title_with_a_viewbox_and_no_style():
    markup = str(chart(bars_table([("Transport", 4)])))
    svg = parsed(markup)
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert title.text == "Annonces par catégorie"
    assert svg.get("aria-labelledby") == title.get("id") == "chart-posts_by_category-title"
    assert re.fullmatch(r"0 0 400 \d+", svg.get("viewBox"))
    assert "style=" not in markup and "<script" not in markup


def test_labels_are_escaped_text():
    markup = str(chart(bars_table([("<script>alert(1)</script>", 3), ('"><img src=x>', 2)])))
    assert "<script" not in markup and "<img" not in markup
    assert texts(markup)[0] == "<script>alert(1)</script>"
    assert '"><img src=x>' in texts(markup)


def test_values_are_written_in_the_active_language():
    table = bars_table([("Transport", Decimal("1234.50"))], kind=MONEY)
    with translation.override("fr"):
        assert "1\u00a0234,50\u00a0$" in texts(chart(table))
    with translation.override("en"):
        assert "$1,234.50" in texts(chart(table))


def test_an_empty_table_gives_a_sentence_not_a_chart():
    for rows in ([], [("Transport", 0)], [("Autres", FEW)]):
        with translation.override("fr"):
            markup = str(chart(bars_table(rows)))
        assert "<svg" not in markup
        assert "Aucune donnée à représenter pour cette période." in markup
    assert str(chart(Table("t", "T", [Column("A", TEXT), Column("B")], [("a", 1)], chart=False))) == ""


def test_a_small_grouped_count_gets_its_text_and_no_bar():
    markup = chart(bars_table([("Transport", 10), ("Autres (moins de 5 chacun)", FEW)]))
    assert bar_widths(markup)[1] == 0
    with translation.override("fr"):
        assert "moins de 5" in texts(chart(bars_table([("Transport", 10), ("Autres", FEW)])))


def test_a_monthly_series_is_a_column_chart_in_order():
    table = Table(
        "subscribers_by_month",
        "Personnes abonnées",
        [Column("Mois", TEXT), Column("Abonnées", COUNT)],
        [("janvier 2026", 10), ("février 2026", 30), ("mars 2026", 20)],
    )
    svg = parsed(chart(table))
    rects = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "measure-bar"]
    heights = [float(r.get("height")) for r in rects]
    assert heights[1] == 150 and heights[0] == 50 and heights[2] == 100
    xs = [float(r.get("x")) for r in rects]
    assert xs == sorted(xs)
    # columns stand on one baseline
    assert {float(r.get("y")) + float(r.get("height")) for r in rects} == {180.0}


def test_the_include_shows_the_chart_and_the_table_as_its_text_alternative():
    table = bars_table([("<b>Transport</b>", 1234)])
    with translation.override("fr"):
        html = render_to_string("measure/includes/table_chart.html", {"table": table})
    assert html.count("<svg") == 1
    assert '<th scope="row">&lt;b&gt;Transport&lt;/b&gt;</th>' in html
    assert "1\u00a0234</td>" in html
    assert "style=" not in html

"""The SVG bar charts: their structure, scale, escaping and the edge cases of their data."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from projects.charts import WIDTH, Group, bar_chart, grouped_bar_chart, nice_scale, wrap_label

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def finnish():
    with translation.override("fi"):
        yield


def parse(chart):
    return ET.fromstring(str(chart.svg))


def bars(chart):
    return parse(chart).iter(f"{SVG}rect")


def plotted_bars(chart):
    """Return the bars of the plot, leaving out the legend's swatches and the pattern tiles."""
    return [bar for bar in bars(chart) if bar.get("height") == "18"]


def texts(chart):
    return ["".join(text.itertext()) for text in parse(chart).iter(f"{SVG}text")]


def test_chart_is_an_image_named_by_its_title_and_described_by_its_figures():
    chart = bar_chart("Hankkeet", [("Uusimaa", 10), ("Satakunta", 1)], value_heading="Hankkeita")
    svg = parse(chart)
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby"), svg.get("aria-describedby")
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}title").text == "Hankkeet"
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert svg.find(f"{SVG}desc").text == "Uusimaa: 10. Satakunta: 1."


def test_bars_are_as_long_as_their_values_on_a_shared_axis():
    chart = bar_chart("Hankkeet", [("A", 10), ("B", 5), ("C", 0)])
    widths = [float(bar.get("width")) for bar in plotted_bars(chart)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.2)
    assert widths[2] == 0
    assert all(float(bar.get("x")) + float(bar.get("width")) < WIDTH for bar in plotted_bars(chart))


def test_axis_is_labelled_with_round_ticks_and_names_what_it_counts():
    chart = bar_chart("Osallistujat", [("A", 762)], value_heading="Henkilöitä")
    assert {"0", "200", "400", "600", "800", "762", "Henkilöitä"} <= set(texts(chart))


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (9, [0, 5, 10]),
        (10, [0, 5, 10]),
        (762, [0, 200, 400, 600, 800]),
        (Decimal("216618.00"), [0, 100000, 200000, 300000]),
        (2, [0, 1, 2]),
        (0, [0, 1]),
    ],
)
def test_scale_ends_on_the_first_round_tick_at_or_above_the_largest_value(largest, ticks):
    assert nice_scale(largest) == (ticks, ticks[-1])


def test_values_are_formatted_for_the_active_language():
    rows = [("Ei hakukierrosta", Decimal("48806.00"))]
    assert "48\xa0806\xa0€" in texts(bar_chart("Raha", rows, unit="money"))
    with translation.override("en"):
        assert "€48,806" in texts(bar_chart("Money", rows, unit="money"))


def test_labels_and_titles_are_escaped_everywhere():
    label = '<script>alert("x")</script> & Co'
    chart = bar_chart("<b>Otsikko</b>", [(label, 3)], label_heading="<i>Nimi</i>")
    markup = str(chart.svg)
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "&amp; Co" in markup
    assert label in texts(chart)  # the parsed text is the label itself, shown as written
    page = render_to_string("components/chart.html", {"chart": chart})
    assert "<script>" not in page and "<i>" not in page and "<b>" not in page


def test_long_label_is_wrapped_to_two_lines_and_cut_with_an_ellipsis():
    label = "Maahanmuuttajien ammatillisen työ- ja koulutuspolun edistäminen " * 3
    lines = wrap_label(label)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= 60 for line in lines)
    chart = bar_chart("Hankkeet", [(label, 1)])
    assert lines[0] in texts(chart)
    assert chart.rows[0]["label"] == label  # the table keeps the whole name


def test_chart_without_rows_has_no_drawing_and_says_so():
    chart = bar_chart("Hankkeet", [])
    assert chart.svg == "" and chart.rows == []
    page = render_to_string("components/chart.html", {"chart": chart})
    assert "<svg" not in page and "empty-state" in page


def test_all_zero_values_draw_empty_bars_on_a_one_step_axis():
    chart = bar_chart("Hankkeet", [("A", 0), ("B", 0)])
    assert [float(bar.get("width")) for bar in plotted_bars(chart)] == [0, 0]
    assert {"0", "1"} <= set(texts(chart))


def test_unknown_value_draws_no_bar_and_says_no_figure():
    chart = grouped_bar_chart("Raha", [Group("Kierros 1", (None, None))], ["Toteutunut", "Haettu"])
    assert plotted_bars(chart) == []
    assert "ei lukua" in texts(chart)
    assert chart.rows[0]["values"] == ["ei lukua", "ei lukua"]


def test_grouped_bars_differ_by_pattern_and_name_their_series():
    groups = [Group("Vertaista vailla", (Decimal(40), Decimal(22), None), "/hankkeet/vv/")]
    chart = grouped_bar_chart("Tulokset", groups, ["Osallistujat", "Työllistyneet", "Koulutus"])
    fills = [bar.get("fill") for bar in plotted_bars(chart)]
    assert fills == ["url(#chart-tulokset-fill-0)", "url(#chart-tulokset-fill-1)"]
    assert len(list(parse(chart).iter(f"{SVG}pattern"))) == 3
    shown = texts(chart)
    assert {"Osallistujat", "Työllistyneet", "Koulutus"} <= set(shown)  # the legend
    assert "40 (Osallistujat)" in shown and "22 (Työllistyneet)" in shown
    assert parse(chart).find(f"{SVG}desc").text == (
        "Vertaista vailla: Osallistujat 40, Työllistyneet 22, Koulutus ei lukua."
    )


def test_text_alternative_table_has_a_caption_headers_and_the_same_numbers():
    chart = bar_chart(
        "Hankkeet maakunnittain",
        [Group("Uusimaa", (10,), "/maakunnat/01/"), ("Satakunta", 1)],
        label_heading="Maakunta",
        value_heading="Hankkeita",
    )
    page = render_to_string("components/chart.html", {"chart": chart})
    assert "<caption>Hankkeet maakunnittain</caption>" in page
    assert '<th scope="col">Maakunta</th><th scope="col">Hankkeita</th>' in page
    assert '<th scope="row"><a href="/maakunnat/01/">Uusimaa</a></th>' in page
    assert "<td>10</td>" in page and "<td>1</td>" in page
    assert page.count("<figcaption") == 1


def test_charts_with_different_titles_have_different_ids():
    first, second = bar_chart("Hankkeet", [("A", 1)]), bar_chart("Raha", [("A", 1)])
    assert first.id != second.id
    assert parse(first).get("aria-labelledby") != parse(second).get("aria-labelledby")

"""Bar charts drawn as inline SVG on the server: figures in, markup out, no database.

Bars run horizontally with each label on its own line above them, so that long Finnish names
need no label column and stay readable on a phone. Series differ by pattern as well as colour,
and every bar carries its value as text, so no reading depends on colour alone.
"""

import functools
import math
import textwrap
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from projects.templatetags.portal import money, number

FORMATTERS = {"number": number, "money": money}

WIDTH = 400
MARGIN = 8
FONT_SIZE = 16
SMALL_FONT_SIZE = 14
# An average glyph of a sans-serif face is about this share of the font size wide.
GLYPH_WIDTH = 0.56
LINE_HEIGHT = 20
BAR_HEIGHT = 18
BAR_GAP = 4
GROUP_GAP = 14
AXIS_HEIGHT = 50
LABEL_LINES = 2
# The share of the width a bar's figure may take; the rest is left for the bars.
MAX_FIGURE_SHARE = 0.4
TEXT_COLOUR = "#1f2a44"
GRID_COLOUR = "#c8cdd6"
MUTED_COLOUR = "#5f6b7a"
# Suomi.fi's highlight blue, then a hatched and a dotted fill: each series stays apart in
# greyscale too, and the dark outline keeps every bar at 3:1 or more against white.
SERIES_FILLS = (
    ("#2a6ebb", ""),
    ("#ffffff", '<path d="M0,6 L6,0" stroke="#1f4f8a" stroke-width="2"/>'),
    ("#d5e4f5", '<circle cx="3" cy="3" r="1.4" fill="#1f2a44"/>'),
)


@dataclass(frozen=True)
class Group:
    """One row of a chart: a label, one value per series (None when not known), and a link."""

    label: str
    values: tuple
    url: str = ""


@dataclass(frozen=True)
class Chart:
    """A drawn chart, with the same figures as table rows for its text alternative."""

    id: str
    title: str
    svg: SafeString
    headings: list[str]
    rows: list[dict] = field(default_factory=list)
    note: str = ""


def bar_chart(title, rows, unit="number", label_heading="", value_heading="", note="") -> Chart:
    """Return a chart of one bar per row; rows are (label, value) pairs or one-value Groups.
    `unit` is "number" or "money"; `value_heading` names what the bars count."""
    groups = [row if isinstance(row, Group) else Group(row[0], (row[1],)) for row in rows]
    return _chart(title, groups, [value_heading], unit, value_heading, label_heading, note)


def grouped_bar_chart(
    title, groups, series, unit="number", axis_label="", label_heading="", note=""
) -> Chart:
    """Return a chart with a bar for each series in each group, told apart by a legend.
    `unit` is "number" or "money"; `axis_label` names what the axis counts."""
    return _chart(title, groups, list(series), unit, axis_label, label_heading, note, legend=True)


def _chart(title, groups, series, unit, axis_label, label_heading, note, legend=False) -> Chart:
    # Each figure is written four times: its bar's text, the room it takes, the description
    # and the table.
    format_value = functools.cache(FORMATTERS[unit])
    chart_id = "chart-" + (slugify(title) or "untitled")
    rows = [
        {"label": g.label, "url": g.url, "values": [_figure(format_value, v) for v in g.values]}
        for g in groups
    ]
    svg = ""
    if groups:
        svg = _draw(chart_id, title, groups, series, format_value, axis_label, legend)
    return Chart(chart_id, title, mark_safe(svg), [label_heading, *series], rows, note)


def nice_scale(largest, intervals=4) -> tuple[list[Decimal], Decimal]:
    """Return round ticks from zero, at most `intervals` steps apart, and the axis end for the
    largest value: 762 -> 0, 200, …, 800."""
    largest = Decimal(largest or 0)
    if largest <= 0:
        return [Decimal(0), Decimal(1)], Decimal(1)
    rough_step = largest / intervals
    magnitude = Decimal(10) ** math.floor(math.log10(rough_step))
    step = max(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough_step), 1)
    ticks = [step * i for i in range(math.ceil(largest / step) + 1)]
    return ticks, ticks[-1]


def wrap_label(label: str, width: float = WIDTH - 3 * MARGIN) -> list[str]:
    """Split a label into the lines that fit the chart, ending a cut one with "…"."""
    per_line = max(int(width / (FONT_SIZE * GLYPH_WIDTH)), 10)
    return textwrap.wrap(label, per_line, max_lines=LABEL_LINES, placeholder=" …") or [""]


def _figure(format_value, value) -> str:
    return _("no figure") if value is None else format_value(value)


def _fit(text: str, width: float) -> str:
    """Return the text, cut with "…" where it would run wider than `width`."""
    most = int(width / (SMALL_FONT_SIZE * GLYPH_WIDTH))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _text_width(text: str, size: int = SMALL_FONT_SIZE) -> float:
    return len(text) * size * GLYPH_WIDTH


# _text() and _bar() write the chart's many elements (3,000 on the statistics page) with
# f-strings, escaping the one text there is: format_html() escaped every number as well, which
# took two thirds of that page's time.


def _text(x, y, text, size=SMALL_FONT_SIZE, colour=TEXT_COLOUR, anchor="start") -> str:
    """Return a text element, haloed so that the gridlines it crosses do not cut its letters."""
    return (
        f'<text x="{round(x, 1)}" y="{round(y, 1)}" font-size="{size}" fill="{colour}" '
        f'text-anchor="{anchor}" stroke="#fff" stroke-width="4" paint-order="stroke">'
        f"{escape(text)}</text>"
    )


def _bar(chart_id, series_index, x, y, width, height=BAR_HEIGHT) -> str:
    return (
        f'<rect class="chart__bar chart__bar--{series_index}" x="{round(x, 1)}" '
        f'y="{round(y, 1)}" width="{round(width, 1)}" height="{height}" '
        f'fill="url(#{chart_id}-fill-{series_index})" stroke="{TEXT_COLOUR}"/>'
    )


def _draw(chart_id, title, groups, series, format_value, axis_label, legend) -> SafeString:
    largest = max((v for g in groups for v in g.values if v), default=0)

    def bar_text(index, value):
        # With a legend, each bar names its series too: a bar too short to show its pattern
        # still says what it counts. The figure comes first, so a cut keeps it.
        return f"{format_value(value)} ({series[index]})" if legend else format_value(value)

    figures = [bar_text(i, v) for g in groups for i, v in enumerate(g.values) if v is not None]
    figures.append(_("no figure"))
    left = MARGIN + _text_width(format_value(0)) / 2
    figure_room = min(max(_text_width(text) for text in figures) + 6, WIDTH * MAX_FIGURE_SHARE)
    # As many steps as the tick labels have room for side by side, four at most.
    tick_room = _text_width(format_value(largest)) + 16
    intervals = min(max(int((WIDTH - 2 * MARGIN - figure_room) // tick_room), 1), 4)
    ticks, axis_end = nice_scale(largest, intervals)
    last_tick_room = _text_width(format_value(axis_end)) / 2  # its label is centred on it
    right = WIDTH - MARGIN - max(figure_room, last_tick_room)

    def x_of(value):
        return left + float(Decimal(value) / axis_end) * (right - left)

    parts, y = [], MARGIN
    if legend:
        y = _legend(parts, chart_id, series, y)
    plot_top = y
    for group in groups:
        for line in wrap_label(group.label, WIDTH - MARGIN - left - 4):
            y += LINE_HEIGHT
            parts.append(_text(left + 4, y - 5, line, size=FONT_SIZE))
        if all(value is None for value in group.values):
            parts.append(_text(left + 5, y + BAR_HEIGHT - 4, _("no figure"), colour=MUTED_COLOUR))
            y += BAR_HEIGHT + BAR_GAP
        for index, value in enumerate(group.values):
            if value is None:
                continue  # the bar's place stays empty; the table says "no figure"
            parts.append(_bar(chart_id, index, left, y, x_of(value) - left))
            text = _fit(bar_text(index, value), WIDTH - MARGIN - x_of(value) - 5)
            parts.append(_text(x_of(value) + 5, y + BAR_HEIGHT - 4, text))
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    for tick in ticks:
        parts.insert(
            0,
            format_html(
                '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}"/>',
                round(x_of(tick), 1),
                plot_top,
                y,
                GRID_COLOUR,
            ),
        )
        parts.append(_text(x_of(tick), y + 18, format_value(tick), anchor="middle"))
    parts.append(
        format_html(
            '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}" stroke-width="2"/>',
            round(left, 1),
            plot_top,
            y,
            TEXT_COLOUR,
        )
    )
    parts.append(_text((left + right) / 2, y + 40, axis_label, anchor="middle"))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" viewBox="0 0 {0} {1}" '
        'width="{0}" height="{1}" role="img" '
        'aria-labelledby="{2}-title" aria-describedby="{2}-desc" '
        'font-family="system-ui, sans-serif">'
        '<title id="{2}-title">{3}</title><desc id="{2}-desc">{4}</desc>'
        "<defs>{5}</defs>{6}</svg>",
        WIDTH,
        round(y + AXIS_HEIGHT),
        chart_id,
        title,
        _describe(groups, series, format_value),
        _patterns(chart_id, len(series)),
        mark_safe("".join(parts)),
    )


def _describe(groups, series, format_value) -> str:
    """Return the figures as one sentence per group, for those who cannot see the bars."""

    sentences = []
    for group in groups:
        figures = [_figure(format_value, value) for value in group.values]
        if len(series) > 1:
            figures = [f"{name} {figure}" for name, figure in zip(series, figures, strict=True)]
        sentences.append(f"{group.label}: {', '.join(figures)}.")
    return " ".join(sentences)


def _patterns(chart_id, count) -> SafeString:
    return format_html_join(
        "",
        '<pattern id="{}-fill-{}" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="{}"/>{}</pattern>',
        (
            (chart_id, index, background, mark_safe(mark))
            for index, (background, mark) in enumerate(SERIES_FILLS[:count])
        ),
    )


def _legend(parts, chart_id, series, y) -> float:
    """Append swatches with series names, wrapped to the chart's width; return the y below."""
    x, y = MARGIN, y + LINE_HEIGHT
    for index, name in enumerate(series):
        width = 22 + _text_width(name) + 16
        if x > MARGIN and x + width > WIDTH - MARGIN:
            x, y = MARGIN, y + LINE_HEIGHT
        parts.append(_bar(chart_id, index, x, y - 13, 16, height=16))
        parts.append(_text(x + 22, y, name))
        x += width
    return y + GROUP_GAP

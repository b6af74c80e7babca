"""Horizontal bar charts as inline SVG, readable without colour vision: each series has its
own fill pattern as well as its colour (a blue/orange pair), every bar is labelled with its
number, and the chart has a <title>, an aria-label and a <title> per bar. The table that
follows each chart in the report is its text equivalent."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

# (name, colour, pattern): solid, diagonal hatching, dots.
SERIES = (("solid", "#1f4e99"), ("hatched", "#c25e00"), ("dotted", "#5b5b5b"))
LABEL_WIDTH, BAR_WIDTH, NUMBER_WIDTH = 300, 380, 70
BAR, GAP = 13, 9


def _defs(prefix: str) -> str:
    _, orange, grey = (colour for _, colour in SERIES)
    return (
        "<defs>"
        f'<pattern id="{prefix}-hatched" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fbe3cc"/><line x1="0" y1="0" x2="0" y2="6" stroke="{orange}" stroke-width="3"/></pattern>'
        f'<pattern id="{prefix}-dotted" width="5" height="5" patternUnits="userSpaceOnUse">'
        f'<rect width="5" height="5" fill="#e6e6e6"/><circle cx="2.5" cy="2.5" r="1.4" fill="{grey}"/></pattern>'
        "</defs>"
    )


def _fill(prefix: str, index: int) -> tuple[str, str]:
    name, colour = SERIES[index]
    return (colour if name == "solid" else f"url(#{prefix}-{name})"), colour


def bar_chart(prefix: str, title: str, series: Sequence[str], rows: Sequence[tuple[str, Sequence[int]]]) -> str:
    """An SVG chart: one group of bars per row (a label and one value per series). ``prefix``
    makes the pattern ids unique in the page."""
    largest = max((value for _, values in rows for value in values), default=0) or 1
    group = len(series) * BAR + GAP
    legend = 22
    height = legend + len(rows) * group + GAP
    width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}" data-chart="{escape(prefix)}">',
        f"<title>{escape(title)}</title>",
        _defs(prefix),
    ]
    x = LABEL_WIDTH
    for index, name in enumerate(series):  # the legend
        fill, colour = _fill(prefix, index)
        parts.append(
            f'<rect x="{x}" y="4" width="14" height="12" fill="{fill}" stroke="{colour}"/>'
            f'<text x="{x + 18}" y="14" class="legend">{escape(name)}</text>'
        )
        x += 30 + 8 * len(name)
    for row, (label, values) in enumerate(rows):
        top = legend + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + len(series) * BAR / 2 + 4}" text-anchor="end" class="label">'
            f"{escape(label)}</text>"
        )
        for index, value in enumerate(values):
            fill, colour = _fill(prefix, index)
            y = top + index * BAR
            length = max(1.0, BAR_WIDTH * value / largest) if value else 0.0
            parts.append(
                f'<g class="bar" data-label="{escape(label)}" data-series="{escape(series[index])}" data-value="{value}">'
                f"<title>{escape(label)}, {escape(series[index])}: {value:,}</title>"
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR - 2}" fill="{fill}" stroke="{colour}"/>'
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR - 3}" class="number">{value:,}</text></g>'
            )
    parts.append("</svg>")
    return "".join(parts)

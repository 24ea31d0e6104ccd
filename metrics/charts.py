"""Charts as server-side SVG (pygal), each with the table a screen reader reads instead.

pygal writes the SVG on the server: no JavaScript and nothing from a CDN. It still adds an
inline configuration script for its optional tooltips; we take it out, so the page runs no
script at all. Labels go through pygal's XML writer, which escapes them, so the SVG may be
embedded in the page as is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pygal
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    opacity="0.85",
    opacity_hover="1",
    colors=("#0d6efd", "#198754", "#fd7e14", "#dc3545", "#6f42c1", "#6c757d"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=12,
    title_font_size=14,
    legend_font_size=12,
)

_SCRIPTS = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_COMMENTS = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass
class Chart:
    """An SVG and the same numbers as a table (first column: the label of each row)."""

    slug: str
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.rows


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": False,
        "height": 260,
        "margin": 8,
        "print_values": False,
        "show_y_guides": True,
        "show_x_guides": False,
        "truncate_label": -1,
        **extra,
    }


def svg_of(chart) -> SafeString:
    """The chart's SVG, without pygal's scripts and comments, ready to embed."""
    svg = chart.render(is_unicode=True)
    svg = _SCRIPTS.sub("", svg)
    svg = _COMMENTS.sub("", svg)
    return mark_safe(svg.replace("<svg ", '<svg focusable="false" ', 1))  # noqa: S308


def _number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, 1)
    return number_format(int(value))


def bar_chart(
    *,
    slug: str,
    title: str,
    label_header: str,
    value_header: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    major_every: int = 1,
    integers: bool = True,
) -> Chart:
    chart = pygal.Bar(
        **_config(
            x_label_rotation=0 if major_every == 1 else 30,
            show_minor_x_labels=major_every == 1,
            x_labels_major_every=major_every,
            min_scale=2,
            max_scale=6,
            order_min=0 if integers else None,
        )
    )
    chart.x_labels = list(labels)
    chart.add(value_header, list(values))
    return Chart(
        slug=slug,
        title=title,
        svg=svg_of(chart),
        headers=[label_header, value_header],
        rows=[(label, [_number(v)]) for label, v in zip(labels, values, strict=True)],
    )


def week_label(day: date) -> str:
    return date_format(day, "j M")


def meetings_chart(weeks: Sequence[tuple[date, int]], *, title: str, header: str, week: str):
    return bar_chart(
        slug="meetings",
        title=title,
        label_header=week,
        value_header=header,
        labels=[week_label(day) for day, _n in weeks],
        values=[n for _day, n in weeks],
        major_every=max(1, len(weeks) // 8),
    )


def distribution_chart(
    counts: dict, *, slug: str, title: str, label_header: str, value_header: str
) -> Chart:
    """A bar per score (in order), for distributions such as satisfaction 1–5 or NPS 0–10."""
    keys = sorted(counts, key=lambda key: int(key))
    return bar_chart(
        slug=slug,
        title=title,
        label_header=label_header,
        value_header=value_header,
        labels=[str(key) for key in keys],
        values=[counts[key] for key in keys],
    )


def trend_chart(
    history: Sequence[tuple[date, float | None]],
    *,
    slug: str,
    title: str,
    value_header: str,
    day_header: str,
    target_header: str = "",
    target: float | None = None,
) -> Chart:
    """A small line of an indicator's daily values, with its target as a second line."""
    chart = pygal.Line(
        **_config(
            width=480,
            height=160,
            show_x_labels=False,
            show_y_labels=True,
            show_dots=len(history) < 40,
            dots_size=2,
            y_labels_major_count=3,
            show_minor_y_labels=False,
            allow_interruptions=True,
        )
    )
    chart.x_labels = [week_label(day) for day, _v in history]
    values = [None if v is None else float(v) for _d, v in history]
    chart.add(value_header, values, stroke_style={"width": 3})
    if target is not None:
        chart.add(
            target_header,
            [float(target)] * len(history),
            show_dots=False,
            stroke_style={"dasharray": "4,4"},
        )
    return Chart(
        slug=slug,
        title=title,
        svg=svg_of(chart),
        headers=[day_header, value_header],
        rows=[(date_format(day, "SHORT_DATE_FORMAT"), [_number(v)]) for day, v in history],
    )

"""Charts drawn from :class:`~goldenthread.documents.model.Chart` blocks with matplotlib.

SVG for the HTML page and the PDF, PNG for Word. The same chart always gives
the same bytes: no dates or software versions in the files, a fixed hash salt
for SVG ids, and a cache so a pack rendered in four formats draws each chart
once.
"""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from goldenthread.documents.model import Chart, Tone  # noqa: E402

FONT_FAMILY = ["Arial", "Liberation Sans", "DejaVu Sans"]
TEXT_COLOUR = "#0b0c0c"
# Bars need stronger colours than the pale cell fills: GOV.UK colour palette.
BAR_COLOURS: dict[Tone, str] = {
    Tone.GREEN: "#00703c",
    Tone.AMBER: "#ffdd00",
    Tone.RED: "#d4351c",
    Tone.BLUE: "#1d70b8",
    Tone.GREY: "#b1b4b6",
}
# Text on a bar segment: white on dark fills, black on yellow and grey.
LABEL_COLOURS: dict[Tone, str] = {
    Tone.GREEN: "#ffffff",
    Tone.AMBER: TEXT_COLOUR,
    Tone.RED: "#ffffff",
    Tone.BLUE: "#ffffff",
    Tone.GREY: TEXT_COLOUR,
}
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": FONT_FAMILY,
    "font.size": 9,
    "svg.hashsalt": "golden-thread",
    "svg.fonttype": "none",  # text stays text: searchable and small
    "hatch.color": "#ffffff",
    "hatch.linewidth": 1.0,
    "axes.edgecolor": "#505a5f",
    "axes.labelcolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
}


def _figure(chart: Chart) -> Figure:
    rows = max(len(chart.categories), 1)
    height = 0.9 + 0.42 * rows if chart.kind == "stacked_bar" else 3.2
    figure = Figure(figsize=(7.0, height), dpi=100)
    axes = figure.add_subplot()
    if chart.kind == "stacked_bar":
        _stacked_bar(axes, chart)
    elif chart.kind == "bar":
        _bar(axes, chart)
    elif chart.kind == "line":
        _line(axes, chart)
    else:
        raise ValueError(f"Unknown chart kind {chart.kind!r}: use stacked_bar, bar or line.")
    axes.set_title(chart.title, loc="left", fontsize=10, fontweight="bold", color=TEXT_COLOUR)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if chart.series:
        axes.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.15),
            ncols=min(len(chart.series), 5),
            frameon=False,
            fontsize=8,
        )
    return figure


def _stacked_bar(axes, chart: Chart) -> None:
    positions = list(range(len(chart.categories)))
    left = [0.0] * len(chart.categories)
    for series, hatch in zip(chart.series, _hatches(chart), strict=True):
        values = list(series.values)
        bars = axes.barh(
            positions,
            values,
            left=left,
            color=BAR_COLOURS[series.tone],
            edgecolor="#ffffff",
            linewidth=0.6,
            label=series.name,
            height=0.62,
            hatch=hatch,
        )
        labels = [_number(v) if v else "" for v in values]
        axes.bar_label(
            bars, labels=labels, label_type="center", fontsize=8, color=LABEL_COLOURS[series.tone]
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    axes.set_yticks(positions, labels=list(chart.categories))
    axes.invert_yaxis()  # first category at the top, as in the tables
    axes.set_xlabel(chart.value_label)
    axes.xaxis.get_major_locator().set_params(integer=True)


def _hatches(chart: Chart) -> list[str | None]:
    """Series sharing a colour (On Target and Ongoing are both green) get a pattern each."""
    seen: dict[Tone, int] = {}
    patterns = [None, "///", "...", "xxx", "\\\\\\"]
    hatches = []
    for series in chart.series:
        count = seen.get(series.tone, 0)
        hatches.append(patterns[count % len(patterns)])
        seen[series.tone] = count + 1
    return hatches


def _bar(axes, chart: Chart) -> None:
    count = max(len(chart.series), 1)
    width = 0.8 / count
    for index, series in enumerate(chart.series):
        positions = [p + (index - (count - 1) / 2) * width for p in range(len(chart.categories))]
        axes.bar(
            positions,
            series.values,
            width=width,
            color=BAR_COLOURS[series.tone],
            edgecolor="#ffffff",
            hatch=_hatches(chart)[index],
            label=series.name,
        )
    axes.set_xticks(range(len(chart.categories)), labels=list(chart.categories))
    axes.set_ylabel(chart.value_label)


def _line(axes, chart: Chart) -> None:
    for series in chart.series:
        axes.plot(
            list(chart.categories),
            series.values,
            marker="o",
            color=BAR_COLOURS[series.tone],
            label=series.name,
        )
    if chart.target is not None:
        axes.axhline(chart.target, color=TEXT_COLOUR, linestyle="--", linewidth=1)
        axes.annotate(
            f"Target {_number(chart.target)}",
            (0, chart.target),
            xytext=(2, 3),
            textcoords="offset points",
            fontsize=8,
        )
    axes.set_ylabel(chart.value_label)


def _number(value: float) -> str:
    return f"{value:g}"


@lru_cache(maxsize=64)
def svg(chart: Chart) -> str:
    """The chart as an SVG document (no XML declaration, no creation date)."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(chart)
        buffer = io.StringIO()
        figure.savefig(
            buffer,
            format="svg",
            bbox_inches="tight",
            pad_inches=0.1,
            metadata={"Date": None, "Creator": None},
        )
    text = buffer.getvalue()
    return text[text.index("<svg") :]


@lru_cache(maxsize=64)
def png(chart: Chart, dpi: int = 150) -> bytes:
    """The chart as a PNG image for Word (no software or date text chunks)."""
    with matplotlib.rc_context(STYLE):
        figure = _figure(chart)
        buffer = io.BytesIO()
        figure.savefig(
            buffer,
            format="png",
            dpi=dpi,
            bbox_inches="tight",
            pad_inches=0.1,
            metadata={"Software": None},
        )
    return buffer.getvalue()


__all__ = ["png", "svg"]

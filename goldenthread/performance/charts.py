"""Charts of the rendering model drawn as inline SVG for the pages (no JavaScript).

Each chart carries its title and a description in words (``<title>``,
``<desc>``); series differ by dash pattern and marker as well as colour, and
the page prints the figures in a table beside it.
"""

from __future__ import annotations

from html import escape

from goldenthread.documents.model import Chart, Tone

COLOURS = {
    Tone.BLUE: "#1d70b8",
    Tone.GREEN: "#00703c",
    Tone.AMBER: "#b05e00",
    Tone.GREY: "#505a5f",
    Tone.RED: "#d4351c",
}
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")
MARKERS = ("circle", "square", "diamond", "triangle", "circle")

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 64


def _scale(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.1
    low = 0.0 if low >= 0 and low - pad < 0 else low - pad
    return low, high + pad


def _number(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}m"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
        )
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y + 4:.1f} '
            f'{x - 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def svg(chart: Chart, ident: str) -> str:
    """The chart as an accessible SVG element; ``ident`` makes its ids unique on the page."""
    values = [v for s in chart.series for v in s.values]
    if chart.target is not None:
        values.append(chart.target)
    if chart.kind == "bar":
        values.append(0.0)
    low, high = _scale(values or [0.0])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = max(len(chart.categories), 1)

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    def x_of(index: int) -> float:
        return LEFT + (index + 0.5) * plot_w / count

    parts = [
        f'<svg class="gt-chart" role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="Arial, Helvetica, sans-serif" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-title">{escape(chart.title)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.description)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        'stroke="#b1b4b6"/>',
    ]
    for step in range(5):
        value = low + (high - low) * step / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e6e7"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{escape(_number(value))}</text>'
        )
    for index, category in enumerate(chart.categories):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" '
            f'font-size="11" fill="#0b0c0c">{escape(category)}</text>'
        )
    if chart.kind == "bar":
        group = plot_w / count * 0.8
        width = group / max(len(chart.series), 1)
        for number, series in enumerate(chart.series):
            colour = COLOURS.get(series.tone, "#1d70b8")
            for index, value in enumerate(series.values):
                x = x_of(index) - group / 2 + number * width
                top, bottom = y_of(max(value, 0.0)), y_of(min(value, 0.0))
                parts.append(
                    f'<rect x="{x:.1f}" y="{top:.1f}" width="{width * 0.9:.1f}" '
                    f'height="{max(bottom - top, 0.5):.1f}" fill="{colour}" '
                    f'fill-opacity="{1 - 0.25 * (number % 3):.2f}" stroke="#0b0c0c" '
                    f'stroke-width="0.5"><title>{escape(series.name)} '
                    f"{escape(chart.categories[index])}: {escape(_number(value))}</title></rect>"
                )
    else:
        for number, series in enumerate(chart.series):
            colour = COLOURS.get(series.tone, "#1d70b8")
            points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(series.values))
            dash = DASHES[number % len(DASHES)]
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
            for index, value in enumerate(series.values):
                parts.append(
                    _marker(MARKERS[number % len(MARKERS)], x_of(index), y_of(value), colour)
                )
    if chart.target is not None:
        y = y_of(chart.target)
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#0b0c0c" '
            f'stroke-width="1.5" stroke-dasharray="8 4"/>'
            f'<text x="{LEFT + plot_w - 4}" y="{y - 5:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">Target {escape(_number(chart.target))}</text>'
        )
    legend_y = HEIGHT - 18
    x = LEFT
    for number, series in enumerate(chart.series):
        colour = COLOURS.get(series.tone, "#1d70b8")
        dash = DASHES[number % len(DASHES)] if chart.kind != "bar" else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 24}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" '
            f'stroke-width="{8 if chart.kind == "bar" else 2.5}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + f'/><text x="{x + 30}" y="{legend_y + 4}" font-size="12" fill="#0b0c0c">'
            f"{escape(series.name)}</text>"
        )
        x += 40 + 8 * len(series.name)
    if chart.target is not None:
        parts.append(
            f'<line x1="{x}" x2="{x + 24}" y1="{legend_y}" y2="{legend_y}" stroke="#0b0c0c" '
            f'stroke-dasharray="8 4"/><text x="{x + 30}" y="{legend_y + 4}" font-size="12" '
            f'fill="#0b0c0c">Target</text>'
        )
    if chart.value_label:
        parts.append(
            f'<text x="12" y="{TOP + plot_h / 2:.1f}" font-size="12" fill="#0b0c0c" '
            f'transform="rotate(-90 12 {TOP + plot_h / 2:.1f})" text-anchor="middle">'
            f"{escape(chart.value_label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)

"""Inline SVG charts: data and geometry only.

Each function returns plain numbers and strings; the ``partials/charts.html.j2``
macros draw them as ``<svg>`` with autoescaped text, so no markup is built here
and no chart needs a script, a font or a network request. Every chart also
prints its numbers as text, so it reads without colour and with CSS off.
"""

from __future__ import annotations

import math
from typing import Any

WIDTH = 640
BAR_H = 22  # height of one horizontal bar row


def _ceil_nice(value: float) -> int:
    """The smallest 1/2/5 x 10^n at or above ``value`` (at least 1): a readable axis maximum."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(m * power) for m in (1, 2, 5, 10) if m * power >= value)


def _pct(part: int, total: int) -> int:
    return round(100 * part / total) if total else 0


def column_chart(labels: list[str], series: list[tuple[str, str, list[int]]], height: int = 220) -> dict[str, Any]:
    """Stacked vertical bars. ``series`` is ``[(css_class, name, values)]``, one value per label."""
    left, right, top, bottom = 44, 8, 18, 30
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    axis_max = _ceil_nice(max(totals, default=0))
    slot = plot_w / max(1, len(labels))
    bar_w = max(4.0, slot * 0.7)
    bars = []
    for i, label in enumerate(labels):
        x = left + i * slot + (slot - bar_w) / 2
        y = top + plot_h
        segments = []
        for css, name, values in series:
            h = plot_h * values[i] / axis_max
            if values[i]:
                y -= h
                segments.append({"css": css, "name": name, "value": values[i], "y": round(y, 1), "h": round(h, 1)})
        bars.append({"label": label, "total": totals[i], "x": round(x, 1), "w": round(bar_w, 1),
                     "cx": round(x + bar_w / 2, 1), "top": round(y, 1), "segments": segments})
    ticks = [{"value": v, "y": round(top + plot_h - plot_h * v / axis_max, 1)} for v in (0, axis_max // 2, axis_max)]
    return {"width": WIDTH, "height": height, "left": left, "right": WIDTH - right, "base": top + plot_h,
            "bars": bars, "ticks": ticks, "legend": [(css, name) for css, name, _ in series],
            "label_y": height - 10}


def bar_rows(rows: list[tuple[str, int | None, str]], percent: bool = True, na: str = "") -> dict[str, Any]:
    """Horizontal bars, one per ``(label, value, css_class)``, scaled to the largest value.

    ``percent``: also print each value's share of the total (off for scores). A None value (a score that
    does not apply) draws no bar and prints ``na`` instead of a number.
    """
    label_w, value_w = 150, 90
    plot_w = WIDTH - label_w - value_w
    top = max((value or 0 for _, value, _ in rows), default=0) or 1
    total = sum(value or 0 for _, value, _ in rows)
    out = []
    for i, (label, value, css) in enumerate(rows):
        w = plot_w * (value or 0) / top
        out.append({"label": label, "value": value, "css": css, "pct": _pct(value or 0, total),
                    "y": i * BAR_H + 2, "w": round(max(w, 1.0 if value else 0.0), 1)})
    return {"width": WIDTH, "height": len(rows) * BAR_H + 4, "x": label_w, "value_x": label_w + plot_w + 6,
            "rows": out, "total": total, "percent": percent, "na": na}


def stacked_rows(rows: list[tuple[str, list[tuple[str, str, int]]]]) -> dict[str, Any]:
    """100% bars: ``[(label, [(css_class, name, value)])]``; rows whose total is 0 are dropped."""
    label_w, value_w = 150, 70
    plot_w = WIDTH - label_w - value_w
    out = []
    for label, parts in rows:
        total = sum(value for _, _, value in parts)
        if not total:
            continue
        x, segments = float(label_w), []
        for css, name, value in parts:
            w = plot_w * value / total
            segments.append({"css": css, "name": name, "value": value, "pct": _pct(value, total),
                             "x": round(x, 1), "w": round(w, 1)})
            x += w
        out.append({"label": label, "total": total, "y": len(out) * (BAR_H + 8) + 2, "segments": segments})
    legend: list[tuple[str, str]] = []
    for _, parts in rows:
        legend += [(css, name) for css, name, _ in parts if (css, name) not in legend]
    return {"width": WIDTH, "height": len(out) * (BAR_H + 8) + 4, "value_x": label_w + plot_w + 6,
            "rows": out, "legend": legend}


def line_chart(labels: list[str], series: list[tuple[str, str, list[int | None]]],
               height: int = 220) -> dict[str, Any]:
    """Lines on a fixed 0-100 axis (scores), one point per label; None leaves a gap."""
    left, right, top, bottom = 44, 16, 14, 30
    inset = 48  # keeps the first and last points and their date labels clear of the axis and the edge
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    step = (plot_w - 2 * inset) / max(1, len(labels) - 1)

    def xy(i: int, value: int) -> tuple[float, float]:
        x = left + (inset + i * step if len(labels) > 1 else plot_w / 2)
        return round(x, 1), round(top + plot_h - plot_h * max(0, min(100, value)) / 100, 1)

    lines = []
    for css, name, values in series:
        points = [{"x": xy(i, v)[0], "y": xy(i, v)[1], "value": v} for i, v in enumerate(values) if v is not None]
        path = " ".join(f"{p['x']},{p['y']}" for p in points)
        lines.append({"css": css, "name": name, "points": points, "path": path})
    xlabels = [{"label": label, "x": xy(i, 0)[0]} for i, label in enumerate(labels)]
    ticks = [{"value": v, "y": xy(0, v)[1]} for v in (0, 50, 90, 100)]
    return {"width": WIDTH, "height": height, "left": left, "right": WIDTH - right, "lines": lines,
            "xlabels": xlabels, "ticks": ticks, "label_y": height - 10,
            "legend": [(css, name) for css, name, _ in series]}

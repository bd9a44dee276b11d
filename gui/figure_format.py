"""Number formats per figure ``fmt`` (core.analytics.figures.FigureSpec.fmt).

Only presentation: the values are the engine's. Differences (A − B) get their own
wording: percentage points for percentages, days for dates.
"""

from __future__ import annotations

import math

import numpy as np

DASH = "\u2013"


def iso_from_days(days: float) -> str:
    return str(np.datetime64(int(round(days)), "D"))


def format_value(v: float) -> str:
    a = abs(v)
    if a >= 10000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:,.1f}"
    return f"{v:,.2f}"


def format_figure(v: float | None, fmt: str, *, diff: bool = False) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return DASH
    v = float(v)
    if fmt == "pct":
        return f"{v:+.2f} pp" if diff else f"{v:+.2f}%"
    if fmt == "date":
        return f"{v:+,.0f} d" if diff else iso_from_days(v)
    if fmt == "z":
        return f"{v:+.2f}\u03c3"
    if fmt == "percentile":
        return f"{v:+.0f}" if diff else f"{v:.0f}"
    if fmt == "count":
        return f"{v:+,.0f}" if diff else f"{v:,.0f}"
    return ("+" if diff and v > 0 else "") + format_value(v)


def format_date(d) -> str:
    return str(np.datetime64(d, "D")) if d is not None else DASH

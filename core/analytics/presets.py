"""Preset windows and the standard ways of deriving a comparison window B.

``1M/3M/6M/1Y/3Y`` end at the last date and start the same day that many months earlier
(clamped month arithmetic, see window.py), so "1Y" spans a year of returns; ``YTD``
starts on 1 January of the last date's year; ``ALL`` is the whole data span. Every preset
start is clamped to the first date (a 3Y preset on two years of data is ALL).
"""

from __future__ import annotations

import numpy as np

from core.analytics.window import DAY, Window, add_months, as_day
from core.series import Series

PRESETS = ("YTD", "1M", "3M", "6M", "1Y", "3Y", "ALL")
_MONTHS = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12, "3Y": 36}


def preset_window(name: str, first_date: np.datetime64, last_date: np.datetime64) -> Window:
    first, last = as_day(first_date), as_day(last_date)
    key = name.strip().upper()
    if key == "ALL":
        start = first
    elif key == "YTD":
        start = last.astype("datetime64[Y]").astype("datetime64[D]")
    elif key in _MONTHS:
        start = add_months(last, -_MONTHS[key])
    else:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return Window(min(max(start, first), last), last)


def since_low(series: Series, span: Window) -> Window:
    """Window from the series' lowest observation within ``span`` (earliest on ties) to
    ``span.end``; ``span`` itself when the series has no observation in it."""
    dates = series.dates
    lo = int(np.searchsorted(dates, span.start, side="left"))
    hi = int(np.searchsorted(dates, span.end, side="right"))
    values = series.values[lo:hi]
    finite = np.isfinite(values)
    if not finite.any():
        return span
    low = lo + int(np.argmin(np.where(finite, values, np.inf)))  # argmin: first occurrence
    return Window(dates[low], span.end)


def same_span_year_earlier(w: Window) -> Window:
    """B = A moved 12 calendar months back (clamped month arithmetic)."""
    return w.shifted(years=-1)


def same_span_before(w: Window, event: np.datetime64) -> Window:
    """B of A's length in calendar days, ending the day before ``event``."""
    end = as_day(event) - DAY
    return Window(end - (w.end - w.start), end)


def snap(dates_int64_days: np.ndarray, d: np.datetime64, side: str = "nearest") -> np.datetime64:
    """The observation date nearest ``d``: ``side`` 'left'/'before' (on or before),
    'right'/'after' (on or after) or 'nearest' (ties go left). Falls back to the other
    side when none exists on the asked one; ``d`` itself when there are no dates."""
    days = np.asarray(dates_int64_days)
    if days.dtype.kind == "M":
        days = days.astype("datetime64[D]").astype(np.int64)
    target = int(as_day(d).astype(np.int64))
    if len(days) == 0:
        return as_day(d)
    i = int(np.searchsorted(days, target, side="right")) - 1  # last on or before
    before = int(days[i]) if i >= 0 else None
    k = int(np.searchsorted(days, target, side="left"))  # first on or after
    after = int(days[k]) if k < len(days) else None
    key = side.lower()
    if key in ("left", "before"):
        pick = before if before is not None else after
    elif key in ("right", "after"):
        pick = after if after is not None else before
    elif key == "nearest":
        if before is None or (after is not None and after - target < target - before):
            pick = after
        else:
            pick = before
    else:
        raise ValueError(f"side must be 'left', 'right' or 'nearest', not {side!r}")
    return np.datetime64(int(pick), "D")

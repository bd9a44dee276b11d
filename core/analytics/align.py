"""As-of alignment of series of different frequencies (DOMAIN.md "Aligning series").

Join on the lower-frequency series' dates; take every other series' last observation on
or before each date — never a later one.
"""

from __future__ import annotations

import numpy as np

from core.analytics.lookback_stats import range_le_counts


def median_spacing(days: np.ndarray) -> float:
    return float(np.median(np.diff(days))) if len(days) > 1 else float("inf")


def base_days(days_a: np.ndarray, days_b: np.ndarray, start: int | None,
              end: int | None) -> np.ndarray:
    """The join dates (int64 days) within [start, end]: the lower-frequency series' dates
    (larger median spacing; on a tie the one with fewer observations, then ``a``)."""
    ga, gb = median_spacing(days_a), median_spacing(days_b)
    if ga != gb:
        base = days_a if ga > gb else days_b
    else:
        base = days_b if len(days_b) < len(days_a) else days_a
    lo = 0 if start is None else int(np.searchsorted(base, start, side="left"))
    hi = len(base) if end is None else int(np.searchsorted(base, end, side="right"))
    return base[lo:hi]


def as_of_indices(days: np.ndarray, on: np.ndarray) -> np.ndarray:
    """Index of the last observation on or before each date of ``on`` (-1 if none)."""
    return np.searchsorted(days, on, side="right") - 1


def expanding_rank(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per t: 100 × share of values[0..t] that are ≤ values[t], and whether values[t] is
    ≥ every earlier value (False for t = 0: no earlier value to beat)."""
    n = len(values)
    if n == 0:
        return np.zeros(0), np.zeros(0, dtype=bool)
    hi = np.arange(1, n + 1, dtype=np.int64)
    counts = range_le_counts(values, np.zeros(n, dtype=np.int64), hi, values)
    pct = 100.0 * counts / hi
    earlier_max = np.maximum.accumulate(values)
    record = np.zeros(n, dtype=bool)
    record[1:] = values[1:] >= earlier_max[:-1]
    return pct, record

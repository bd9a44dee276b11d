"""Where a series has a hole: a line must break there, never run straight across it.

A hole is a spacing between two observations much wider than the series' usual one:
more than ``HOLE_FACTOR`` times its median spacing and more than ``HOLE_MIN_DAYS``
beyond it. Daily prices (median 1 day) break at a gap of over 11 days, not at weekends
or holidays; weekly CFTC reports (7 days) at over 35 days, so the months between two
yearly files (August to December 2024 in the real reports) show as a gap.
"""

from __future__ import annotations

import numpy as np

HOLE_FACTOR = 5.0
HOLE_MIN_DAYS = 10.0


def joins(x: np.ndarray, per_day: float = 1.0) -> np.ndarray | None:
    """For sorted positions ``x`` (``per_day`` units a day: 1 for days, 86400 for a
    chart's seconds), a bool per point, True where the line goes on to the next point;
    None when no spacing is a hole."""
    x = np.asarray(x, dtype=np.float64)
    if len(x) < 3:
        return None
    step = np.diff(x)
    usual = float(np.median(step))
    if usual <= 0:
        return None
    limit = max(HOLE_FACTOR * usual, usual + HOLE_MIN_DAYS * per_day)
    holes = step > limit
    if not holes.any():
        return None
    out = np.ones(len(x), dtype=bool)
    out[:-1] = ~holes
    out[-1] = False
    return out


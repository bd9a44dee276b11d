"""Date conversions between core (datetime64[D]), pyqtgraph (Unix seconds, what
DateAxisItem expects) and Qt widgets (QDate)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QDate

DAY_SECONDS = 86400.0
_EPOCH = QDate(1970, 1, 1)


def to_seconds(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[D]").astype(np.int64).astype(np.float64) * DAY_SECONDS


def day_to_seconds(d: np.datetime64) -> float:
    return float(np.datetime64(d, "D").astype(np.int64)) * DAY_SECONDS


def seconds_to_day(x: float) -> np.datetime64:
    return np.datetime64(int(np.floor(x / DAY_SECONDS + 0.5)), "D")


def to_qdate(d: np.datetime64) -> QDate:
    return _EPOCH.addDays(int(np.datetime64(d, "D").astype(np.int64)))


def from_qdate(q: QDate) -> np.datetime64:
    return np.datetime64(_EPOCH.daysTo(q), "D")


def shift_months(d: np.datetime64, n: int) -> np.datetime64:
    """Same day of month n months away, clipped to the month's last day."""
    d = np.datetime64(d, "D")
    month = d.astype("datetime64[M]")
    day = int((d - month.astype("datetime64[D]")).astype(np.int64))
    target = month + n
    last = int(((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]"))
               .astype(np.int64)) - 1
    return target.astype("datetime64[D]") + min(day, last)


def step_observation(dates: np.ndarray, d: np.datetime64, step: int) -> np.datetime64:
    """The observation date ``step`` observations after (or before) date ``d``."""
    if len(dates) == 0:
        return d
    d = np.datetime64(d, "D")
    if step > 0:
        i = int(np.searchsorted(dates, d, side="right")) + step - 1
    else:
        i = int(np.searchsorted(dates, d, side="left")) + step
    return dates[min(max(i, 0), len(dates) - 1)]

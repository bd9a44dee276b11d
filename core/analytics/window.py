"""Date windows: a closed calendar interval [start, end] and calendar-month arithmetic.

Month arithmetic is numpy ``datetime64`` month arithmetic with the day of month kept and
clamped to the target month's length (2024-02-29 minus 12 months is 2023-02-28), the
same rule as ``pandas.DateOffset(months=n)``. "A year earlier" is 12 months earlier.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DAY = np.timedelta64(1, "D")


def as_day(value: object) -> np.datetime64:
    """A calendar date as ``datetime64[D]`` from a date string, date, datetime64 or Timestamp."""
    if isinstance(value, str):
        return np.datetime64(value.strip(), "D")
    if isinstance(value, np.datetime64):
        return value.astype("datetime64[D]")
    return np.datetime64(value, "D")


def add_months(dates: np.ndarray | np.datetime64, months: int) -> np.ndarray | np.datetime64:
    """``dates`` moved by ``months`` calendar months, day of month clamped to month end."""
    d = np.asarray(dates).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day_offset = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(int(months), "M")
    month_len = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    out = target.astype("datetime64[D]") + np.minimum(day_offset, month_len - 1).astype(
        "timedelta64[D]"
    )
    return out[()] if out.ndim == 0 else out


@dataclass(frozen=True)
class Window:
    """A closed calendar interval [start, end]; its observations are those dated within it."""

    start: np.datetime64  # datetime64[D]
    end: np.datetime64

    def __post_init__(self) -> None:
        start, end = as_day(self.start), as_day(self.end)
        if np.isnat(start) or np.isnat(end):
            raise ValueError("window dates must be actual dates")
        if end < start:
            raise ValueError(f"window end {end} is before its start {start}")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def parse(cls, text: str) -> Window:
        """``"2025-04-08:2025-07-31"`` (ISO dates; ``..`` or ``/`` also separate them)."""
        raw = text.strip()
        for sep in ("..", ":", "/"):
            if sep in raw:
                left, _, right = raw.partition(sep)
                break
        else:
            raise ValueError(f"window {text!r} is not START:END (e.g. 2025-04-08:2025-07-31)")
        try:
            return cls(as_day(left), as_day(right))
        except ValueError as exc:
            raise ValueError(f"window {text!r}: {exc}") from None

    @property
    def span_days(self) -> int:
        """Calendar days covered, both ends included (a one-day window has span 1)."""
        return int((self.end - self.start) // DAY) + 1

    def shifted(self, *, years: int = 0, months: int = 0, days: int = 0) -> Window:
        """Both ends moved by calendar years/months (clamped month arithmetic) then days."""
        total = 12 * int(years) + int(months)
        start, end = self.start, self.end
        if total:
            start, end = add_months(start, total), add_months(end, total)
        if days:
            start, end = start + np.timedelta64(int(days), "D"), end + np.timedelta64(int(days), "D")
        return Window(start, end)

    def contains(self, day: np.datetime64) -> bool:
        return bool(self.start <= as_day(day) <= self.end)

    def to_dict(self) -> dict:
        return {"start": str(self.start), "end": str(self.end)}

    def __str__(self) -> str:
        return f"{self.start}:{self.end}"

"""History of the FOMC target range for the federal funds rate.

``resources/fed_target_range.csv`` lists ``date,lower,upper`` for each change, dated the
day the new range took effect (the day after the decision), starting from the range in
force at the end of 2018. The range at a date is the last row on or before it; before
the first row the history does not cover the date and the caller infers the range.

When the public-data store holds FRED's DFEDTARU/DFEDTARL (``main.py fetch fred``),
``load_target_ranges()`` uses the fetched range for every date it covers and the bundled
file for the dates before and after (the offline fallback).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.messages import Message, cell_name
from core.paths import resource_path
from core.rates._csv_rows import parse_day, parse_number, read_rows

TARGET_RANGE_FILE = "fed_target_range.csv"
STEP = 0.25  # percent; the FOMC moves the range in multiples of 25 bp


@dataclass
class TargetRangeHistory:
    """Effective dates (sorted) and the ``[lower, upper]`` range from each date on."""

    dates: np.ndarray  # datetime64[D]
    lower: np.ndarray
    upper: np.ndarray
    source: str = ""
    messages: list[Message] = field(default_factory=list)
    covered_until: np.datetime64 | None = None  # a fetched history: its last observed day

    def __post_init__(self) -> None:
        self.dates = np.asarray(self.dates).astype("datetime64[D]")
        order = np.argsort(self.dates, kind="stable")
        self.dates = self.dates[order]
        self.lower = np.asarray(self.lower, dtype=np.float64)[order]
        self.upper = np.asarray(self.upper, dtype=np.float64)[order]

    @classmethod
    def from_rows(
        cls, rows: list[tuple[str, float, float]], source: str = "<code>"
    ) -> TargetRangeHistory:
        """Build from ``[("2008-12-16", 0.0, 0.25), ...]`` (tests, callers with own data)."""
        return cls(
            np.array([r[0] for r in rows], dtype="datetime64[D]"),
            np.array([r[1] for r in rows]),
            np.array([r[2] for r in rows]),
            source=source,
        )

    def range_at(self, day: np.datetime64 | str) -> tuple[float, float] | None:
        """Range in force on ``day``; None when the history starts after it."""
        i = int(np.searchsorted(self.dates, np.datetime64(day, "D"), side="right")) - 1
        if i < 0:
            return None
        return float(self.lower[i]), float(self.upper[i])

    @property
    def last_date(self) -> np.datetime64 | None:
        return self.dates[-1] if len(self.dates) else None


def range_containing(rate: float) -> tuple[float, float]:
    """The 25 bp range holding ``rate``: ``4.33 -> (4.25, 4.50)``; floored at zero."""
    lower = max(0.0, np.floor(rate / STEP + 1e-9) * STEP)
    return round(lower, 2), round(lower + STEP, 2)


def default_target_range_path() -> Path:
    return resource_path(TARGET_RANGE_FILE)


def load_target_ranges(path: str | Path | None = None, *,
                       fetched: bool = True) -> TargetRangeHistory:
    """Read ``date,lower,upper`` rows; bad rows become messages and are skipped. Without
    ``path``: the bundled file, overlaid by the fetched FRED range where it covers a date
    (``fetched=False``: the bundled file alone)."""
    if path is None and fetched:
        bundled = load_target_ranges(None, fetched=False)
        try:
            from core.public_data.fred import load_fetched_target_ranges
        except ImportError:  # an install without the fetch's HTTP client: bundled only
            return bundled
        fred = load_fetched_target_ranges()
        return bundled if fred is None or not len(fred.dates) else overlay(bundled, fred)
    path = Path(path) if path is not None else default_target_range_path()
    file = str(path)
    messages: list[Message] = []
    dates: list[np.datetime64] = []
    lows: list[float] = []
    highs: list[float] = []
    def skip(row0: int, col0: int, text: str) -> None:
        messages.append(Message("warning", file, None, cell_name(row0, col0), text))

    for row0, cells in read_rows(path, ("date", "lower", "upper"), messages):
        day = parse_day(cells[0])
        if day is None:
            skip(row0, 0, f"'{cells[0].strip()}' is not a date; row skipped")
            continue
        bounds = [parse_number(c) for c in cells[1:3]]
        bad = [k + 1 for k, v in enumerate(bounds) if v is None]
        if bad:
            skip(row0, bad[0], f"'{cells[bad[0]].strip()}' is not a rate in percent; row skipped")
            continue
        low, high = bounds
        if not high > low:
            skip(row0, 2, f"upper bound {high} is not above lower bound {low}; row skipped")
            continue
        if day in dates:
            skip(row0, 0, f"{day} is listed twice; the first row is kept")
            continue
        dates.append(day)
        lows.append(low)
        highs.append(high)
    return TargetRangeHistory(
        np.array(dates, dtype="datetime64[D]"), np.array(lows), np.array(highs),
        source=file, messages=messages,
    )  # fmt: skip


def overlay(bundled: TargetRangeHistory, fetched: TargetRangeHistory) -> TargetRangeHistory:
    """``fetched`` for the days it covers (its first change .. ``covered_until``), the
    bundled rows before and after them."""
    start = fetched.dates[0]
    until = fetched.covered_until if fetched.covered_until is not None else fetched.dates[-1]
    before = bundled.dates < start
    after = bundled.dates > until
    return TargetRangeHistory(
        np.concatenate([bundled.dates[before], fetched.dates, bundled.dates[after]]),
        np.concatenate([bundled.lower[before], fetched.lower, bundled.lower[after]]),
        np.concatenate([bundled.upper[before], fetched.upper, bundled.upper[after]]),
        source=f"{fetched.source} from {start} to {until}; {bundled.source} otherwise",
        messages=list(bundled.messages), covered_until=until,
    )  # fmt: skip

"""Rate-cut odds at one date, asked again and again (the GUI on every window rest).

Building the futures curve and reading the calendar and target-range files cost more
than pricing one date, so they are kept between calls. The curve is kept for one
catalog *object* (held, not its ``id()``: a new catalog can reuse a freed object's id,
and after closing one futures file and opening another the odds would price the new
file with the old curve) and its version; the two data files by path, size and
modification time (the bundled calendar, the user's edited copy, the target ranges),
so an edited FOMC calendar is read again.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from core.catalog import Catalog
from core.pipeline import DERIVED_RATES_FILE
from core.rates.calendar import (
    FomcCalendar,
    default_calendar_path,
    load_fomc_calendar,
    user_calendar_path,
)
from core.rates.curve import FuturesCurve, futures_curve_from_series
from core.rates.rates_block import report_block
from core.rates.target_range import (
    TargetRangeHistory,
    default_target_range_path,
    load_target_ranges,
)

FileState = tuple[str, int, int] | None


def file_state(path: Path) -> FileState:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return str(path), st.st_size, st.st_mtime_ns


class OddsPricer:
    def __init__(self) -> None:
        self._catalog: Catalog | None = None
        self._catalog_version: int | None = None
        self._curve: FuturesCurve | None = None
        self._files: tuple[FileState, ...] | None = None
        self._calendar: FomcCalendar | None = None
        self._ranges: TargetRangeHistory | None = None

    def forget(self) -> None:
        """Read the calendar and the target ranges again at the next call (a fetch may
        have stored a new FRED range: it is no file this pricer watches)."""
        self._files = None

    def calendar_and_ranges(self) -> tuple[FomcCalendar, TargetRangeHistory]:
        files = (file_state(default_calendar_path()), file_state(user_calendar_path()),
                 file_state(default_target_range_path()))
        if files != self._files or self._calendar is None or self._ranges is None:
            self._calendar, self._ranges = load_fomc_calendar(), load_target_ranges()
            self._files = files
        return self._calendar, self._ranges

    def curve(self, catalog: Catalog) -> FuturesCurve:
        if catalog is not self._catalog or catalog.version != self._catalog_version \
                or self._curve is None:
            self._curve = futures_curve_from_series(catalog)
            self._catalog, self._catalog_version = catalog, catalog.version
        return self._curve

    def block(self, catalog: Catalog, date: np.datetime64) -> dict | None:
        """The report's rates block at ``date`` (no sentences), or None without futures."""
        calendar, ranges = self.calendar_and_ranges()
        return report_block(catalog, date, calendar, ranges, curve=self.curve(catalog),
                            with_sentences=False)


def odds_unavailable_reason(catalog: Catalog, asof: np.datetime64 | None) -> str:
    """Why there are no odds at ``asof``: no futures at all, futures that price no
    meeting, or a date outside the span the futures price."""
    derived = [s for s in catalog.series_of_file(DERIVED_RATES_FILE) if len(s)]
    if not derived:
        futures = sorted({s.source.file for s in catalog if s.kind == "ff_future"})
        if futures:
            names = ", ".join(Path(f).name for f in futures[:3]) + \
                (" \u2026" if len(futures) > 3 else "")
            return (f"No rate-cut odds: the fed funds futures loaded ({names}) price no "
                    "FOMC meeting. Each meeting needs its month's contract and the month "
                    "before or after it (FedWatch method); open those contracts too.")
        return ("No rate-cut odds: no fed funds futures loaded. Open a file of fed funds "
                "futures prices (ZQ/FF, one column per contract month) to see them.")
    first = min(s.first_date for s in derived)
    last = max(s.last_date for s in derived)
    where = f"window A ends {asof}, outside them" if asof is not None else "no window A yet"
    return (f"No rate-cut odds at A's end: the futures price {first} to {last}; {where}. "
            "Move A into that span to see them.")


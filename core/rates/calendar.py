"""The FOMC calendar: decision dates (a meeting's last day), data the user can edit.

The bundled ``resources/fomc_meetings.csv`` holds ``decision_date,note`` rows for the
2019-2027 meetings, past ones as held (with the unscheduled March 2020 meetings) and
future ones as scheduled. A user file with the same columns replaces it.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.messages import Message, cell_name
from core.paths import FOMC_CALENDAR_FILE, resource_path
from core.rates._csv_rows import parse_day, read_rows

Month = tuple[int, int]


def month_of(day: np.datetime64) -> Month:
    """``(year, month)`` of a calendar day."""
    index = int(np.datetime64(day, "M").astype(np.int64))  # months since 1970-01
    return 1970 + index // 12, index % 12 + 1


def days_in_month(month: Month) -> int:
    return _stdlib_calendar.monthrange(month[0], month[1])[1]


def add_months(month: Month, k: int) -> Month:
    index = month[0] * 12 + (month[1] - 1) + k
    return index // 12, index % 12 + 1


@dataclass
class FomcCalendar:
    """Decision dates, sorted and unique, with their notes (``unscheduled`` ...)."""

    dates: np.ndarray  # datetime64[D]
    notes: list[str] = field(default_factory=list)
    source: str = ""
    messages: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.dates = np.asarray(self.dates).astype("datetime64[D]")
        if not self.notes:
            self.notes = [""] * len(self.dates)
        order = np.argsort(self.dates, kind="stable")
        self.dates = self.dates[order]
        self.notes = [self.notes[i] for i in order]
        self._per_month: dict[Month, list[np.datetime64]] = {}
        for day in self.dates:
            self._per_month.setdefault(month_of(day), []).append(day)

    @classmethod
    def from_dates(cls, dates: list[str] | np.ndarray, source: str = "<code>") -> FomcCalendar:
        return cls(np.asarray(dates, dtype="datetime64[D]"), source=source)

    def __len__(self) -> int:
        return len(self.dates)

    def meetings_after(self, day: np.datetime64) -> np.ndarray:
        """Decision dates strictly after ``day`` (a decision on ``day`` is already priced)."""
        return self.dates[self.dates > np.datetime64(day, "D")]

    def meetings_in(self, month: Month) -> np.ndarray:
        return np.array(self._per_month.get(month, []), dtype="datetime64[D]")

    def has_meeting_in(self, month: Month) -> bool:
        return month in self._per_month


def default_calendar_path() -> Path:
    return resource_path(FOMC_CALENDAR_FILE)


def load_fomc_calendar(path: str | Path | None = None) -> FomcCalendar:
    """Read ``decision_date,note`` rows; bad rows become messages and are skipped."""
    path = Path(path) if path is not None else default_calendar_path()
    messages: list[Message] = []
    file = str(path)
    dates: list[np.datetime64] = []
    notes: list[str] = []
    seen: set[np.datetime64] = set()
    def skip(row0: int, text: str) -> None:
        messages.append(Message("warning", file, None, cell_name(row0, 0), text))

    for row0, cells in read_rows(path, ("decision_date", "note"), messages):
        raw = cells[0].strip()
        day = parse_day(raw)
        if day is None:
            skip(row0, f"'{raw}' is not a date (use YYYY-MM-DD); row skipped")
            continue
        if day in seen:
            skip(row0, f"meeting {day} is listed twice; the first row is kept")
            continue
        seen.add(day)
        dates.append(day)
        notes.append(cells[1].strip() if len(cells) > 1 else "")
    return FomcCalendar(
        np.array(dates, dtype="datetime64[D]"), notes, source=file, messages=messages
    )

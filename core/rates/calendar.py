"""The FOMC calendar: decision dates (a meeting's last day), data the user can edit.

The bundled ``resources/fomc_meetings.csv`` holds ``decision_date,note`` rows for the
meetings from 2019 to the latest the Fed has published, past ones as held (with the
unscheduled March 2020 meetings) and future ones as scheduled. The user's own copy,
``fomc_meetings.csv`` in the config folder (core.paths.user_config_dir), wins for every
date up to its last row: an update of the bundled file cannot undo an edit there. Bundled
meetings after the copy's last row are added (with a note), so an old copy does not hide
a newly published year. An explicit path is read alone.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.messages import Message, cell_name
from core.paths import FOMC_CALENDAR_FILE, resource_path, user_config_dir
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


def user_calendar_path() -> Path:
    """The user's edited calendar (may not exist)."""
    return user_config_dir() / FOMC_CALENDAR_FILE


def load_fomc_calendar(path: str | Path | None = None) -> FomcCalendar:
    """The calendar at ``path``; without one, the user's copy over the bundled file."""
    if path is not None:
        return _read_calendar(Path(path))
    bundled = _read_calendar(default_calendar_path())
    user_path = user_calendar_path()
    if not user_path.is_file():
        return bundled
    user = _read_calendar(user_path)
    if not len(user):
        user.messages.append(Message("warning", str(user_path), None, None,
                                     "no meeting read from this file; the bundled FOMC "
                                     "calendar is used instead"))  # fmt: skip
        return FomcCalendar(bundled.dates, bundled.notes, bundled.source,
                            [*user.messages, *bundled.messages])
    later = bundled.dates > user.dates[-1]
    messages = list(user.messages)
    if later.any():
        added = bundled.dates[later]
        messages.append(Message("info", str(user_path), None, None, (
            f"meetings after this file's last row ({user.dates[-1]}) taken from the bundled "
            f"calendar: {added[0]} .. {added[-1]} ({len(added)})")))  # fmt: skip
    notes = [*user.notes, *(n for n, keep in zip(bundled.notes, later, strict=True) if keep)]
    return FomcCalendar(np.concatenate([user.dates, bundled.dates[later]]), notes,
                        source=str(user_path), messages=messages)


def _read_calendar(path: Path) -> FomcCalendar:
    """Read ``decision_date,note`` rows; bad rows become messages and are skipped."""
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

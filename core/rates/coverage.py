"""Where the FOMC calendar and the futures do not cover each other, named for the user.

``fedwatch`` prices the meetings the calendar lists within the contracts' reach and
stops silently at the first one beyond it; a meeting missing from the calendar is never
priced at all. These notes say so: futures that run further past the calendar's last
meeting than the Fed ever waits between meetings, a stretch of the futures with no
meeting listed for that long, and the first listed meeting the futures end before.
"""

from __future__ import annotations

import numpy as np

from core.messages import Message
from core.rates.calendar import FomcCalendar, month_of
from core.rates.contracts import contract_label, month_name
from core.rates.curve import FuturesCurve
from core.rates.fedwatch import beyond_horizon

# Scheduled meetings are 5 to 8 weeks apart; a longer gap means one is missing.
LONGEST_GAP_DAYS = 10 * 7


def coverage_notes(
    curve: FuturesCurve, calendar: FomcCalendar, asof_date: np.datetime64 | str | None = None
) -> list[Message]:
    """Notes for the futures priced at ``asof_date`` (default: the curve's last date)."""
    if not len(curve) or not len(curve.dates):
        return []
    day = np.datetime64(asof_date, "D") if asof_date is not None else curve.dates[-1]
    quotes = curve.quotes_at(day)
    if not quotes:
        return []
    horizon = max(quotes)
    file = calendar.source or "FOMC calendar"
    notes: list[Message] = []

    def note(level: str, text: str) -> None:
        notes.append(Message(level, file, None, None, text))  # type: ignore[arg-type]

    upcoming = calendar.meetings_after(day)
    last_listed = calendar.dates[-1] if len(calendar) else None
    horizon_end = np.datetime64(f"{horizon[0]:04d}-{horizon[1]:02d}", "M") + 1
    if last_listed is None or (horizon_end.astype("datetime64[D]") - last_listed
                               ).astype(int) > LONGEST_GAP_DAYS:
        after = f"ends with the {last_listed} meeting" if last_listed is not None else "is empty"
        note("warning", (
            f"the futures run to {_name(horizon)} but the FOMC calendar {after}: meetings "
            "after it are not priced; add them to the calendar file"))  # fmt: skip
    start = np.datetime64(f"{min(quotes)[0]:04d}-{min(quotes)[1]:02d}-01", "D")
    span = [m for m in calendar.dates if m >= start and month_of(m) <= horizon]
    for before, after in zip(span, span[1:], strict=False):
        gap = int((after - before).astype(int))
        if gap > LONGEST_GAP_DAYS and after > day:
            note("warning", (
                f"no FOMC meeting listed between {before} and {after} ({gap // 7} weeks; "
                "the Fed meets every 5 to 8 weeks): is a meeting missing from the "
                "calendar?"))  # fmt: skip
    unpriced = [m for m in upcoming if beyond_horizon(m, horizon)]
    if unpriced:
        first = unpriced[0]
        rest = f" and the {len(unpriced) - 1} after it" if len(unpriced) > 1 else ""
        verb = "are" if len(unpriced) > 1 else "is"
        why = "a decision late in the month needs the next month's contract" \
            if month_of(first) <= horizon else "its month has no contract"
        note("info", (
            f"the futures end with {_name(horizon)}: the {first} meeting{rest} in the calendar "
            f"{verb} not priced ({why})"))  # fmt: skip
    return notes


def _name(month) -> str:
    return f"{contract_label(month)} ({month_name(month)})"

"""Which derived series draw the odds-over-time row for the meetings the user picks.

``fedwatch_history`` makes, per meeting, ``rates:p_cut_by:<date>`` (cumulative cut odds,
percent), ``rates:expected_rate_after:<date>`` (expected target, percent) and
``rates:implied_rate:<date>``. A chart row shows them across the whole history with
windows A and B shaded like any other row; this module picks the ids: by default the
next two meetings after a date (A's end) that have odds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.messages import Message
from core.rates.calendar import FomcCalendar

P_CUT_BY = "rates:p_cut_by:"
EXPECTED_RATE_AFTER = "rates:expected_rate_after:"
IMPLIED_RATE = "rates:implied_rate:"
DEFAULT_MEETINGS = 2


@dataclass(frozen=True)
class MeetingOddsSeries:
    """Series ids for one meeting; None where the catalog has no such series."""

    meeting: np.datetime64
    p_cut_by: str | None
    expected_rate_after: str | None
    implied_rate: str | None

    @property
    def ids(self) -> list[str]:
        return [i for i in (self.p_cut_by, self.expected_rate_after, self.implied_rate) if i]


def meetings_with_odds(series: Iterable) -> list[np.datetime64]:
    """Meetings that have a ``rates:p_cut_by`` series, ascending (for a meeting picker).
    ``series``: ids or objects with an ``id`` (a Catalog)."""
    return sorted({np.datetime64(i[len(P_CUT_BY):], "D") for i in _ids(series)
                   if i.startswith(P_CUT_BY)})


def odds_over_time(
    series: Iterable,
    after: np.datetime64 | str,
    meetings: Iterable[np.datetime64 | str] | None = None,
    *,
    count: int = DEFAULT_MEETINGS,
    calendar: FomcCalendar | None = None,
) -> tuple[list[MeetingOddsSeries], list[Message]]:
    """The series of each picked meeting (default: the next ``count`` meetings after
    ``after`` with odds), and a message for each picked meeting that has none."""
    ids = set(_ids(series))
    if meetings is None:
        day = np.datetime64(after, "D")
        picked = [m for m in meetings_with_odds(ids) if m > day][:count]
    else:
        picked = [np.datetime64(m, "D") for m in meetings]
    rows, messages = [], []
    for meeting in picked:
        row = MeetingOddsSeries(meeting, *(_id(ids, prefix, meeting) for prefix in
                                           (P_CUT_BY, EXPECTED_RATE_AFTER, IMPLIED_RATE)))
        rows.append(row)
        if row.p_cut_by is None:
            messages.append(_missing(meeting, calendar))
    return rows, messages


def _missing(meeting: np.datetime64, calendar: FomcCalendar | None) -> Message:
    if calendar is not None and meeting not in calendar.dates:
        return Message("warning", calendar.source, None, None,
                       f"{meeting} is not a meeting in the FOMC calendar: no odds for it")
    return Message("info", "", None, None,
                   f"no rate-cut odds for the {meeting} meeting: the futures loaded never "
                   "price it")


def _id(ids: set[str], prefix: str, meeting: np.datetime64) -> str | None:
    candidate = f"{prefix}{meeting}"
    return candidate if candidate in ids else None


def _ids(series: Iterable) -> list[str]:
    return [s if isinstance(s, str) else s.id for s in series]

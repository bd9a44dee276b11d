"""Meeting-by-meeting rate odds from fed funds futures, CME FedWatch method (DOMAIN.md).

For a meeting on day d of a month of N days, m = d - 1 days pass at the start rate and
N - m at the end rate, so the month's contract prices r_avg = (m r_start + (N-m) r_end)/N.
r_start comes from the previous month's contract when that month has no meeting, r_end
from the next month's when that one has none (always so when the decision falls in the
last ``LATE_DAYS`` days: the month's contract then barely sees the new rate), otherwise
r_start is the previous meeting's r_end. Each meeting's move splits between two whole
25 bp step counts; convolving the moves from today's range gives the range distribution.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.messages import Message
from core.rates.calendar import FomcCalendar, Month, add_months, days_in_month, month_of
from core.rates.contracts import contract_label, month_name
from core.rates.curve import ContractQuote, FuturesCurve
from core.rates.odds import chain, quarter_key, quarters, step_split
from core.rates.target_range import TargetRangeHistory, range_containing

LATE_DAYS = 7  # decision within the month's last 7 days -> r_end from the next month


@dataclass
class MeetingOdds:
    """One meeting's implied rates and odds; rates are None when it could not be priced."""

    meeting: np.datetime64
    method: str = ""  # "previous month", "next month", "chained"; "" when not priced
    r_start: float | None = None
    r_end: float | None = None
    steps: dict[int, float] = field(default_factory=dict)  # own move, in 25 bp steps
    distribution: dict[str, float] | None = None  # lower bound "4.00" -> probability
    p_lower_than_now: float | None = None
    p_higher_than_now: float | None = None
    stale: bool = False
    note: str = ""

    @property
    def priced(self) -> bool:
        return self.r_end is not None

    @property
    def implied_rate(self) -> float | None:
        return self.r_end

    @property
    def expected_change_bp(self) -> float | None:
        if self.r_start is None or self.r_end is None:
            return None
        return 100.0 * (self.r_end - self.r_start)

    @property
    def p_cut(self) -> float | None:
        return sum(p for s, p in self.steps.items() if s < 0) if self.steps else None

    @property
    def p_hold(self) -> float | None:
        return self.steps.get(0, 0.0) if self.steps else None

    @property
    def p_hike(self) -> float | None:
        return sum(p for s, p in self.steps.items() if s > 0) if self.steps else None


@dataclass
class FedWatchResult:
    asof: np.datetime64
    current_range: tuple[float, float] | None
    range_inferred: bool = False
    meetings: list[MeetingOdds] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    def meeting(self, day: np.datetime64 | str) -> MeetingOdds | None:
        target = np.datetime64(day, "D")
        return next((m for m in self.meetings if m.meeting == target), None)


def fedwatch(
    curve: FuturesCurve,
    calendar: FomcCalendar,
    target_ranges: TargetRangeHistory | None,
    asof_date: np.datetime64 | str,
) -> FedWatchResult:
    """Odds for every upcoming meeting (decision after ``asof_date``) within the curve."""
    day = np.datetime64(asof_date, "D")
    notes = _Notes(curve)
    quotes = curve.quotes_at(day)
    if not quotes:
        notes.add("info", f"no fed funds futures price on or before {day}")
        return FedWatchResult(day, None, messages=notes.messages)
    current, inferred = _current_range(day, quotes, calendar, target_ranges, notes)
    horizon = max(quotes)

    result = FedWatchResult(day, current, inferred, messages=notes.messages)
    distribution: dict[int, float] | None = {quarters(current[0]): 1.0}
    previous_end: float | None = None  # r_end of the meeting before, past or upcoming
    # Start at the last meeting already decided: its r_end can be the next one's r_start.
    start = max(int(np.searchsorted(calendar.dates, day, side="right")) - 1, 0)
    for meeting in calendar.dates[start:]:
        if meeting > day and beyond_horizon(meeting, horizon):
            break  # the contracts do not reach it: not listed
        odds = _price_meeting(meeting, calendar, quotes, previous_end)
        previous_end = odds.r_end
        if meeting <= day:
            continue
        if not odds.priced:
            notes.add("warning", f"{meeting} meeting not priced: {odds.note}")
        elif odds.stale:
            notes.add("warning", f"{meeting} meeting uses a stale price: {odds.note}")
        if distribution is not None and odds.priced:
            distribution, clipped = chain(distribution, odds.steps)
            if clipped:
                notes.add_once("info", "a negative lower bound was clipped at 0.00 (zero floor)")
            odds.distribution = {quarter_key(q): p for q, p in distribution.items()}
            now = quarters(current[0])
            # Sums of chained products can drift a hair outside [0, 1].
            odds.p_lower_than_now = _unit(sum((p for q, p in distribution.items() if q < now), 0.0))
            odds.p_higher_than_now = _unit(sum((p for q, p in distribution.items() if q > now), 0.0))
        elif distribution is not None:
            distribution = None
            notes.add("info", f"range distribution not chained past the {meeting} meeting")
        result.meetings.append(odds)
    return result


def beyond_horizon(meeting: np.datetime64, horizon: Month) -> bool:
    """True when the meeting's own month, or for a late-month meeting the next month,
    lies after the last contract month with a price."""
    month = month_of(meeting)
    if month > horizon:
        return True
    return _is_late(meeting) and add_months(month, 1) > horizon


def _is_late(meeting: np.datetime64) -> bool:
    n = days_in_month(month_of(meeting))
    m = int(str(meeting)[8:10]) - 1
    return n - m <= LATE_DAYS


def _price_meeting(
    meeting: np.datetime64,
    calendar: FomcCalendar,
    quotes: dict[Month, ContractQuote],
    previous_end: float | None,
) -> MeetingOdds:
    month = month_of(meeting)
    odds = MeetingOdds(meeting)
    own = quotes.get(month)
    if own is None:
        odds.note = f"no price for {_name(month)}, the meeting month's contract"
        return odds
    if len(calendar.meetings_in(month)) > 1:
        odds.note = (f"{month_name(month)} has more than one meeting; one contract "
                     "cannot separate their moves")  # fmt: skip
        return odds
    n = days_in_month(month)
    m = int(str(meeting)[8:10]) - 1
    r_avg = own.implied_rate
    before, after = add_months(month, -1), add_months(month, 1)
    prev_q, next_q = quotes.get(before), quotes.get(after)
    used = [own]
    if _is_late(meeting):
        if next_q is None:
            odds.note = (f"decision in the last {LATE_DAYS} days of the month needs "
                         f"{_name(after)}, which has no price")  # fmt: skip
            return odds
        odds.method, r_end = "next month", next_q.implied_rate
        r_start = _back_start(n, m, r_avg, r_end)
        used.append(next_q)
    elif not calendar.has_meeting_in(before) and prev_q is not None:
        odds.method, r_start = "previous month", prev_q.implied_rate
        r_end = (n * r_avg - m * r_start) / (n - m)
        used.append(prev_q)
    elif not calendar.has_meeting_in(after) and next_q is not None and m > 0:
        odds.method, r_end = "next month", next_q.implied_rate
        r_start = _back_start(n, m, r_avg, r_end)
        used.append(next_q)
    elif previous_end is not None:
        odds.method, r_start = "chained", previous_end
        r_end = (n * r_avg - m * r_start) / (n - m)
    else:
        wanted = [] if calendar.has_meeting_in(before) else [_name(before)]
        if not calendar.has_meeting_in(after):
            wanted.append(_name(after))
        odds.note = ("no price for " + " or ".join(wanted) if wanted
                     else "the previous meeting could not be priced")  # fmt: skip
        return odds
    odds.r_start, odds.r_end = float(r_start), float(r_end)
    odds.steps = step_split(odds.r_end - odds.r_start)
    stale = [q for q in used if q.stale]
    if stale:
        odds.stale = True
        odds.note = "; ".join(
            f"{contract_label(q.month)} last priced {q.price_date}" for q in stale
        )
    return odds


def _back_start(n: int, m: int, r_avg: float, r_end: float) -> float:
    """r_start from the month average when r_end is known: (N r_avg - (N-m) r_end) / m."""
    if m == 0:
        return r_end  # decision on the 1st: the whole month is at the new rate
    return (n * r_avg - (n - m) * r_end) / m


def _current_range(
    day: np.datetime64,
    quotes: dict[Month, ContractQuote],
    calendar: FomcCalendar,
    target_ranges: TargetRangeHistory | None,
    notes: _Notes,
) -> tuple[tuple[float, float], bool]:
    # On a decision day the decision is already known (and priced): use the new range.
    effective_day = day + 1 if np.any(calendar.dates == day) else day
    known = target_ranges.range_at(effective_day) if target_ranges is not None else None
    if known is not None:
        last = target_ranges.last_date
        unknown = calendar.dates[(calendar.dates >= last) & (calendar.dates < effective_day)]
        if len(unknown):
            listed = ", ".join(str(d) for d in unknown[:3])
            if len(unknown) > 3:
                listed = f"{unknown[0]} .. {unknown[-1]} ({len(unknown)} meetings)"
            notes.add("info", (
                f"target range history ends at {last}; assuming {known[0]:.2f}-{known[1]:.2f} "
                f"was kept at {listed}"))  # fmt: skip
        return known, False
    this_month = month_of(day)
    front_month = next((mo for mo in sorted(quotes) if mo >= this_month), max(quotes))
    front = quotes[front_month]
    inferred = range_containing(front.implied_rate)
    notes.add("info", (
        f"no target range history covers {day}; inferred {inferred[0]:.2f}-{inferred[1]:.2f} "
        f"from {contract_label(front_month)} implied rate {front.implied_rate:.4f}%"))  # fmt: skip
    return inferred, True


def _name(month: Month) -> str:
    return f"{contract_label(month)} ({month_name(month)})"


class _Notes:
    """Messages about one computation, located at the curve's source file."""

    def __init__(self, curve: FuturesCurve) -> None:
        self.file, self.sheet = curve.file or "fed funds futures", curve.sheet
        self.messages: list[Message] = []

    def add(self, level: str, text: str) -> None:
        message = Message(level, self.file, self.sheet, None, text)  # type: ignore[arg-type]
        self.messages.append(message)

    def add_once(self, level: str, text: str) -> None:
        if all(m.text != text for m in self.messages):
            self.add(level, text)


def _unit(p: float) -> float:
    return min(1.0, max(0.0, p))

"""When futures price the first move, in the words an analyst writes:
"Futures price a first cut by September (51%), October more likely (76%)".

The facts come from the cumulative odds of a target below (cut) or above (hike) today's
after each meeting:
- the first meeting: the first whose cumulative odds exceed 50% (``rates.first_cut``);
- when those odds are near even (below ``NEAR_EVEN[1]``), the first later meeting whose
  odds are clearly above it is "more likely";
- when the meeting just before the first has near-even odds itself (at least
  ``NEAR_EVEN[0]``), it is named too: "October (76%), September near even (45%)";
- with no first meeting either way: "Futures price no cut through December 2026 (32%)".
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np

from core.rates.fedwatch import FedWatchResult, MeetingOdds
from core.rates.odds_series import first_meeting_over

NEAR_EVEN = (0.40, 0.60)  # cumulative odds an analyst reads as "about even"


@dataclass(frozen=True)
class MeetingChance:
    meeting: np.datetime64
    probability: float  # cumulative, 0..1
    label: str  # "September", "January 2026"

    def to_dict(self) -> dict:
        return {"meeting": str(self.meeting), "probability": round(self.probability, 6),
                "label": self.label}


@dataclass(frozen=True)
class MoveTiming:
    """The facts behind one timing sentence. ``direction`` "cut", "hike" or "none"; for
    "none", ``first`` is None and ``through`` is the last meeting priced, with the
    cumulative odds of the likelier direction."""

    direction: str
    first: MeetingChance | None
    more_likely: MeetingChance | None
    near_even_before: MeetingChance | None
    through: MeetingChance | None
    sentence: str

    def to_dict(self) -> dict:
        def chance(c: MeetingChance | None) -> dict | None:
            return c.to_dict() if c is not None else None

        return {"direction": self.direction, "first": chance(self.first),
                "more_likely": chance(self.more_likely),
                "near_even_before": chance(self.near_even_before),
                "through": chance(self.through), "sentence": self.sentence}


def move_timings(result: FedWatchResult) -> list[MoveTiming]:
    """One timing per direction that has a first meeting (earlier first meeting first);
    else one "none" timing; [] when no meeting's distribution could be chained."""
    chained = [m for m in result.meetings if m.p_lower_than_now is not None]
    if not chained:
        return []
    labels = _labels(result)
    out = []
    for direction in ("cut", "hike"):
        first = first_meeting_over(result, 0.5, direction)
        if first is not None:
            out.append(_timing(direction, first, chained, labels))
    if out:
        return sorted(out, key=lambda t: t.first.meeting)
    last = chained[-1]
    direction = "cut" if last.p_lower_than_now >= last.p_higher_than_now else "hike"
    through = _chance(last, direction, labels)
    sentence = (f"Futures price no {direction} through {through.label} "
                f"({_pct(through.probability)})")
    return [MoveTiming("none", None, None, None, through, sentence)]


def first_move_fields(result: FedWatchResult) -> dict:
    """``first_cut`` / ``first_hike`` ({"meeting", "p_lower_than_now"} resp.
    {"meeting", "p_higher_than_now"}, or None) and the ``timing`` facts, for the JSON."""
    cut = first_meeting_over(result, 0.5, "cut")
    hike = first_meeting_over(result, 0.5, "hike")
    return {
        "first_cut": ({"meeting": str(cut.meeting),
                       "p_lower_than_now": round(float(cut.p_lower_than_now), 6)}
                      if cut is not None else None),
        "first_hike": ({"meeting": str(hike.meeting),
                        "p_higher_than_now": round(float(hike.p_higher_than_now), 6)}
                       if hike is not None else None),
        "timing": [t.to_dict() for t in move_timings(result)],
    }


def _timing(direction: str, first: MeetingOdds, chained: list[MeetingOdds],
            labels: dict) -> MoveTiming:
    i = next(k for k, m in enumerate(chained) if m.meeting == first.meeting)
    first_c = _chance(first, direction, labels)
    more_likely = None
    if first_c.probability < NEAR_EVEN[1]:
        later = (m for m in chained[i + 1:] if _p(m, direction) >= NEAR_EVEN[1])
        nxt = next(later, None)
        more_likely = _chance(nxt, direction, labels) if nxt is not None else None
    before = None
    if i > 0 and _p(chained[i - 1], direction) >= NEAR_EVEN[0]:
        before = _chance(chained[i - 1], direction, labels)
    text = f"Futures price a first {direction} by {first_c.label} ({_pct(first_c.probability)})"
    if more_likely is not None:
        text += f", {more_likely.label} more likely ({_pct(more_likely.probability)})"
    if before is not None:
        joiner = "; " if more_likely is not None else ", "
        text += f"{joiner}{before.label} near even ({_pct(before.probability)})"
    return MoveTiming(direction, first_c, more_likely, before, None, text)


def _p(m: MeetingOdds, direction: str) -> float:
    return m.p_lower_than_now if direction == "cut" else m.p_higher_than_now


def _chance(m: MeetingOdds, direction: str, labels: dict) -> MeetingChance:
    return MeetingChance(m.meeting, float(_p(m, direction)), labels[m.meeting])


def _labels(result: FedWatchResult) -> dict[np.datetime64, str]:
    """Month name ("September"), with the year when it is not the as-of date's year, and
    with the day when two listed meetings share a month ("17 March 2020")."""
    asof_year = int(str(result.asof)[:4])
    days = [_dt.date.fromisoformat(str(m.meeting)) for m in result.meetings]
    months = [(d.year, d.month) for d in days]
    out = {}
    for m, d in zip(result.meetings, days, strict=True):
        text = d.strftime("%B")
        if months.count((d.year, d.month)) > 1:
            text = f"{d.day} {text}"
        if d.year != asof_year:
            text += f" {d.year}"
        out[m.meeting] = text
    return out


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"

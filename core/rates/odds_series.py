"""FedWatch odds through time, as ordinary derived series for the window engine.

For every date of the futures export, each upcoming meeting within the contracts'
horizon gets its cumulative cut probability (chained probability of a target range
below the one in force that day, in percent), its implied rate (the futures' r_end) and
the expected target after it (probability-weighted midpoint of the chained ranges, the
FedWatch matrix's implied path). A meeting's series
runs from the first date its contracts price it to its decision day; dates where it
could not be priced are left out (Series values stay finite).
"""

from __future__ import annotations

import numpy as np

from core.rates.calendar import FomcCalendar
from core.rates.curve import FuturesCurve
from core.rates.fedwatch import FedWatchResult, MeetingOdds, fedwatch
from core.rates.odds import STEP
from core.rates.target_range import TargetRangeHistory
from core.series import Series, SeriesSource, infer_frequency


def fedwatch_history(
    curve: FuturesCurve,
    calendar: FomcCalendar,
    target_ranges: TargetRangeHistory | None,
) -> list[Series]:
    """Per meeting: ``rates:p_cut_by:<date>`` (0..100), ``rates:implied_rate:<date>`` and
    ``rates:expected_rate_after:<date>`` (percent)."""
    cut_odds: dict[np.datetime64, list[tuple[np.datetime64, float]]] = {}
    implied: dict[np.datetime64, list[tuple[np.datetime64, float]]] = {}
    expected: dict[np.datetime64, list[tuple[np.datetime64, float]]] = {}
    for day in curve.dates:
        result = fedwatch(curve, calendar, target_ranges, day)
        for odds in result.meetings:
            if odds.p_lower_than_now is not None:
                cut_odds.setdefault(odds.meeting, []).append((day, 100.0 * odds.p_lower_than_now))
            if odds.r_end is not None and np.isfinite(odds.r_end):
                implied.setdefault(odds.meeting, []).append((day, odds.r_end))
            if odds.distribution:
                expected.setdefault(odds.meeting, []).append(
                    (day, expected_target(odds.distribution)))
    out: list[Series] = []
    for meeting in sorted(set(cut_odds) | set(implied)):
        if meeting in cut_odds:
            out.append(_series(
                curve, f"rates:p_cut_by:{meeting}", f"P(cut by {meeting} meeting)",
                "% probability", "probability", meeting, cut_odds[meeting]))  # fmt: skip
        if meeting in implied:
            out.append(_series(
                curve, f"rates:implied_rate:{meeting}", f"Implied rate after {meeting} meeting",
                "percent", "rate", meeting, implied[meeting]))  # fmt: skip
        if meeting in expected:
            out.append(_series(
                curve, f"rates:expected_rate_after:{meeting}",
                f"Expected target after {meeting} meeting", "percent", "rate", meeting,
                expected[meeting]))  # fmt: skip
    return out


def expected_target(distribution: dict[str, float]) -> float:
    """Probability-weighted midpoint of the ranges: ``{"4.00": .5, "4.25": .5} -> 4.25``."""
    return sum(p * (float(lower) + STEP / 2) for lower, p in distribution.items())


def first_meeting_over(
    result: FedWatchResult, threshold: float = 0.5, direction: str = "cut"
) -> MeetingOdds | None:
    """First meeting whose cumulative odds of a lower (``cut``) or higher (``hike``)
    target than today exceed ``threshold`` (0..1); None if no priced meeting does."""
    for odds in result.meetings:
        p = odds.p_lower_than_now if direction == "cut" else odds.p_higher_than_now
        if p is not None and p > threshold:
            return odds
    return None


def _series(
    curve: FuturesCurve,
    sid: str,
    name: str,
    unit: str,
    kind: str,
    meeting: np.datetime64,
    points: list[tuple[np.datetime64, float]],
) -> Series:
    dates = np.array([d for d, _ in points], dtype="datetime64[D]")
    values = np.array([v for _, v in points], dtype=np.float64)
    return Series(
        id=sid,
        name=name,
        unit=unit,
        frequency=infer_frequency(dates),
        source=SeriesSource(curve.file, curve.sheet, f"FedWatch from {len(curve)} contracts"),
        dates=dates,
        values=values,
        kind=kind,
        meta={"derived": "fedwatch", "meeting": str(meeting), "contracts": curve.labels},
    )

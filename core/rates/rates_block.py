"""The rate-odds block of ``main.py report --json`` and its desk-note sentences."""

from __future__ import annotations

import datetime as _dt

import numpy as np

from core.analytics.window import add_months
from core.catalog import Catalog
from core.rates.calendar import FomcCalendar, load_fomc_calendar
from core.rates.coverage import coverage_notes
from core.rates.curve import FuturesCurve, futures_curve_from_series
from core.rates.fedwatch import FedWatchResult, MeetingOdds, fedwatch
from core.rates.odds import quarters
from core.rates.odds_sentence import first_move_fields, move_timings
from core.rates.target_range import TargetRangeHistory, load_target_ranges
from core.rates.target_range_fred import with_fred_changes


def report_block(
    catalog: Catalog,
    date: np.datetime64 | str,
    calendar: FomcCalendar | None = None,
    target_ranges: TargetRangeHistory | None = None,
    *,
    curve: FuturesCurve | None = None,
    with_sentences: bool = True,
) -> dict | None:
    """FedWatch odds at ``date`` from the catalog's fed funds futures; None without any.

    ``calendar`` and ``target_ranges`` default to the bundled resources files; range
    changes after the target-range file's last row come from FRED's DFEDTARL/DFEDTARU
    when the catalog has them. A caller
    that asks again and again (the GUI on every window move) passes the ``curve`` it built
    once, and ``with_sentences=False`` when it shows no sentences: they price the curve a
    second time, a month earlier.
    """
    if curve is None:
        curve = futures_curve_from_series(catalog)
    if not len(curve):
        return None
    calendar = calendar if calendar is not None else load_fomc_calendar()
    target_ranges = target_ranges if target_ranges is not None else load_target_ranges()
    target_ranges = with_fred_changes(target_ranges, catalog)  # FRED's later changes, if loaded
    result = fedwatch(curve, calendar, target_ranges, date)
    month_ago = (fedwatch(curve, calendar, target_ranges, add_months(result.asof, -1))
                 if with_sentences else None)
    messages = [*curve.messages, *calendar.messages, *target_ranges.messages, *result.messages,
                *coverage_notes(curve, calendar, result.asof)]
    return {
        "asof": str(result.asof),
        "current_range": list(result.current_range) if result.current_range else None,
        "range_inferred": result.range_inferred,
        "contracts": curve.labels,
        "meetings": [_meeting_dict(m) for m in result.meetings],
        # first_cut, first_hike and the facts of the timing sentence (odds_sentence)
        **first_move_fields(result),
        "sentences": sentences(result, month_ago) if with_sentences else [],
        "messages": [m.to_dict() for m in messages],
    }


def sentences(result: FedWatchResult, month_ago: FedWatchResult | None = None) -> list[str]:
    """Desk-note lines, each present only when its figures exist. With ``month_ago``
    (the odds a calendar month earlier), the next meeting's odds say where they came from:
    "Sep cut odds 51%, down from 88% a month ago"."""
    out: list[str] = []
    priced = [m for m in result.meetings if m.priced]
    if not priced:
        return out
    nxt = priced[0]
    label = _dt.date.fromisoformat(str(nxt.meeting)).strftime("%b")
    if nxt.p_hike > nxt.p_cut:
        odds = f"{label} hike odds {100 * nxt.p_hike:.0f}%"
    else:
        odds = f"{label} cut odds {100 * nxt.p_cut:.0f}%"
    before = _same_meeting(month_ago, nxt.meeting)
    if before is not None:
        now_p, then_p = (nxt.p_hike, before.p_hike) if "hike" in odds else (nxt.p_cut, before.p_cut)
        if round(100 * now_p) != round(100 * then_p):
            trend = "up" if now_p > then_p else "down"
            odds += f", {trend} from {100 * then_p:.0f}% a month ago"
    out.append(f"{odds} ({nxt.meeting} meeting; implied rate {nxt.r_end:.2f}%, "
               f"{nxt.expected_change_bp:+.0f} bp)")  # fmt: skip
    out.extend(t.sentence for t in move_timings(result))
    chained = [m for m in result.meetings if m.distribution is not None]
    if chained and result.current_range is not None:
        last = chained[-1]
        now = quarters(result.current_range[0])
        mean_steps = sum(p * (quarters(float(k)) - now) for k, p in last.distribution.items())
        lo, hi = result.current_range
        out.append(f"Futures price {25 * mean_steps:+.0f} bp by the {last.meeting} meeting "
                   f"from today's {lo:.2f}-{hi:.2f}% range")  # fmt: skip
    return out


def _same_meeting(result: FedWatchResult | None, meeting: np.datetime64) -> MeetingOdds | None:
    if result is None:
        return None
    for m in result.meetings:
        if m.meeting == meeting and m.priced:
            return m
    return None


def _meeting_dict(m: MeetingOdds) -> dict:
    return {
        "meeting": str(m.meeting),
        "method": m.method or None,
        "implied_rate": _round(m.implied_rate),
        "r_start": _round(m.r_start),
        "expected_change_bp": _round(m.expected_change_bp),
        "p_cut": _round(m.p_cut),
        "p_hold": _round(m.p_hold),
        "p_hike": _round(m.p_hike),
        "p_lower_than_now": _round(m.p_lower_than_now),
        "distribution": (
            {k: _round(p) for k, p in m.distribution.items()} if m.distribution else None
        ),
        "stale": m.stale,
        "note": m.note or None,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 6)

"""The odds-over-time row's series: expected target per meeting, and which ids to draw."""

from __future__ import annotations

import numpy as np
import pytest
from rates_fakes import contract

from core.rates import FomcCalendar, TargetRangeHistory, fedwatch_history, futures_curve_from_series
from core.rates.odds_over_time import meetings_with_odds, odds_over_time
from core.rates.odds_series import expected_target

CALENDAR = FomcCalendar.from_dates(["2024-09-18", "2024-11-07", "2024-12-18", "2025-01-29"],
                                   source="cal.csv")
RANGES = TargetRangeHistory.from_rows([("2024-09-19", 4.75, 5.00), ("2024-11-08", 4.50, 4.75)])


def history():
    export = [
        contract("FFV24", {"2024-10-01": 95.17, "2024-10-31": 95.16}),
        contract("FFX24", {"2024-10-01": 95.30, "2024-10-02": 95.28, "2024-11-08": 95.33}),
        contract("FFZ24", {"2024-10-01": 95.45, "2024-10-02": 95.40, "2024-11-08": 95.50}),
    ]
    return fedwatch_history(futures_curve_from_series(export), CALENDAR, RANGES)


def test_expected_target_after_each_meeting_is_a_series():
    series = {s.id: s for s in history()}
    nov = series["rates:expected_rate_after:2024-11-07"]
    assert nov.unit == "percent" and nov.name == "Expected target after 2024-11-07 meeting"
    # 2024-10-01: 65% at 4.50-4.75 (midpoint 4.625), 35% at 4.75-5.00 (4.875)
    assert nov.values[0] == pytest.approx(0.65 * 4.625 + 0.35 * 4.875, abs=1e-12)
    # 2024-10-02: 55% cut
    assert nov.values[1] == pytest.approx(0.55 * 4.625 + 0.45 * 4.875, abs=1e-12)
    assert expected_target({"4.00": 0.5, "4.25": 0.5}) == pytest.approx(4.25)


def test_default_is_the_next_two_meetings_after_the_date():
    series = history()
    assert meetings_with_odds(series) == [np.datetime64("2024-11-07"), np.datetime64("2024-12-18")]
    rows, messages = odds_over_time(series, "2024-10-15")
    assert [str(r.meeting) for r in rows] == ["2024-11-07", "2024-12-18"]
    assert rows[0].p_cut_by == "rates:p_cut_by:2024-11-07"
    assert rows[0].expected_rate_after == "rates:expected_rate_after:2024-11-07"
    assert rows[0].implied_rate == "rates:implied_rate:2024-11-07"
    assert messages == []
    # after the November decision only December is left
    rows, _ = odds_over_time([s.id for s in series], "2024-11-07")
    assert [str(r.meeting) for r in rows] == ["2024-12-18"]


def test_picked_meetings_without_odds_are_named():
    rows, messages = odds_over_time(history(), "2024-10-01",
                                    ["2024-12-18", "2025-01-29", "2025-01-30"],
                                    calendar=CALENDAR)
    assert rows[0].ids == ["rates:p_cut_by:2024-12-18", "rates:expected_rate_after:2024-12-18",
                           "rates:implied_rate:2024-12-18"]
    assert rows[1].ids == [] and rows[2].ids == []
    assert [m.text for m in messages] == [
        "no rate-cut odds for the 2025-01-29 meeting: the futures loaded never price it",
        "2025-01-30 is not a meeting in the FOMC calendar: no odds for it",
    ]
    assert messages[1].file == "cal.csv"

"""Hand-worked FedWatch examples; the arithmetic is written out next to each expectation."""

from __future__ import annotations

import numpy as np
import pytest
from rates_fakes import contract

from core.rates import (
    FomcCalendar,
    TargetRangeHistory,
    fedwatch,
    futures_curve_from_series,
    sentences,
    step_split,
)

ZERO_BOUND = TargetRangeHistory.from_rows([("2008-12-16", 0.00, 0.25)])


def curve_of(prices: dict[str, float], day: str):
    return futures_curve_from_series([contract(c, p, day=day) for c, p in prices.items()])


def test_cme_september_2015_worked_example():
    """DOMAIN.md / CME paper: FFQ5 99.8675, FFU5 99.805, N = 30, m = 16 -> P(hike) 53.6%."""
    curve = curve_of({"FFQ5": 99.8675, "FFU5": 99.805}, "2015-09-01")
    calendar = FomcCalendar.from_dates(["2015-07-29", "2015-09-17", "2015-10-28"])
    result = fedwatch(curve, calendar, ZERO_BOUND, "2015-09-01")
    sep = result.meeting("2015-09-17")
    # August has no meeting: r_start = 100 - 99.8675 = 0.1325; r_avg = 100 - 99.805 = 0.195
    # r_end = (30 * 0.195 - 16 * 0.1325) / 14 = (5.85 - 2.12) / 14 = 3.73 / 14 = 0.266428...
    assert sep.method == "previous month"
    assert sep.r_start == pytest.approx(0.1325, abs=1e-12)
    assert sep.r_end == pytest.approx(3.73 / 14, abs=1e-12)
    assert round(sep.r_end, 5) == 0.26643
    # P(hike) = (0.266428 - 0.1325) / 0.25 = 0.535714 -> 53.6%
    assert round(100 * sep.p_hike, 1) == 53.6
    assert sep.p_hold == pytest.approx(1 - 0.13392857 / 0.25, abs=1e-7)
    assert sep.p_cut == 0
    assert sep.expected_change_bp == pytest.approx(13.392857, abs=1e-6)
    assert sep.distribution == pytest.approx({"0.00": 0.464286, "0.25": 0.535714}, abs=1e-6)
    assert sep.p_lower_than_now == 0
    # The October meeting (28th of 31 days) needs November's contract: beyond the curve.
    assert [str(m.meeting) for m in result.meetings] == ["2015-09-17"]
    assert result.current_range == (0.0, 0.25) and not result.range_inferred


CAL_2025 = FomcCalendar.from_dates(["2025-07-30", "2025-09-17", "2025-10-29", "2025-12-10"])
RANGE_2025 = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])


def test_a_cut_and_a_late_month_meeting_priced_from_the_next_month():
    prices = {"FFQ25": 95.67, "FFU25": 95.75, "FFV25": 95.90, "FFX25": 96.05}
    result = fedwatch(curve_of(prices, "2025-09-01"), CAL_2025, RANGE_2025, "2025-09-01")
    sep, oct_ = result.meetings[:2]
    # Sep 17 (N 30, m 16), no August meeting: r_start = 4.33, r_avg = 4.25
    # r_end = (30 * 4.25 - 16 * 4.33) / 14 = (127.5 - 69.28) / 14 = 58.22 / 14 = 4.158571
    assert sep.r_end == pytest.approx(58.22 / 14, abs=1e-12)
    # change = 4.158571 - 4.33 = -0.171429 = -0.685714 steps -> 68.57% cut, 31.43% hold
    p_sep_cut = (4.33 - 58.22 / 14) / 0.25
    assert sep.p_cut == pytest.approx(p_sep_cut, abs=1e-12)
    assert sep.p_hold == pytest.approx(1 - p_sep_cut, abs=1e-12)
    assert sep.p_hike == 0
    # Oct 29 (N 31, m 28): in the month's last 7 days, so r_end = 100 - FFX25 = 3.95 and
    # r_start = (31 * 4.10 - 3 * 3.95) / 28 = (127.1 - 11.85) / 28 = 115.25 / 28 = 4.116071
    assert oct_.method == "next month"
    assert oct_.r_end == pytest.approx(3.95, abs=1e-12)
    assert oct_.r_start == pytest.approx(115.25 / 28, abs=1e-12)
    p_oct_cut = (115.25 / 28 - 3.95) / 0.25  # 0.664286
    assert oct_.p_cut == pytest.approx(p_oct_cut, abs=1e-12)
    # Chained from today's 4.25-4.50: after Sep {4.00: .6857, 4.25: .3143}; after Oct
    # 3.75 = cut, cut; 4.00 = cut, hold + hold, cut; 4.25 = hold, hold.
    expected = {
        "3.75": p_sep_cut * p_oct_cut,
        "4.00": p_sep_cut * (1 - p_oct_cut) + (1 - p_sep_cut) * p_oct_cut,
        "4.25": (1 - p_sep_cut) * (1 - p_oct_cut),
    }
    assert oct_.distribution == pytest.approx(expected, abs=1e-12)
    assert oct_.p_lower_than_now == pytest.approx(1 - expected["4.25"], abs=1e-12)
    # Dec 10 needs the December contract, which the export lacks: not listed.
    assert len(result.meetings) == 2
    assert sentences(result)[0].startswith("Sep cut odds 69% (2025-09-17 meeting")
    # cumulative September 68.57%: past near even, so it stands alone
    assert sentences(result)[1] == "Futures price a first cut by September (69%)"


def test_meeting_on_the_31st_uses_the_next_month_and_without_it_is_not_listed():
    calendar = FomcCalendar.from_dates(["2024-06-12", "2024-07-31", "2024-09-18"])
    ranges = TargetRangeHistory.from_rows([("2023-07-27", 5.25, 5.50)])
    prices = {"FFN24": 94.67, "FFQ24": 94.80}
    result = fedwatch(curve_of(prices, "2024-07-01"), calendar, ranges, "2024-07-01")
    (jul,) = result.meetings
    # N 31, m 30: r_end = 100 - 94.80 = 5.20; r_start = (31 * 5.33 - 1 * 5.20) / 30 = 160.03 / 30
    assert jul.r_end == pytest.approx(5.20, abs=1e-12)
    assert jul.r_start == pytest.approx(160.03 / 30, abs=1e-12)
    assert jul.p_cut == pytest.approx((160.03 / 30 - 5.20) / 0.25, abs=1e-12)  # 0.537333
    alone = fedwatch(curve_of({"FFN24": 94.67}, "2024-07-01"), calendar, ranges, "2024-07-01")
    assert alone.meetings == []  # August is past the curve's last month: outside the horizon


def test_consecutive_meeting_months_chain_end_rate_to_start_rate():
    calendar = FomcCalendar.from_dates(["2024-09-18", "2024-11-07", "2024-12-18", "2025-01-29"])
    ranges = TargetRangeHistory.from_rows([("2024-09-19", 4.75, 5.00)])
    prices = {"FFV24": 95.17, "FFX24": 95.30, "FFZ24": 95.45}
    result = fedwatch(curve_of(prices, "2024-10-01"), calendar, ranges, "2024-10-01")
    nov, dec = result.meetings
    # Nov 7 (N 30, m 6), no October meeting: r_start = 4.83, r_avg = 4.70
    # r_end = (30 * 4.70 - 6 * 4.83) / 24 = (141 - 28.98) / 24 = 112.02 / 24 = 4.6675
    assert nov.r_end == pytest.approx(4.6675, abs=1e-12)
    assert nov.steps == pytest.approx({-1: 0.65, 0: 0.35}, abs=1e-12)  # -0.1625 = -0.65 steps
    # Dec 18 (N 31, m 17): November and January both have meetings -> chained start 4.6675
    # r_end = (31 * 4.55 - 17 * 4.6675) / 14 = (141.05 - 79.3475) / 14 = 61.7025 / 14
    assert dec.method == "chained"
    assert dec.r_start == nov.r_end
    assert dec.r_end == pytest.approx(61.7025 / 14, abs=1e-12)
    # change = 4.407321 - 4.6675 = -0.260179 = -1.040714 steps -> 4.07% two cuts, 95.93% one
    two = (4.6675 - 61.7025 / 14) / 0.25 - 1
    assert dec.steps == pytest.approx({-2: two, -1: 1 - two}, abs=1e-12)
    assert dec.p_cut == pytest.approx(1.0)
    expected = {"4.00": 0.65 * two, "4.25": 0.65 * (1 - two) + 0.35 * two, "4.50": 0.35 * (1 - two)}
    assert dec.distribution == pytest.approx(expected, abs=1e-12)
    assert dec.p_lower_than_now == pytest.approx(1.0)
    # January (29th of 31) needs February: outside the curve, so not listed.
    assert [str(m.meeting) for m in result.meetings] == ["2024-11-07", "2024-12-18"]


def test_missing_contract_month_is_a_message_and_a_null_meeting():
    calendar = FomcCalendar.from_dates(["2024-09-18", "2024-11-07", "2024-12-18"])
    ranges = TargetRangeHistory.from_rows([("2024-09-19", 4.75, 5.00)])
    prices = {"FFX24": 95.30, "FFZ24": 95.45}  # no October contract
    result = fedwatch(curve_of(prices, "2024-10-01"), calendar, ranges, "2024-10-01")
    nov, dec = result.meetings
    assert not nov.priced and nov.p_cut is None and nov.distribution is None
    assert "FFV24 (Oct 2024)" in nov.note
    assert not dec.priced  # chained from November, which could not be priced
    warnings = [m.text for m in result.messages if m.level == "warning"]
    assert any("2024-11-07" in t and "FFV24 (Oct 2024)" in t for t in warnings)
    assert all(m.file == "desk_export.xlsx" for m in result.messages)


def test_multi_step_hike_chained_from_a_meeting_already_decided():
    """June 2022: the May meeting is past; its end rate (from expired Apr/May contracts)
    is June's start rate."""
    calendar = FomcCalendar.from_dates(["2022-03-16", "2022-05-04", "2022-06-15", "2022-07-27"])
    ranges = TargetRangeHistory.from_rows([("2022-05-05", 0.75, 1.00)])
    series = [
        contract("FFJ22", {"2022-04-29": 99.67}),  # April: final price
        contract("FFK22", {"2022-05-31": 99.23}),  # May: final price
        contract("FFM22", {"2022-06-01": 98.87}),
    ]
    result = fedwatch(futures_curve_from_series(series), calendar, ranges, "2022-06-01")
    (jun,) = result.meetings  # July 27 needs August: outside the curve
    # May 4 (N 31, m 3): r_end = (31 * 0.77 - 3 * 0.33) / 28 = 22.88 / 28 = 0.817143
    may_end = 22.88 / 28
    # Jun 15 (N 30, m 14), May has a meeting, July too: chained
    # r_end = (30 * 1.13 - 14 * 0.817143) / 16 = (33.9 - 11.44) / 16 = 1.40375
    assert jun.method == "chained"
    assert jun.r_start == pytest.approx(may_end, abs=1e-12)
    assert jun.r_end == pytest.approx(1.40375, abs=1e-12)
    # change 0.586607 = 2.346429 steps -> 65.36% +50 bp, 34.64% +75 bp
    three = (1.40375 - may_end) / 0.25 - 2
    assert jun.steps == pytest.approx({2: 1 - three, 3: three}, abs=1e-12)
    assert (jun.p_hike, jun.p_hold, jun.p_cut) == (pytest.approx(1.0), 0.0, 0)
    assert jun.distribution == pytest.approx({"1.25": 1 - three, "1.50": three}, abs=1e-12)
    assert jun.p_higher_than_now == pytest.approx(1.0) and jun.p_lower_than_now == 0
    assert not jun.stale  # final prices of expired contracts are not stale


def test_stale_price_is_flagged_on_the_meeting_and_in_a_message():
    series = [
        contract("FFQ5", {"2015-08-31": 99.8675}),
        contract("FFU5", {"2015-08-20": 99.805}),  # 8 business days before Sep 1
    ]
    calendar = FomcCalendar.from_dates(["2015-09-17"])
    result = fedwatch(futures_curve_from_series(series), calendar, ZERO_BOUND, "2015-09-01")
    (sep,) = result.meetings
    assert sep.priced and sep.stale and "FFU15 last priced 2015-08-20" in sep.note
    assert any("stale" in m.text for m in result.messages)


def test_range_inferred_from_the_front_month_when_no_history_covers_the_date():
    curve = curve_of({"FFQ5": 99.8675, "FFU5": 99.805}, "2015-09-01")
    calendar = FomcCalendar.from_dates(["2015-09-17"])
    later = TargetRangeHistory.from_rows([("2018-12-20", 2.25, 2.50)])
    result = fedwatch(curve, calendar, later, "2015-09-01")
    # Front month (September) implies 0.195%: the 25 bp range holding it is 0.00-0.25.
    assert result.current_range == (0.0, 0.25) and result.range_inferred
    assert any("inferred 0.00-0.25" in m.text for m in result.messages)
    assert fedwatch(curve, calendar, None, "2015-09-01").current_range == (0.0, 0.25)


def test_cut_below_zero_is_clipped_at_the_zero_bound():
    # 2020-style: range 0.00-0.25, market at 0.05 then implying -0.10% after the meeting.
    curve = curve_of({"FFQ20": 99.95, "FFU20": 100.03}, "2020-09-01")
    calendar = FomcCalendar.from_dates(["2020-09-16"])
    ranges = TargetRangeHistory.from_rows([("2020-03-16", 0.0, 0.25)])
    (sep,) = fedwatch(curve, calendar, ranges, "2020-09-01").meetings
    # r_end = (30 * -0.03 - 15 * 0.05) / 15 = -0.11; change -0.16 = -0.64 steps
    assert sep.r_end == pytest.approx(-0.11, abs=1e-12)
    assert sep.p_cut == pytest.approx(0.64, abs=1e-12)
    assert sep.distribution == pytest.approx({"0.00": 1.0})
    assert sep.p_lower_than_now == 0


def test_decision_on_the_asof_day_counts_as_decided():
    curve = curve_of({"FFQ5": 99.8675, "FFU5": 99.805}, "2015-09-17")
    calendar = FomcCalendar.from_dates(["2015-09-17"])
    assert fedwatch(curve, calendar, ZERO_BOUND, "2015-09-17").meetings == []


def test_before_the_first_price_there_is_a_message_and_no_meetings():
    curve = curve_of({"FFQ5": 99.8675}, "2015-09-01")
    result = fedwatch(curve, FomcCalendar.from_dates(["2015-09-17"]), ZERO_BOUND, "2015-01-01")
    assert result.meetings == [] and result.current_range is None
    assert result.messages


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (-0.15, {-1: 0.6, 0: 0.4}),
        (-0.60, {-3: 0.4, -2: 0.6}),
        (0.50, {2: 1.0}),
        (0.0, {0: 1.0}),
        (0.1, {0: 0.6, 1: 0.4}),
    ],
)
def test_step_split_between_the_two_nearest_step_counts(change, expected):
    assert step_split(change) == pytest.approx(expected, abs=1e-12)


def test_meeting_lookup_by_date():
    curve = curve_of({"FFQ5": 99.8675, "FFU5": 99.805}, "2015-09-01")
    result = fedwatch(curve, FomcCalendar.from_dates(["2015-09-17"]), ZERO_BOUND, "2015-09-01")
    assert result.meeting(np.datetime64("2015-09-17")) is result.meetings[0]
    assert result.meeting("2015-10-28") is None

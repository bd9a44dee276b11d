"""The FedWatch matrix against the range distribution worked out independently: every
path of step counts through the meetings enumerated, its probability the product of the
meetings' step odds (hand-computed from the prices, arithmetic beside each)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from rates_fakes import contract

from core.rates import FomcCalendar, TargetRangeHistory, fedwatch, futures_curve_from_series
from core.rates.fedwatch_matrix import compare_matrices, fedwatch_matrix, matrix_from_block


def curve_of(prices: dict[str, float], day: str):
    return futures_curve_from_series([contract(c, p, day=day) for c, p in prices.items()])


def by_paths(start_lower: float, meetings_steps: list[dict[int, float]]
             ) -> list[dict[float, float]]:
    """Distribution of the lower bound after each meeting, path by path (zero floor:
    a lower bound below 0 counts as 0, cumulatively along the path)."""
    out = []
    for k in range(1, len(meetings_steps) + 1):
        dist: dict[float, float] = {}
        for path in itertools.product(*(s.items() for s in meetings_steps[:k])):
            level, p = round(start_lower / 0.25), 1.0
            for step, ps in path:
                level = max(0, level + step)
                p *= ps
            dist[level * 0.25] = dist.get(level * 0.25, 0.0) + p
        out.append(dist)
    return out


def row_as_dict(matrix, i: int) -> dict[float, float]:
    return {float(lo): float(p) for lo, p in zip(matrix.lower_bounds, matrix.probabilities[i],
                                                  strict=True) if p > 1e-15}


def test_two_meetings_cut_sep_and_oct_2025():
    calendar = FomcCalendar.from_dates(["2025-07-30", "2025-09-17", "2025-10-29", "2025-12-10"])
    ranges = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])
    prices = {"FFQ25": 95.67, "FFU25": 95.75, "FFV25": 95.90, "FFX25": 96.05}
    result = fedwatch(curve_of(prices, "2025-09-01"), calendar, ranges, "2025-09-01")
    matrix = fedwatch_matrix(result)
    # Sep 17: r_start 4.33, r_end (30*4.25 - 16*4.33)/14 = 58.22/14 -> cut p = (4.33 - r_end)/0.25
    p_sep = (4.33 - 58.22 / 14) / 0.25  # 0.685714
    # Oct 29 (late): r_end 3.95, r_start (31*4.10 - 3*3.95)/28 = 115.25/28
    p_oct = (115.25 / 28 - 3.95) / 0.25  # 0.664286
    assert list(matrix.meetings.astype(str)) == ["2025-09-17", "2025-10-29"]
    assert matrix.range_labels == ["3.75-4.00", "4.00-4.25", "4.25-4.50"]
    assert matrix.current_column == 2
    expected = by_paths(4.25, [{-1: p_sep, 0: 1 - p_sep}, {-1: p_oct, 0: 1 - p_oct}])
    assert row_as_dict(matrix, 0) == pytest.approx(expected[0], abs=1e-12)
    assert row_as_dict(matrix, 1) == pytest.approx(expected[1], abs=1e-12)
    # 3.75 after October = cut, cut
    assert matrix.probabilities[1, 0] == pytest.approx(p_sep * p_oct, abs=1e-12)
    # expected target: midpoints 3.875, 4.125, 4.375 weighted
    sep_mid = p_sep * 4.125 + (1 - p_sep) * 4.375
    assert matrix.expected_rates[0] == pytest.approx(sep_mid, abs=1e-12)
    assert matrix.p_lower_than_now == pytest.approx([p_sep, 1 - (1 - p_sep) * (1 - p_oct)])
    assert matrix.implied_rates == pytest.approx([58.22 / 14, 3.95])
    assert np.allclose(matrix.probabilities.sum(axis=1), 1.0)


def test_three_meetings_with_a_chained_middle_one():
    calendar = FomcCalendar.from_dates(["2024-09-18", "2024-11-07", "2024-12-18", "2025-01-29"])
    ranges = TargetRangeHistory.from_rows([("2024-09-19", 4.75, 5.00)])
    prices = {"FFV24": 95.17, "FFX24": 95.30, "FFZ24": 95.45, "FFF25": 95.60, "FFG25": 95.70}
    result = fedwatch(curve_of(prices, "2024-10-01"), calendar, ranges, "2024-10-01")
    matrix = fedwatch_matrix(result)
    # Nov 7: r_start 4.83, r_end (30*4.70 - 6*4.83)/24 = 4.6675: -0.65 steps
    # Dec 18 chained: r_end (31*4.55 - 17*4.6675)/14 = 61.7025/14: -1.040714 steps
    two = (4.6675 - 61.7025 / 14) / 0.25 - 1
    # Jan 29 (late): r_end 4.30, r_start (31*4.40 - 3*4.30)/28 = 123.5/28: -0.442857 steps
    p_jan = (123.5 / 28 - 4.30) / 0.25
    steps = [{-1: 0.65, 0: 0.35}, {-2: two, -1: 1 - two}, {-1: p_jan, 0: 1 - p_jan}]
    expected = by_paths(4.75, steps)
    assert list(matrix.meetings.astype(str)) == ["2024-11-07", "2024-12-18", "2025-01-29"]
    for i in range(3):
        assert row_as_dict(matrix, i) == pytest.approx(expected[i], abs=1e-12)
    # one cell by hand: 3.75 after January = -1, -2, -1 (four cuts) = 0.65 * two * p_jan
    assert matrix.probabilities[2, 0] == pytest.approx(0.65 * two * p_jan, abs=1e-12)
    assert matrix.lower_bounds[0] == 3.75 and matrix.lower_bounds[-1] == 4.75


def test_a_hike_puts_the_mass_above_todays_range():
    calendar = FomcCalendar.from_dates(["2022-03-16", "2022-05-04", "2022-06-15", "2022-07-27"])
    ranges = TargetRangeHistory.from_rows([("2022-05-05", 0.75, 1.00)])
    series = [contract("FFJ22", {"2022-04-29": 99.67}), contract("FFK22", {"2022-05-31": 99.23}),
              contract("FFM22", {"2022-06-01": 98.87})]
    result = fedwatch(futures_curve_from_series(series), calendar, ranges, "2022-06-01")
    matrix = fedwatch_matrix(result)
    # May end 22.88/28; June r_end 1.40375: +2.346429 steps
    three = (1.40375 - 22.88 / 28) / 0.25 - 2
    assert matrix.range_labels == ["0.75-1.00", "1.00-1.25", "1.25-1.50", "1.50-1.75"]
    assert matrix.current_column == 0  # today's range shown though nothing stays in it
    assert matrix.probabilities[0] == pytest.approx([0, 0, 1 - three, three], abs=1e-12)
    assert matrix.p_higher_than_now == pytest.approx([1.0])
    assert matrix.p_lower_than_now == pytest.approx([0.0])
    assert matrix.expected_rates[0] == pytest.approx((1 - three) * 1.375 + three * 1.625)


def test_cuts_below_zero_pile_up_at_the_zero_floor():
    calendar = FomcCalendar.from_dates(["2020-09-16", "2020-11-05"])
    ranges = TargetRangeHistory.from_rows([("2020-03-16", 0.25, 0.50)])  # hypothetical
    # Sep 16 (N 30, m 15), August has no meeting: r_start 0.375, r_avg 0.275
    # r_end = (30*0.275 - 15*0.375)/15 = 0.175: -0.20 = -0.8 steps
    # Nov 5 (N 30, m 4), October no meeting: r_start 0.175, r_avg 0.05/30
    # r_end = (0.05 - 4*0.175)/26 = -0.025: -0.20 = -0.8 steps
    prices = {"FFQ20": 99.625, "FFU20": 99.725, "FFV20": 99.825, "FFX20": 100 - 0.05 / 30}
    result = fedwatch(curve_of(prices, "2020-09-01"), calendar, ranges, "2020-09-01")
    matrix = fedwatch_matrix(result)
    expected = by_paths(0.25, [{-1: 0.8, 0: 0.2}, {-1: 0.8, 0: 0.2}])
    # after November: 0.00 = 0.64 + 0.16 + 0.16 (two cuts clipped to one) = 0.96
    assert expected[1] == pytest.approx({0.0: 0.96, 0.25: 0.04})
    assert matrix.range_labels == ["0.00-0.25", "0.25-0.50"]
    assert row_as_dict(matrix, 0) == pytest.approx(expected[0], abs=1e-12)
    assert row_as_dict(matrix, 1) == pytest.approx(expected[1], abs=1e-12)
    assert matrix.expected_rates[1] == pytest.approx(0.96 * 0.125 + 0.04 * 0.375)


def test_matrix_from_the_report_block_and_the_difference_against_an_earlier_date():
    from core.rates import report_block

    calendar = FomcCalendar.from_dates(["2025-07-30", "2025-09-17", "2025-10-29", "2025-12-10"])
    ranges = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])
    now = {"FFQ25": 95.67, "FFU25": 95.75, "FFV25": 95.90, "FFX25": 96.05}
    then = {"FFQ25": 95.67, "FFU25": 95.70, "FFV25": 95.80, "FFX25": 95.95}  # fewer cuts
    series = [contract(c, {"2025-08-01": then[c], "2025-09-01": now[c]}) for c in now]
    curve = futures_curve_from_series(series)
    a = fedwatch_matrix(fedwatch(curve, calendar, ranges, "2025-09-01"))
    b = fedwatch_matrix(fedwatch(curve, calendar, ranges, "2025-08-01"))
    block = report_block([], "2025-09-01", calendar, ranges, curve=curve, with_sentences=False)
    from_block = matrix_from_block(block)
    assert from_block.range_labels == a.range_labels
    assert np.allclose(from_block.probabilities, a.probabilities, atol=1e-6)
    assert from_block.current_range == (4.25, 4.50)
    assert matrix_from_block(None) is None
    # B, Aug 1: Sep r_start 4.33, r_avg 4.30: r_end (30*4.30 - 16*4.33)/14 = 59.72/14
    p_sep_b = (4.33 - 59.72 / 14) / 0.25  # 0.257143
    p_sep_a = (4.33 - 58.22 / 14) / 0.25
    diff = compare_matrices(a, b)
    assert diff.b.probabilities[0] == pytest.approx([0, p_sep_b, 1 - p_sep_b], abs=1e-12)
    assert diff.difference[0, 1] == pytest.approx(p_sep_a - p_sep_b, abs=1e-12)
    assert diff.difference[0].sum() == pytest.approx(0.0, abs=1e-12)


def test_a_meeting_b_does_not_price_is_a_nan_row_and_ranges_are_the_union():
    calendar = FomcCalendar.from_dates(["2025-09-17", "2025-10-29"])
    ranges = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])
    both = {"FFQ25": 95.67, "FFU25": 95.75, "FFV25": 95.90, "FFX25": 96.05}
    a = fedwatch_matrix(fedwatch(curve_of(both, "2025-09-01"), calendar, ranges, "2025-09-01"))
    short = {k: both[k] for k in ("FFQ25", "FFU25")}  # no Oct/Nov: October not priced
    b = fedwatch_matrix(fedwatch(curve_of(short, "2025-09-01"), calendar, ranges, "2025-09-01"))
    diff = compare_matrices(a, b)
    assert list(b.meetings.astype(str)) == ["2025-09-17"]
    assert np.isnan(diff.b.probabilities[1]).all() and np.isnan(diff.difference[1]).all()
    assert diff.a.range_labels == ["3.75-4.00", "4.00-4.25", "4.25-4.50"]


def test_no_priced_meeting_gives_an_empty_matrix():
    calendar = FomcCalendar.from_dates(["2025-09-17"])
    ranges = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])
    result = fedwatch(curve_of({"FFQ25": 95.67}, "2025-09-01"), calendar, ranges, "2025-09-01")
    matrix = fedwatch_matrix(result)
    assert len(matrix.meetings) == 0 and matrix.probabilities.shape == (0, 1)
    assert matrix.expected_rates.size == 0

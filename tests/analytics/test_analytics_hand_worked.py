"""Hand-worked examples: the arithmetic is written out here, not taken from the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest
from analytics_cases import make_series

from core.analytics import Window, WindowEngine
from core.series import Frequency

DAYS = np.array(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"],
                dtype="datetime64[D]")
PRICES = np.array([100.0, 110.0, 99.0, 99.0, 121.0])


@pytest.fixture
def table():
    s = make_series("px", DAYS, PRICES, frequency=Frequency.DAILY)
    return WindowEngine([s]).figures(Window.parse("2024-01-01:2024-01-05"))


def test_levels_and_extremes(table):
    v = lambda f: table.value("px", f)  # noqa: E731
    assert v("start_value") == 100.0 and v("end_value") == 121.0
    assert v("change") == 21.0  # 121 - 100
    assert v("return_pct") == pytest.approx(21.0)  # 100 * (121/100 - 1)
    assert v("min") == 99.0
    assert v("min_date") == np.datetime64("2024-01-03")  # 99 twice: the earliest date
    assert v("max") == 121.0 and v("max_date") == np.datetime64("2024-01-05")
    assert v("rally_from_low_pct") == pytest.approx(100 * (121 / 99 - 1))  # 22.2222...
    assert v("off_high_pct") == pytest.approx(0.0)
    # running peak 110 on 01-02, then 99: 100 * (99/110 - 1) = -10%
    assert v("max_drawdown_pct") == pytest.approx(-10.0)
    assert v("count") == 5


def test_volatility(table):
    # log returns: ln(1.1), ln(0.9), ln(1), ln(121/99)
    r = [math.log(1.1), math.log(0.9), 0.0, math.log(121 / 99)]
    mean = sum(r) / 4
    var = sum((x - mean) ** 2 for x in r) / 3
    assert table.value("px", "vol_ann_pct") == pytest.approx(math.sqrt(var * 252) * 100, rel=1e-12)


def test_lookback_percentile_and_zscore(table):
    # lookback (2021-01-05, 2024-01-05] holds all five values; 5 of them <= 121
    assert table.value("px", "percentile") == pytest.approx(100.0)
    mean = (100 + 110 + 99 + 99 + 121) / 5  # 105.8
    std = math.sqrt(((100 - mean) ** 2 + (110 - mean) ** 2 + 2 * (99 - mean) ** 2
                     + (121 - mean) ** 2) / 4)
    assert table.value("px", "lookback_mean") == pytest.approx(105.8, rel=1e-14)
    assert table.value("px", "lookback_std") == pytest.approx(std, rel=1e-14)
    assert table.value("px", "zscore") == pytest.approx((121 - mean) / std, rel=1e-12)
    # 121 is above everything before it: a record (null); lowest since: 99 on 01-04 <= 121
    assert table.value("px", "highest_since") is None
    assert table.value("px", "lowest_since") == np.datetime64("2024-01-04")


def test_highest_since_looks_before_the_window():
    s = make_series("si", ["2021-11-15", "2022-06-30", "2025-06-30", "2025-07-15"],
                    [16.5, 12.0, 14.0, 16.0], frequency=Frequency.TWICE_MONTHLY)
    t = WindowEngine([s]).figures(Window.parse("2025-07-01:2025-07-31"))
    # one observation: start = end, change 0, return 0, no volatility
    assert t.value("si", "count") == 1
    assert t.value("si", "change") == 0.0 and t.value("si", "return_pct") == 0.0
    assert t.value("si", "max_drawdown_pct") == 0.0
    assert t.value("si", "vol_ann_pct") is None
    # 16.0: the last value >= 16.0 before 2025-07-15 is 16.5 on 2021-11-15
    assert t.value("si", "highest_since") == np.datetime64("2021-11-15")
    assert t.value("si", "lowest_since") == np.datetime64("2025-06-30")  # 14.0 <= 16.0
    # 36-month lookback (2022-07-15, 2025-07-15] holds 14.0 and 16.0: both <= 16.0
    assert t.value("si", "percentile") == 100.0
    assert t.value("si", "zscore") == pytest.approx((16 - 15) / math.sqrt(2))


def test_lookback_edge_is_the_same_day_36_months_earlier():
    # the lookback of 2024-02-29 starts after 2021-02-28 (month end clamp): that day is out
    s = make_series("x", ["2021-02-28", "2021-03-01", "2024-02-29"], [5.0, 1.0, 2.0],
                    frequency=Frequency.IRREGULAR)
    t = WindowEngine([s]).figures(Window.parse("2024-02-29:2024-02-29"))
    assert t.value("x", "percentile") == pytest.approx(100.0)  # {1, 2}: both <= 2
    assert t.value("x", "lookback_mean") == pytest.approx(1.5)


def test_non_positive_window_nulls_ratio_figures():
    s = make_series("net", DAYS, [-5.0, 3.0, 0.0, 4.0, 2.0])
    t = WindowEngine([s]).figures(Window.parse("2024-01-01:2024-01-05"))
    for f in ("return_pct", "rally_from_low_pct", "off_high_pct", "max_drawdown_pct",
              "vol_ann_pct"):
        assert t.value("net", f) is None
    assert t.value("net", "change") == 7.0  # 2 - (-5)
    assert t.value("net", "min") == -5.0


def test_empty_window_is_all_null_with_count_zero():
    s = make_series("px", DAYS, PRICES)
    t = WindowEngine([s]).figures(Window.parse("2023-01-01:2023-12-31"))
    row = t.to_json()["px"]
    assert row.pop("count") == 0
    assert set(row.values()) == {None}


def test_nan_is_an_absent_observation():
    s = make_series("px", DAYS, [100.0, np.nan, 99.0, np.nan, 121.0])
    t = WindowEngine([s]).figures(Window.parse("2024-01-02:2024-01-05"))
    assert t.value("px", "count") == 2
    assert t.value("px", "start_date") == np.datetime64("2024-01-03")
    assert t.value("px", "highest_since") is None  # 121 > 100 and 99


def test_weekly_volatility_uses_52_periods():
    s = make_series("w", ["2024-01-02", "2024-01-09", "2024-01-16"], [10.0, 11.0, 10.0],
                    frequency=Frequency.WEEKLY)
    t = WindowEngine([s]).figures(Window.parse("2024-01-01:2024-01-31"))
    r1, r2 = math.log(1.1), math.log(10 / 11)
    mean = (r1 + r2) / 2
    var = (r1 - mean) ** 2 + (r2 - mean) ** 2  # ddof=1 with two returns: divide by 1
    assert t.value("w", "vol_ann_pct") == pytest.approx(math.sqrt(var * 52) * 100, rel=1e-12)


def test_irregular_volatility_from_median_spacing():
    # spacing 10, 10, 20 days: median 10 -> 36.525 periods a year
    s = make_series("i", ["2024-01-01", "2024-01-11", "2024-01-21", "2024-02-10"],
                    [1.0, 2.0, 1.0, 2.0], frequency=Frequency.IRREGULAR)
    t = WindowEngine([s]).figures(Window.parse("2024-01-01:2024-02-10"))
    r = [math.log(2), math.log(0.5), math.log(2)]
    mean = sum(r) / 3
    var = sum((x - mean) ** 2 for x in r) / 2
    assert t.value("i", "vol_ann_pct") == pytest.approx(math.sqrt(var * 36.525) * 100,
                                                        rel=1e-12)


@pytest.mark.parametrize("span", [3, 4, 20, 300, 900])
def test_volatility_of_nearly_constant_returns_stays_accurate(span):
    """Returns of 1% ± 1e-7: prefix sums would cancel catastrophically; the engine's
    accuracy guard recomputes such windows from their own returns."""
    import pandas as pd

    rng = np.random.default_rng(span)
    n = 1000
    days = np.datetime64("2020-01-01") + np.arange(n)
    values = 100 * np.exp(np.cumsum(0.01 + rng.normal(0, 1e-7, n)))
    e = WindowEngine([make_series("g", days, values)])
    for start in (0, 50, n - span):
        w = Window(days[start], days[start + span - 1])
        got = e.figures(w).value("g", "vol_ann_pct")
        px = pd.Series(values[start:start + span])
        want = np.log(px / px.shift(1)).dropna().std(ddof=1) * math.sqrt(252) * 100
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9)

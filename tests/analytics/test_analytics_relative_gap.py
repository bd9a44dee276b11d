"""compare / relative / gap / alignment / lookback changes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from analytics_cases import make_series

from core.analytics import Window, WindowEngine
from core.series import Frequency, PublicationLag

D = np.datetime64


def test_compare_diff_is_a_minus_b_with_null_dates():
    s = make_series("x", ["2024-01-02", "2024-06-03", "2025-01-02", "2025-06-02"],
                    [10.0, 12.0, 11.0, 15.0])
    e = WindowEngine([s])
    c = e.compare(Window.parse("2025-01-01:2025-06-30"), Window.parse("2024-01-01:2024-06-30"))
    assert c.diff.value("x", "change") == pytest.approx((15 - 11) - (12 - 10))
    assert c.diff.value("x", "end_date") is None
    assert e.compare(Window.parse("2025-01-01:2025-06-30"), None).b is None


def test_relative_pct_and_as_of_line():
    # a daily, b weekly (lower frequency: the line joins on b's dates)
    a = make_series("a", ["2025-01-06", "2025-01-07", "2025-01-13", "2025-01-14"],
                    [100.0, 104.0, 110.0, 121.0])
    b = make_series("b", ["2025-01-07", "2025-01-14"], [50.0, 55.0], frequency=Frequency.WEEKLY)
    r = WindowEngine([a, b]).relative("a", "b", Window.parse("2025-01-06:2025-01-14"))
    # returns: a 121/100 - 1 = 21%, b 55/50 - 1 = 10%: 100 * (1.21/1.10 - 1) = 10%
    assert r.relative_pct == pytest.approx(10.0)
    assert list(r.dates) == [D("2025-01-07"), D("2025-01-14")]
    # a/b on 01-07 = 104/50, on 01-14 = 121/55: rebased 100 * (121/55) / (104/50)
    assert r.line[0] == 100.0
    assert r.line[1] == pytest.approx(100 * (121 / 55) / (104 / 50))


def test_relative_never_uses_a_later_observation():
    a = make_series("a", ["2025-01-06", "2025-01-10"], [100.0, 200.0])
    b = make_series("b", ["2025-01-08"], [1.0], frequency=Frequency.WEEKLY)
    r = WindowEngine([a, b]).relative("a", "b", Window.parse("2025-01-01:2025-01-31"))
    # on 01-08 a is 100 (01-06); the 200 of 01-10 is later and must not appear
    assert list(r.dates) == [D("2025-01-08")] and r.line[0] == 100.0


def _z(values: pd.Series, t: pd.Timestamp, months: int) -> float:
    lb = values[(values.index > t - pd.DateOffset(months=months)) & (values.index <= t)]
    return (lb.iloc[-1] - lb.mean()) / lb.std(ddof=1)


def test_gap_against_pandas():
    rng = np.random.default_rng(5)
    days = np.datetime64("2018-01-02") + 7 * np.arange(300)
    small = np.cumsum(rng.normal(0, 1, 300))
    tech = np.cumsum(rng.normal(0, 1, 300))
    series = [make_series("small", days, small, frequency=Frequency.WEEKLY),
              make_series("tech", days, tech, frequency=Frequency.WEEKLY)]
    e = WindowEngine(series, lookback_years=1.0)
    w = Window(days[200], days[250] + 3)
    g = e.gap("small", "tech", w)
    ps = pd.Series(small, index=pd.to_datetime(days.astype(str)))
    pt = pd.Series(tech, index=pd.to_datetime(days.astype(str)))
    gaps = pd.Series({t: _z(pt, t, 12) - _z(ps, t, 12) for t in ps.index[1:]}).dropna()
    t = pd.Timestamp(str(days[250]))
    assert g.date == days[250]
    assert g.gap == pytest.approx(gaps[t], rel=1e-9)
    upto = gaps[gaps.index <= t]
    assert g.percentile == pytest.approx(100 * (upto <= upto.iloc[-1]).mean())
    assert g.is_record == bool(upto.iloc[-1] >= upto.iloc[:-1].max())
    assert len(g.values) == len(gaps)
    assert g.dates[g.lo] >= w.start and g.dates[g.hi - 1] <= w.end
    empty = e.gap("small", "tech", Window.parse("2000-01-01:2000-12-31"))
    assert empty.gap is None and empty.is_record is None


def test_set_lookback_changes_lookback_figures_only():
    rng = np.random.default_rng(2)
    days = np.datetime64("2015-01-05") + 7 * np.arange(400)
    s = make_series("w", days, np.cumsum(rng.normal(0, 1, 400)), frequency=Frequency.WEEKLY)
    e = WindowEngine([s])
    w = Window(days[300], days[350])
    three = e.figures(w)
    e.set_lookback(1.0)
    one = e.figures(w)
    assert one.value("w", "change") == three.value("w", "change")
    # 12 months is 365 or 366 days; 52 weeks (364 days) back is still inside, 53 weeks
    # is not: the 1y lookback of days[350] is days[298..350]; 3y: 156 weeks, days[194..350]
    assert one.value("w", "lookback_mean") == pytest.approx(np.mean(s.values[298:351]))
    assert three.value("w", "lookback_mean") == pytest.approx(np.mean(s.values[194:351]))


def test_publication_alignment_uses_publication_dates():
    # short interest settles 2025-06-30, published 8 business days later (2025-07-10)
    s = make_series("si", ["2025-06-13", "2025-06-30"], [15.0, 16.0],
                    frequency=Frequency.TWICE_MONTHLY, lag=PublicationLag(business_days=8))
    e = WindowEngine([s])
    w = Window.parse("2025-06-01:2025-07-05")
    assert e.figures(w).value("si", "end_value") == 16.0
    e.set_alignment("publication")
    t = e.figures(w)
    assert t.value("si", "end_value") == 15.0  # 16.0 was not yet known on 2025-07-05
    assert t.value("si", "end_date") == D("2025-06-25")
    with pytest.raises(ValueError):
        e.set_alignment("later")


def test_many_series_of_different_lengths_share_one_layout():
    rng = np.random.default_rng(9)
    series = []
    for i, n in enumerate([0, 1, 2, 3, 5, 64, 65, 300, 1025]):
        days = np.datetime64("2010-01-01") + np.cumsum(rng.integers(1, 4, n))
        series.append(make_series(f"s{i}", days, 100 + np.cumsum(rng.normal(0, 1, n))))
    e = WindowEngine(series)
    w = Window.parse("2010-02-01:2011-06-30")
    t = e.figures(w)
    for s in series:
        inside = (s.dates >= w.start) & (s.dates <= w.end)
        assert t.value(s.id, "count") == inside.sum()
        if inside.any():
            assert t.value(s.id, "max") == s.values[inside].max()
            assert t.value(s.id, "end_value") == s.values[inside][-1]
    assert math.isnan(t.values[0, 0])  # the empty series

"""No figure may use an observation dated after the window end."""

from __future__ import annotations

import numpy as np
from analytics_cases import business_days, make_series
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics import FIGURE_NAMES, Window, WindowEngine
from core.series import Frequency


def _universe(rng, n):
    days = business_days("2015-01-01", n)
    price = 50 * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
    net = np.cumsum(rng.normal(0, 3, n))
    weekly_days = days[::5]
    pos = np.cumsum(rng.normal(0, 2, len(weekly_days)))
    return [
        make_series("price", days, price),
        make_series("net", days, net),
        make_series("pos", weekly_days, pos, frequency=Frequency.WEEKLY),
    ]


def _mutated_after(series, end, rng):
    """Same series; every observation after ``end`` replaced by noise (some NaN, some
    negative) and a year of extra observations appended."""
    out = []
    for s in series:
        values = s.values.copy()
        after = s.dates > end
        values[after] = rng.normal(0, 1e4, after.sum())
        values[after & (rng.random(len(values)) < 0.1)] = np.nan
        extra_days = max(s.dates[-1], end) + np.arange(1, 366)
        extra = rng.normal(0, 1e4, len(extra_days))
        out.append(make_series(s.id, np.concatenate([s.dates, extra_days]),
                               np.concatenate([values, extra]), frequency=s.frequency))
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(30, 1500))
def test_figures_ignore_everything_after_the_window_end(seed, n):
    rng = np.random.default_rng(seed)
    series = _universe(rng, n)
    i, j = np.sort(rng.integers(0, n, 2))
    days = series[0].dates
    window = Window(days[i], days[j])
    before = WindowEngine(series, lookback_years=1.0).figures(window)
    after_series = _mutated_after(series, window.end, rng)
    after = WindowEngine(after_series, lookback_years=1.0).figures(window)
    # exact equality: every figure, bit for bit, NaN where NaN
    np.testing.assert_array_equal(before.values, after.values, err_msg=str(window))
    assert before.figure_names == FIGURE_NAMES


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_relative_line_and_gap_ignore_later_observations(seed):
    rng = np.random.default_rng(seed)
    series = _universe(rng, 800)
    days = series[0].dates
    window = Window(days[300], days[rng.integers(301, 700)])
    e1 = WindowEngine(series, lookback_years=0.5)
    e2 = WindowEngine(_mutated_after(series, window.end, rng), lookback_years=0.5)
    r1, r2 = e1.relative("price", "pos", window), e2.relative("price", "pos", window)
    np.testing.assert_array_equal(r1.line, r2.line)
    np.testing.assert_array_equal(r1.dates, r2.dates)
    g1, g2 = e1.gap("net", "pos", window), e2.gap("net", "pos", window)
    assert (g1.date, g1.gap, g1.percentile, g1.is_record) == (
        g2.date, g2.gap, g2.percentile, g2.is_record)

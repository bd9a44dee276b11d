"""Property tests: the fast engine agrees with the plain pandas reference on random data
(gaps, negative values, ties, NaNs, one-point windows, windows outside the data)."""

from __future__ import annotations

import numpy as np
from analytics_cases import check_against_reference, make_series
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.analytics import Window, WindowEngine
from core.series import Frequency

FREQS = [Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.IRREGULAR]


@st.composite
def series_case(draw, sid: str):
    n = draw(st.integers(0, 70))
    first = draw(st.integers(18_000, 18_400))
    gaps = draw(st.lists(st.integers(1, 12), min_size=n, max_size=n))
    days = first + np.cumsum(np.array(gaps, dtype=np.int64)) if n else np.zeros(0, np.int64)
    positive = draw(st.booleans())
    # values on a 0.25 grid: frequent ties, exact zero dispersion when constant
    start = draw(st.integers(1, 400)) if positive else draw(st.integers(-200, 200))
    steps = draw(st.lists(st.integers(-12, 12), min_size=n, max_size=n))
    values = (start + np.cumsum(np.array(steps, dtype=float))) * 0.25
    if positive:
        values = np.maximum(values, 0.25)
    nan_at = draw(st.lists(st.integers(0, max(n - 1, 0)), max_size=5)) if n else []
    values[nan_at] = np.nan
    freq = draw(st.sampled_from(FREQS))
    return make_series(sid, days.astype("datetime64[D]"), values, frequency=freq)


@st.composite
def windows(draw, lo: int, hi: int, anchor_days: list[int]):
    kind = draw(st.sampled_from(["random", "point", "outside"]))
    if kind == "point" and anchor_days:
        d = draw(st.sampled_from(anchor_days))
        return Window(np.datetime64(d, "D"), np.datetime64(d, "D"))
    if kind == "outside":
        a = draw(st.integers(lo - 400, lo - 1))
        return Window(np.datetime64(a, "D"), np.datetime64(a + draw(st.integers(0, 50)), "D"))
    a = draw(st.integers(lo - 20, hi + 20))
    b = draw(st.integers(a, hi + 40))
    return Window(np.datetime64(a, "D"), np.datetime64(b, "D"))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_matches_pandas_reference(data):
    k = data.draw(st.integers(1, 4))
    series = [data.draw(series_case(f"s{i}")) for i in range(k)]
    months = data.draw(st.sampled_from([1, 3, 12, 36]))
    engine = WindowEngine(series, lookback_years=months / 12)
    all_days = [int(d) for s in series for d in s.dates.astype(np.int64)]
    lo, hi = (min(all_days), max(all_days)) if all_days else (18_000, 18_100)
    for _ in range(4):
        w = data.draw(windows(lo, hi, all_days))
        problems = check_against_reference(engine, series, w, months)
        assert not problems, f"{w}: " + "; ".join(problems[:5])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(300, 900))
def test_long_random_walks_match_reference(seed, n):
    """Longer series exercise the higher levels of every range structure."""
    rng = np.random.default_rng(seed)
    days = np.datetime64("2001-01-01") + np.cumsum(rng.integers(1, 5, n))
    price = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
    net = np.round(rng.normal(0, 10, n).cumsum(), 1)
    series = [make_series("p", days, price), make_series("n", days, net,
                                                         frequency=Frequency.WEEKLY)]
    engine = WindowEngine(series)
    for _ in range(10):
        a, b = np.sort(rng.integers(0, n, 2))
        w = Window(days[a], days[b] + rng.integers(0, 3))
        problems = check_against_reference(engine, series, w, 36)
        assert not problems, f"{w}: " + "; ".join(problems[:5])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_series_figures_are_the_same_alone_and_among_others(data):
    """The precomputations run over all series at once on the flat layout; a series'
    figures must not depend on the others loaded, not even in the last bit."""
    k = data.draw(st.integers(2, 5))
    series = [data.draw(series_case(f"s{i}")) for i in range(k)]
    years = data.draw(st.sampled_from([0.25, 1.0, 3.0]))
    together = WindowEngine(series, lookback_years=years)
    all_days = [int(d) for s in series for d in s.dates.astype(np.int64)]
    lo, hi = (min(all_days), max(all_days)) if all_days else (18_000, 18_100)
    for _ in range(3):
        w = data.draw(windows(lo, hi, all_days))
        table = together.figures(w)
        for s in series:
            alone = WindowEngine([s], lookback_years=years).figures(w)
            np.testing.assert_array_equal(table.values[table.series_ids.index(s.id)],
                                          alone.values[0], err_msg=s.id)

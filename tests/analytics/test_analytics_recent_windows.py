"""The engine reuses the table of a window asked for again (B while A is dragged): the
reused table is the same numbers as a fresh computation, and nobody can change it."""

from __future__ import annotations

import numpy as np
import pytest
from analytics_cases import business_days, make_series

from core.analytics import Window, WindowEngine


def _engine() -> WindowEngine:
    rng = np.random.default_rng(7)
    days = business_days("2018-01-01", 1500)
    return WindowEngine([make_series("p", days, 50 * np.exp(np.cumsum(rng.normal(0, 0.02, 1500)))),
                         make_series("n", days, np.cumsum(rng.normal(0, 3, 1500)))])


def test_repeated_window_reuses_its_table_and_it_is_read_only() -> None:
    eng = _engine()
    b = Window(np.datetime64("2019-03-01"), np.datetime64("2020-03-01"))
    first = eng.figures(b)
    for k in range(10):  # A moves, B is asked for on every step
        eng.compare(Window(np.datetime64("2020-03-02") + k, np.datetime64("2021-03-01") + k), b)
        assert eng.figures(b) is first
    with pytest.raises(ValueError, match="read-only"):
        first.values[0, 0] = 1.0


def test_evicted_and_fresh_tables_agree_with_a_new_engine() -> None:
    eng, fresh = _engine(), _engine()
    windows = [Window(np.datetime64("2018-06-01") + 30 * k, np.datetime64("2019-06-01") + 30 * k)
               for k in range(12)]
    for w in windows + windows[::-1]:  # more windows than are kept: recomputed after eviction
        np.testing.assert_array_equal(eng.figures(w).values, fresh.figures(w).values)
        assert eng.figures(w).window == w

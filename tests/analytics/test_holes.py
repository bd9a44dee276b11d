"""A hole in a series' dates is where its line breaks (core.holes)."""

from __future__ import annotations

import numpy as np

from core.holes import joins


def _days(*spans: tuple[str, str, int]) -> np.ndarray:
    out = [np.arange(np.datetime64(a), np.datetime64(b), step) for a, b, step in spans]
    return np.concatenate(out).astype("datetime64[D]").astype(np.int64)


def test_weekly_reports_break_across_the_months_between_two_files():
    x = _days(("2024-01-02", "2024-07-31", 7), ("2024-12-03", "2025-03-31", 7))
    j = joins(x)
    last_summer = int(np.flatnonzero(x < np.datetime64("2024-08-01").astype(np.int64))[-1])
    assert j is not None and not j[last_summer]
    assert j.sum() == len(x) - 2  # that hole and the end, nothing else
    assert joins(x * 86400.0, per_day=86400.0).tolist() == j.tolist()  # chart seconds


def test_business_days_weekends_and_a_skipped_week_do_not_break():
    days = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-12-31"))
    bdays = days[np.is_busday(days)]
    bdays = bdays[(bdays < np.datetime64("2024-05-06")) | (bdays > np.datetime64("2024-05-12"))]
    assert joins(bdays.astype(np.int64)) is None
    weekly = _days(("2024-01-02", "2024-03-01", 7), ("2024-03-15", "2024-06-01", 7))
    assert joins(weekly) is None  # one missing report is no hole


def test_a_month_without_daily_prices_breaks_once():
    x = _days(("2024-01-02", "2024-03-01", 1), ("2024-04-02", "2024-05-01", 1))
    j = joins(x)
    assert j is not None and (~j[:-1]).sum() == 1
    assert x[int(np.flatnonzero(~j[:-1])[0])] == np.datetime64("2024-02-29").astype(np.int64)

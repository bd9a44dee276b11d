"""Properties of the FedWatch computation over generated curves and calendars."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rates_fakes import contract

from core.rates import (
    FomcCalendar,
    TargetRangeHistory,
    contract_label,
    fedwatch,
    futures_curve_from_series,
    step_split,
)

ASOF = "2025-01-02"
FIRST_MONTH = (2025, 1)


def _month(k: int) -> tuple[int, int]:
    index = FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + k
    return index // 12, index % 12 + 1


@st.composite
def calendars(draw) -> list[str]:
    """At most one meeting a month, in months 1..n of the curve (month 0 has none)."""
    n_months = draw(st.integers(min_value=3, max_value=18))
    with_meeting = draw(st.lists(st.booleans(), min_size=n_months, max_size=n_months))
    days = []
    for k, has in enumerate(with_meeting, start=1):
        if has:
            year, month = _month(k)
            day = draw(st.integers(min_value=1, max_value=28))
            days.append(f"{year:04d}-{month:02d}-{day:02d}")
    return days


def _curve(prices: list[float]):
    series = [contract(contract_label(_month(k)), p, day=ASOF) for k, p in enumerate(prices)]
    return futures_curve_from_series(series)


@settings(max_examples=150, deadline=None)
@given(
    meetings=calendars(),
    lower_quarters=st.integers(min_value=0, max_value=22),
    position=st.floats(min_value=0.01, max_value=0.99),
)
def test_flat_curve_at_the_effective_rate_means_no_change_at_every_meeting(
    meetings, lower_quarters, position
):
    lower = lower_quarters * 0.25
    effective = lower + position * 0.25  # inside today's range
    # Contracts through two months past the last meeting, so late-month meetings are priced.
    prices = [100.0 - effective] * 21
    calendar = FomcCalendar.from_dates(meetings)
    ranges = TargetRangeHistory.from_rows([("2024-01-01", lower, lower + 0.25)])
    result = fedwatch(_curve(prices), calendar, ranges, ASOF)
    assert [str(m.meeting) for m in result.meetings] == meetings
    key = f"{lower:.2f}"
    for odds in result.meetings:
        assert odds.priced
        assert odds.p_hold == pytest.approx(1.0, abs=1e-9)
        assert odds.p_cut == pytest.approx(0.0, abs=1e-9)
        assert odds.p_hike == pytest.approx(0.0, abs=1e-9)
        assert odds.distribution == pytest.approx({key: 1.0}, abs=1e-9)
        assert odds.implied_rate == pytest.approx(effective, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(
    meetings=calendars(),
    prices=st.lists(st.floats(min_value=94.0, max_value=99.99), min_size=21, max_size=21),
    lower_quarters=st.integers(min_value=0, max_value=22),
)
def test_probabilities_are_distributions(meetings, prices, lower_quarters):
    lower = lower_quarters * 0.25
    calendar = FomcCalendar.from_dates(meetings)
    ranges = TargetRangeHistory.from_rows([("2024-01-01", lower, lower + 0.25)])
    result = fedwatch(_curve(prices), calendar, ranges, ASOF)
    for odds in result.meetings:
        assert odds.priced  # every contract month is present
        parts = (odds.p_cut, odds.p_hold, odds.p_hike)
        assert all(0.0 <= p <= 1.0 for p in parts)
        assert sum(parts) == pytest.approx(1.0, abs=1e-12)
        assert sum(odds.distribution.values()) == pytest.approx(1.0, abs=1e-12)
        assert all(0.0 <= p <= 1.0 + 1e-12 for p in odds.distribution.values())
        assert all(float(k) >= 0.0 for k in odds.distribution)  # zero floor
        assert 0.0 <= odds.p_lower_than_now <= 1.0 + 1e-12


@given(st.floats(min_value=-3.0, max_value=3.0, allow_nan=False))
def test_step_split_keeps_the_expected_change_and_uses_adjacent_steps(change):
    split = step_split(change)
    assert sum(split.values()) == pytest.approx(1.0, abs=1e-12)
    assert sum(0.25 * k * p for k, p in split.items()) == pytest.approx(change, abs=1e-9)
    assert max(split) - min(split) <= 1
    assert all(p >= 0 for p in split.values())
    assert np.floor(change / 0.25 + 1e-9) in split or round(change / 0.25) in split

"""A large catalog paints with the figures of what is on screen; the rest of the engine is
built a shard at a time off the GUI thread and the views pick each shard up."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import settle

from core.analytics import engine_set
from core.analytics.engine import WindowEngine
from core.catalog import LoadResult
from core.series import Frequency, Series, SeriesSource


@pytest.fixture
def large(monkeypatch):
    """Every catalog counts as large: the first paint builds only the priority series,
    one shard per few series after it."""
    monkeypatch.setattr(engine_set, "FIRST_PAINT_OBSERVATIONS", 0)
    monkeypatch.setattr(engine_set, "SHARD_OBSERVATIONS", 2_000)


def _untagged(n: int = 8) -> LoadResult:
    """Series of no desk market (the bulk of a big catalog: built after the first paint)."""
    rng = np.random.default_rng(5)
    days = np.busday_offset(np.datetime64("2019-01-02"), np.arange(1500), roll="forward")
    series = [Series(f"other.xlsx:Data:S{k}", f"Other {k}", "pts", Frequency.DAILY,
                     SeriesSource("other.xlsx", "Data", f"S{k}"), days,
                     100 * np.exp(np.cumsum(rng.normal(0, 0.01, len(days)))), "other")
              for k in range(n)]
    return LoadResult("other.xlsx", series)


def _load_desk(window, *, budget: int | None = None):
    from gui_synthetic import desk_result

    if budget is not None:
        window.session.fill_budget = budget
    result = desk_result()
    window.session.add_results([result, _untagged()])
    settle(window)
    return result


def test_first_paint_holds_the_checked_series_and_the_fill_completes(window, large, qtbot):
    coverage: list[tuple[int, int]] = []
    window.session.figuresCoverage.connect(lambda b, t: coverage.append((b, t)))
    result = _load_desk(window)
    s = window.session
    engine = s.engine
    built_first = set(engine.series_ids)
    assert set(s.checked) <= built_first  # what the charts show has its figures at once
    assert s.wait_fill(60)
    assert engine is s.engine
    assert engine.pending_ids() == []
    assert len(coverage) >= 2
    assert coverage[-1] == (len(engine.all_ids),) * 2
    assert coverage[0][0] < coverage[-1][0]  # it grew shard by shard
    # the shown comparison covers every series, with one engine's numbers exactly
    settle(window)
    whole = WindowEngine([x for x in s.catalog if len(x)])
    table = s.comparison.a
    assert table.series_ids == whole.series_ids
    np.testing.assert_array_equal(table.values, whole.figures(s.window_a).values)
    assert len(result.series) <= len(table.series_ids)
    assert "for all" in window.statusBar().currentMessage()


def test_past_the_budget_a_checked_series_is_built_when_checked(window, large, qtbot):
    _load_desk(window, budget=0)
    s = window.session
    assert s.wait_fill(60)
    pending = s.engine.pending_ids()
    assert pending, "the budget of 0 leaves series unbuilt"
    assert "check a series" in window.statusBar().currentMessage()
    from gui import core_api

    built, total = len(s.engine.series_ids), len(s.engine.all_ids)
    assert core_api.provenance(s)["series_with_figures"] == f"{built:,} of {total:,}"
    assert built < total
    target = pending[0]
    assert np.isnan(s.comparison.a.number(target, "end_value"))
    s.set_checked([*s.checked, target])
    assert s.wait_fill(60)
    settle(window)
    assert s.engine.is_built(target)
    assert np.isfinite(s.comparison.a.number(target, "end_value"))


def test_a_shard_built_for_the_old_lookback_is_rebuilt_for_the_new(window, large, qtbot):
    _load_desk(window)
    s = window.session
    s.set_lookback(1.0)  # while the first shard builds (no derived positioning here)
    assert s.wait_fill(60)
    settle(window)
    assert s.engine.pending_ids() == []
    whole = WindowEngine([x for x in s.catalog if len(x)], lookback_years=1.0)
    np.testing.assert_array_equal(s.comparison.a.values, whole.figures(s.window_a).values)


def test_an_alignment_change_keeps_the_screen_and_refills_the_rest(window, large, qtbot):
    _load_desk(window)
    s = window.session
    assert s.wait_fill(60)
    s.set_alignment("publication")
    assert set(s.checked) <= set(s.engine.series_ids)  # what is on screen: at once
    assert s.engine.pending_ids()  # the rest: in the background
    assert s.wait_fill(60)
    settle(window)
    whole = WindowEngine([x for x in s.catalog if len(x)], alignment="publication")
    np.testing.assert_array_equal(s.comparison.a.values, whole.figures(s.window_a).values)

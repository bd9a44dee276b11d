"""EngineSet: a catalog's window engine built a shard at a time gives, bit for bit, the
figures, relative lines and gaps of one engine over every series."""

from __future__ import annotations

import numpy as np
import pytest
from analytics_cases import business_days, make_series

from core.analytics import Window, WindowEngine
from core.analytics.engine_set import DEFAULT_OBSERVATION_BUDGET, EngineSet, observation_budget
from core.series import Frequency


def _catalog(n: int = 9, seed: int = 3) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        length = int(rng.integers(40, 900))
        start = str(np.datetime64("2019-01-01") + int(rng.integers(0, 600)))
        values = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, length)))
        if k % 3 == 2:
            values[rng.integers(0, length, 5)] = np.nan  # holes: NaN dropped alike
        freq = Frequency.WEEKLY if k % 4 == 3 else Frequency.DAILY
        days = business_days(start, length) if freq is Frequency.DAILY else \
            np.datetime64(start, "D") + 7 * np.arange(length)
        out.append(make_series(f"s{k}", days, values, frequency=freq, kind="price"))
    return out


WINDOWS = [Window.parse("2020-03-02:2021-06-30"), Window.parse("2019-01-01:2023-12-29"),
           Window.parse("2021-01-04:2021-01-08"), Window.parse("1990-01-01:1990-02-01")]


def _sharded(series, groups, **kw) -> EngineSet:
    es = EngineSet(series, first=groups[0], **kw)
    for ids in groups[1:]:
        assert es.attach(es.build_shard(ids))
    return es


def test_sharded_figures_equal_one_engine_bit_for_bit():
    series = _catalog()
    whole = WindowEngine(series, lookback_years=2.0)
    es = _sharded(series, [["s4", "s1"], ["s8", "s0", "s2"], ["s3", "s5", "s6", "s7"]],
                  lookback_years=2.0)
    assert es.series_ids == whole.series_ids  # catalog order, whatever the build order
    assert es.pending_ids() == []
    for w in WINDOWS:
        np.testing.assert_array_equal(es.figures(w).values, whole.figures(w).values)
    c1, c2 = es.compare(WINDOWS[0], WINDOWS[1]), whole.compare(WINDOWS[0], WINDOWS[1])
    np.testing.assert_array_equal(c1.diff.values, c2.diff.values)


def test_partial_set_lists_built_series_only_and_values_match():
    series = _catalog()
    whole = WindowEngine(series)
    es = EngineSet(series, first=["s5", "s2"])
    assert es.series_ids == ("s2", "s5")
    assert es.pending_ids() == ["s0", "s1", "s3", "s4", "s6", "s7", "s8"]
    table = es.figures(WINDOWS[0])
    for sid in ("s2", "s5"):
        np.testing.assert_array_equal(table.row(sid), whole.figures(WINDOWS[0]).row(sid))
    assert np.isnan(table.number("s0", "end_value"))  # not built: NaN, not an error


def test_relative_and_gap_across_shards_and_unbuilt_series():
    series = _catalog()
    whole = WindowEngine(series)
    es = EngineSet(series, first=["s1"])
    es.attach(es.build_shard(["s6"]))
    w = WINDOWS[0]
    for a, b in (("s1", "s6"), ("s6", "s1"), ("s1", "s7")):  # s7: built on demand
        got, want = es.relative(a, b, w), whole.relative(a, b, w)
        assert got.relative_pct == want.relative_pct
        np.testing.assert_array_equal(got.dates, want.dates)
        np.testing.assert_array_equal(got.line, want.line)
    assert es.is_built("s7")
    got, want = es.gap("s0", "s6", w), whole.gap("s0", "s6", w)
    assert (got.date, got.gap, got.percentile, got.is_record) == \
        (want.date, want.gap, want.percentile, want.is_record)
    np.testing.assert_array_equal(got.values, want.values)


def test_lookback_and_alignment_changes_apply_to_every_shard():
    series = _catalog()
    es = _sharded(series, [["s0", "s1", "s2"], ["s3", "s4", "s5", "s6", "s7", "s8"]])
    es.figures(WINDOWS[0])  # cached, then invalidated by the change
    es.set_lookback(1.0)
    whole = WindowEngine(series, lookback_years=1.0)
    np.testing.assert_array_equal(es.figures(WINDOWS[0]).values,
                                  whole.figures(WINDOWS[0]).values)
    es.set_alignment("publication")
    whole.set_alignment("publication")
    np.testing.assert_array_equal(es.figures(WINDOWS[1]).values,
                                  whole.figures(WINDOWS[1]).values)


def test_a_change_with_keep_rebuilds_those_now_and_leaves_the_rest_pending():
    series = _catalog()
    es = _sharded(series, [["s0", "s1"], ["s2", "s3", "s4"]])
    es.set_alignment("publication", keep=["s3", "s0", "s8"])  # s8 was never built
    assert es.series_ids == ("s0", "s3")
    assert es.alignment == "publication"
    es.set_lookback(1.5, keep=["s3"])
    assert es.series_ids == ("s3",)
    while ids := es.next_shard(10**9):
        es.attach(es.build_shard(ids))
    whole = WindowEngine(series, lookback_years=1.5, alignment="publication")
    np.testing.assert_array_equal(es.figures(WINDOWS[1]).values,
                                  whole.figures(WINDOWS[1]).values)
    with pytest.raises(ValueError, match="alignment"):
        es.set_alignment("sideways")


def test_shard_built_for_an_old_lookback_is_refused():
    series = _catalog()
    es = EngineSet(series, first=["s0"])
    shard = es.build_shard(["s1", "s2"])  # on a worker thread, while ...
    es.set_lookback(5.0)                  # ... the user changed the lookback
    assert not es.attach(shard)
    assert es.series_ids == ("s0",)
    assert es.attach(es.build_shard(["s1", "s2"]))
    assert es.series_ids == ("s0", "s1", "s2")


def test_next_shard_takes_checked_first_then_catalog_order_within_budget():
    series = _catalog()
    es = EngineSet(series, first=[])
    counts = {s.id: es.observation_count(s.id) for s in series}
    assert counts["s2"] == int(np.isfinite(series[2].values).sum())
    # the checked series come first, whatever the budget
    assert es.next_shard(0, first=["s8", "s3"]) == ["s8", "s3"]
    budget = counts["s0"] + counts["s1"] + 1
    assert es.next_shard(budget) == ["s0", "s1"]
    es.attach(es.build_shard(["s0", "s1"]))
    assert es.built_observations == counts["s0"] + counts["s1"]
    assert es.next_shard(budget) == []  # the budget is spent
    # shards are cut at ``size`` observations (at least one series each)
    assert es.next_shard(10**9, size=1) == ["s2"]


def test_shards_grow_as_large_as_what_is_built(monkeypatch):
    from core.analytics import engine_set

    series = _catalog(12)
    es = EngineSet(series, first=[])
    smallest = min(es.observation_count(s.id) for s in series)
    monkeypatch.setattr(engine_set, "SHARD_OBSERVATIONS", smallest)
    sizes = []
    while ids := es.next_shard(10**9):
        before = es.built_observations
        es.attach(es.build_shard(ids))
        sizes.append(es.built_observations - before)
        # a shard holds at most what was built before it (or the minimum), plus the
        # one series that crosses the line
        assert sizes[-1] <= max(smallest, before) + max(es.observation_count(i) for i in ids)
    assert es.pending_ids() == []
    assert len(sizes) < len(series)  # fewer shards than series: they grew


def test_ensure_builds_missing_only():
    series = _catalog()
    es = EngineSet(series, first=["s0"])
    assert not es.ensure(["s0"])
    assert es.ensure(["s0", "s3", "nope"])
    assert es.series_ids == ("s0", "s3")


def test_observations_of_unbuilt_series_match_the_engine():
    series = _catalog()
    whole = WindowEngine(series)
    es = EngineSet(series, first=[])
    for sid in ("s2", "s3"):
        for got, want in zip(es.observations(sid), whole.observations(sid), strict=True):
            np.testing.assert_array_equal(got, want)


def test_default_set_is_one_engine_over_all():
    series = _catalog(4)
    es = EngineSet(series)
    assert es.pending_ids() == []
    assert es.series_ids == tuple(s.id for s in series)
    with pytest.raises(ValueError, match="unique"):
        EngineSet(series + series[:1])


def test_budget_from_environment(monkeypatch):
    monkeypatch.setenv("GAPWATCH_ENGINE_OBSERVATIONS", "12345")
    assert observation_budget() == 12345
    monkeypatch.setenv("GAPWATCH_ENGINE_OBSERVATIONS", "lots")
    assert observation_budget() == DEFAULT_OBSERVATION_BUDGET

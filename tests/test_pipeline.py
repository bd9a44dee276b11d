"""Files -> catalog: the sample yields its series plus derived rate-cut odds."""

from __future__ import annotations

import numpy as np

from core.pipeline import DERIVED_RATES_FILE, build_catalog, refresh_derived


def test_sample_builds_catalog_with_derived_odds(sample_xlsx, tmp_path, monkeypatch):
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    seen: list[float] = []
    catalog = build_catalog([sample_xlsx], progress=lambda f, _t: seen.append(f))
    kinds = {s.kind for s in catalog}
    assert {"price", "short_interest", "positioning", "ff_future", "probability"} <= kinds
    assert seen[-1] == 1.0
    assert seen == sorted(seen), "progress must not go backwards"
    sep = catalog["rates:p_cut_by:2025-09-17"]
    assert sep in catalog.series_of_file(DERIVED_RATES_FILE)
    assert np.all((sep.values >= 0) & (sep.values <= 100))
    # The sample's story: a September cut is a coin flip at the end of July 2025.
    assert 35 <= sep.values[-1] <= 75


def test_refresh_derived_drops_odds_when_futures_are_gone(sample_xlsx, tmp_path, monkeypatch):
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    catalog = build_catalog([sample_xlsx])
    for f in list(catalog.files):
        if f != DERIVED_RATES_FILE:
            catalog.remove_file(f)
    refresh_derived(catalog)
    assert len(catalog) == 0


def test_rates_sentence_compares_with_a_month_earlier(sample_xlsx, tmp_path, monkeypatch):
    from core.rates import report_block

    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    catalog = build_catalog([sample_xlsx])
    now = report_block(catalog, "2025-07-31")
    then = report_block(catalog, "2025-06-30")
    sep_now = next(m for m in now["meetings"] if m["meeting"] == "2025-09-17")
    sep_then = next(m for m in then["meetings"] if m["meeting"] == "2025-09-17")
    trend = "up" if sep_now["p_cut"] > sep_then["p_cut"] else "down"
    expected = (f"Sep cut odds {100 * sep_now['p_cut']:.0f}%, {trend} from "
                f"{100 * sep_then['p_cut']:.0f}% a month ago")
    assert now["sentences"][0].startswith(expected)


def test_odds_are_reused_while_the_futures_are_unchanged(sample_xlsx, tmp_path, monkeypatch):
    import core.pipeline as pipeline

    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    import core.rates as rates

    calls: list[int] = []

    original = rates.fedwatch_history

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(rates, "fedwatch_history", counting)
    pipeline._ODDS_CACHE.clear()
    catalog = build_catalog([sample_xlsx])
    first = catalog["rates:p_cut_by:2025-09-17"]
    refresh_derived(catalog)
    assert len(calls) == 1
    assert catalog["rates:p_cut_by:2025-09-17"] is first
    # A changed price is a different curve: the odds are computed again.
    ff = next(s for s in catalog if s.kind == "ff_future" and len(s) > 300)
    values = ff.values.copy()
    values[-1] -= 0.05
    from core.catalog import LoadResult
    from core.series import Series

    changed = Series(ff.id, ff.name, ff.unit, ff.frequency, ff.source, ff.dates, values,
                     ff.kind, ff.publication_lag, dict(ff.meta))
    catalog.add_series([changed], file="edited")
    refresh_derived(catalog)
    assert len(calls) == 2
    assert isinstance(pipeline._ODDS_CACHE.popitem()[1], LoadResult)


def test_catalog_version_changes_on_every_edit(sample_xlsx, tmp_path, monkeypatch):
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    catalog = build_catalog([sample_xlsx])
    seen = {catalog.version}
    file = next(f for f in catalog.files if f != DERIVED_RATES_FILE)
    series = catalog.series_of_file(file)
    from core.catalog import LoadResult

    catalog.add(LoadResult(file=file, series=series))  # a reload, same ids
    seen.add(catalog.version)
    catalog.remove_file(file)
    seen.add(catalog.version)
    assert len(seen) == 3


def test_report_block_reuses_a_given_curve(sample_xlsx, tmp_path, monkeypatch):
    from core.rates import futures_curve_from_series, report_block

    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    catalog = build_catalog([sample_xlsx])
    curve = futures_curve_from_series(catalog)
    full = report_block(catalog, "2025-07-31")
    quick = report_block(catalog, "2025-07-31", curve=curve, with_sentences=False)
    assert quick["meetings"] == full["meetings"]
    assert quick["sentences"] == [] and full["sentences"]


def test_dated_exports_of_one_template_are_one_series_in_the_analysis_state(tmp_path, monkeypatch):
    """What the GUI's rebuild computes on: next week's export continues last week's."""
    from core.ingest import load_file
    from core.pipeline import analysis_state

    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path / "home"))
    paths = []
    for day, weeks in (("2025-07-22", 28), ("2025-07-29", 30)):
        lines = ["Date,RTY"] + [f"{np.datetime64('2025-01-07') + np.timedelta64(7 * w, 'D')},{2000 + w}"
                                for w in range(weeks)]
        path = tmp_path / f"desk_positioning_{day}.csv"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    results = [load_file(p) for p in paths]
    state = analysis_state(results, 3.0, "asof", engine_factory=lambda s, lb, al, first: None)
    ids = [sid for sid in state.catalog.ids if sid.startswith("desk_positioning")]
    assert ids == ["desk_positioning:csv:RTY"] and len(state.catalog["desk_positioning:csv:RTY"]) == 30
    assert [len(r.series[0]) for r in results] == [28, 30]  # the per-file results are untouched
    [change] = state.continued[str(paths[1])]
    assert change.series_id == "desk_positioning:csv:RTY" and len(change.dates_added) == 2

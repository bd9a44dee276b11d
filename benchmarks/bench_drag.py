"""Drag latency of the real main window, offscreen.

50 series x 25 years of daily data (in memory) in a Catalog; window A is dragged through
500 positions the way a mouse drag moves it; after each step the event loop runs until
the views are updated and repainted: the step ends only after the new figures reached
the views (``resultsReady``), the window was repainted (a Paint event on the navigator,
whose region moves on every step; every dirty widget is painted in that same pass) and
one more turn of the event loop ran whatever that pass scheduled (a late second paint). Reported:
median and p95 per step, unlocked and with B locked to "a year earlier", and the chart's
paints per step (1 = no view painted twice).

Throttled on purpose (the only views allowed to lag a drag): the desk note rewrites its
sentences at most every 40 ms (<= 25 Hz) and the rate-cut bars reprice when the drag
rests 150 ms and on release (repricing takes 15-35 ms on the sample; this benchmark has
no futures); the table, the charts and the navigator follow every step.

The obvious alternative, measured in the same run on the same drag: the naive full
update of the views per step - a model reset of the stats table painted by Qt's default
delegate, ``setData`` of every curve with rebased arrays and pyqtgraph's auto-range.
The window's own numbers (the engine's ``compare`` alone, and a pandas ``.loc`` slice
per series for the same figures) are printed for scale.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_drag.py [--steps 500]

Last line: ``drag median_ms=<ms> p95_ms=<ms> locked_median_ms=<ms> locked_p95_ms=<ms>``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GAPWATCH_HOME", tempfile.mkdtemp(prefix="gw_bench_"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from core.catalog import LoadResult  # noqa: E402
from core.series import Frequency, Series, SeriesSource  # noqa: E402

N_SERIES = 50
YEARS = 25
STEPS = 500
STEP_TIMEOUT_S = 2.0


def synthetic_result() -> LoadResult:
    rng = np.random.default_rng(2024)
    days = np.arange(np.datetime64("2000-01-03"), np.datetime64("2000-01-03") + 365 * YEARS + 6,
                     dtype="datetime64[D]")
    bdays = days[np.is_busday(days)]
    series = []
    for i in range(N_SERIES):
        values = 100 * np.exp(np.cumsum(rng.normal(0.0002, 0.012, len(bdays))))
        series.append(Series(f"S{i:02d}", f"Index {i:02d}", "index points", Frequency.DAILY,
                             SeriesSource("bench.xlsx", "Prices", f"S{i:02d}"), bdays, values,
                             "price"))
    return LoadResult(file="bench.xlsx", series=series)


class PaintCounter:
    """Counts Paint events of a few widgets (an event filter: it never changes them)."""

    def __init__(self, widgets: dict) -> None:
        from PySide6.QtCore import QEvent, QObject

        counts = self.counts = dict.fromkeys(widgets, 0)
        by_widget = {id(w): k for k, w in widgets.items()}

        class _Filter(QObject):
            def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint:
                    key = by_widget.get(id(obj))
                    if key is not None:
                        counts[key] += 1
                return False

        self._filter = _Filter()
        self.widgets = widgets
        for w in widgets.values():
            w.installEventFilter(self._filter)

    def remove(self) -> None:
        for w in self.widgets.values():
            w.removeEventFilter(self._filter)


def drag(window, app, locked: bool, steps: int, nav_index: int = 0
         ) -> tuple[np.ndarray, float, int, np.ndarray]:
    """Per-step wall ms, chart paints per step, steps that timed out waiting for a
    paint, per-step CPU ms of this process (tells a busy machine from slow code).
    ``nav_index``: the navigator's series; its history must span the data's, or the
    region leaves the navigator's view, nothing repaints and a step times out."""
    from gui.qt_dates import day_to_seconds

    session = window.session
    session.set_lock(locked)
    nav = window.navigator
    nav.series_combo.setCurrentIndex(nav_index)
    first, last = session.data_span()
    span = 365
    starts = np.linspace(day_to_seconds(first) + 400 * 86400.0,
                         day_to_seconds(last) - (span + 5) * 86400.0, steps)
    first_chart = window.charts.rows[window.charts.visible_rows[0]].widget.viewport()
    paints = PaintCounter({"navigator": nav.plot.viewport(), "chart": first_chart})
    times = np.empty(steps)
    cpu = np.empty(steps)
    updated = {"n": 0}

    def on_results() -> None:
        updated["n"] += 1

    session.resultsReady.connect(on_results)
    timeouts = 0
    try:
        for k, x0 in enumerate(starts):
            before = updated["n"]
            painted = paints.counts["navigator"]
            c0 = time.process_time()
            t0 = time.perf_counter()
            nav.drag_region("A", x0, x0 + span * 86400.0)
            while updated["n"] == before:  # until the recompute reached the views
                app.processEvents()
            while paints.counts["navigator"] == painted:  # until the window repainted
                app.processEvents()
                if time.perf_counter() - t0 > STEP_TIMEOUT_S:
                    timeouts += 1
                    break
            app.processEvents()  # and anything that pass scheduled (a late second paint)
            times[k] = (time.perf_counter() - t0) * 1000.0
            cpu[k] = (time.process_time() - c0) * 1000.0
        nav.release_region("A")
        app.processEvents()
    finally:
        session.resultsReady.disconnect(on_results)
        paints.remove()
    return times, paints.counts["chart"] / steps, timeouts, cpu


@contextlib.contextmanager
def naive_views(window) -> Iterator[None]:
    """The views updated the obvious way per step: a table model reset painted by Qt's
    default delegate, every curve's data replaced by the rebased array, auto-range on."""
    from PySide6.QtGui import QTransform
    from PySide6.QtWidgets import QStyledItemDelegate

    from gui.widgets.chart_row import ChartRow

    model = window.stats.model
    view = window.stats.view
    originals = {"set_comparison": model.set_comparison, "set_scale": ChartRow.set_scale,
                 "hold_y": ChartRow.hold_y, "freeze_y": ChartRow.freeze_y,
                 "delegate": view.itemDelegate()}
    raw: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def reset_comparison(comparison, names, rows=None) -> None:
        model._series_ids = []  # a shape change as far as the model knows: full reset
        originals["set_comparison"](comparison, names)

    def set_scale(row, cid: str, factor: float) -> None:
        curve = row.curves.get(cid)
        if curve is None:
            return
        x, y = raw.setdefault(id(curve), (curve.xData, curve.yData))
        if not curve.transform().isIdentity():
            curve.setTransform(QTransform())
        curve.setData(x, y * (factor if np.isfinite(factor) else 1.0))

    default_delegate = QStyledItemDelegate(view)
    model.set_comparison = reset_comparison
    ChartRow.set_scale = set_scale
    ChartRow.hold_y = lambda row, lo, hi: None
    ChartRow.freeze_y = lambda row: None
    view.setItemDelegate(default_delegate)
    for row in window.charts.rows.values():
        row.release_y()
    try:
        yield
    finally:
        del model.set_comparison
        ChartRow.set_scale = originals["set_scale"]
        ChartRow.hold_y = originals["hold_y"]
        ChartRow.freeze_y = originals["freeze_y"]
        view.setItemDelegate(originals["delegate"])
        for row in window.charts.rows.values():
            for cid, curve in row.curves.items():
                if id(curve) in raw:
                    curve.setData(*raw[id(curve)])
                    curve.setTransform(QTransform())
            row.release_y()
        window.session.recompute()


def pandas_alternative(result: LoadResult, steps: int = 20) -> float:
    """ms per step for first/last/min/max/std of every series with pandas .loc slices."""
    import pandas as pd

    frame = pd.DataFrame({s.id: s.values for s in result.series},
                         index=pd.DatetimeIndex(result.series[0].dates))
    idx = frame.index
    t0 = time.perf_counter()
    for k in range(steps):
        a, b = idx[400 + k * 10], idx[400 + k * 10 + 252]
        part = frame.loc[a:b]
        _ = (part.iloc[0], part.iloc[-1], part.min(), part.max(),
             np.log(part).diff().std(), (part.iloc[-1] / part.iloc[0] - 1))
    return (time.perf_counter() - t0) * 1000.0 / steps


REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
REAL_TARGET_MS = 12.0
REAL_TABLE_SERIES = 300


def real_catalog_case(app, steps: int) -> tuple[int, np.ndarray] | None:
    """The real catalog: every TFF file of shared/ plus the daily prices (~4,000 series
    with the derived measures), 300 series in the table; None without shared/."""
    from gui.main_window import MainWindow
    from gui.qt_application import settle

    files = sorted((REAL / "cftc_tff").glob("FinFut*")) + sorted((REAL / "cftc_tff").glob(
        "FinCom*")) + sorted((REAL / "prices_daily").glob("*.csv"))
    if not files:
        return None
    window = MainWindow(restore_layout=False)
    window.resize(1600, 1000)
    window.show()
    window.open_files([str(f) for f in files], sync=True)
    settle(window)
    t0 = time.perf_counter()
    window.session.wait_fill(900)  # the engine's background fill (EngineSet): drag the full set
    settle(window)
    built, total = window.session.figures_coverage()
    print(f"real catalog: window figures for {built:,} of {total:,} series, "
          f"{len(window.session.engine._shards)} shards, fill finished "
          f"{time.perf_counter() - t0:.1f} s after the first paint", flush=True)
    stats = window.stats
    stats.charted_only.setChecked(False)
    stats.proxy.set_only(frozenset(list(window.session.catalog.ids)[:REAL_TABLE_SERIES]))
    settle(window)
    # the navigator on the longest history: the drag spans the whole catalog's dates, and
    # a region outside the navigator's view paints nothing (each such step timed out)
    combo = window.navigator.series_combo
    catalog = window.session.catalog
    spans = [(catalog.get(combo.itemData(i)).last_date - catalog.get(combo.itemData(i)).first_date)
             .astype(int) for i in range(combo.count())]
    nav_index = int(np.argmax(spans))
    drag(window, app, False, min(steps, 50), nav_index)  # warm-up
    times, _paints, timeouts, _cpu = drag(window, app, False, steps, nav_index)
    print(f"real catalog: navigator on {combo.itemText(nav_index)!r}, {timeouts} steps "
          f"timed out waiting for a paint", flush=True)
    n = len(window.session.catalog)
    window.close()
    return n, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--no-real", action="store_true",
                        help="skip the real-catalog case (shared/data/real)")
    args = parser.parse_args(argv)
    steps = args.steps

    from gui.qt_application import ensure_app, settle
    from gui.main_window import MainWindow

    app = ensure_app()
    window = MainWindow(restore_layout=False)
    window.resize(1600, 1000)
    window.show()
    result = synthetic_result()
    t0 = time.perf_counter()
    window.session.add_result(result)
    settle(window)
    load_ms = (time.perf_counter() - t0) * 1000.0

    drag(window, app, False, min(steps, 100))  # warm-up (first paints, caches)
    free, free_paints, free_to, free_cpu = drag(window, app, False, steps)
    locked, locked_paints, locked_to, locked_cpu = drag(window, app, True, steps)
    with naive_views(window):
        drag(window, app, False, min(steps, 50))
        naive_free, naive_free_paints, _, naive_free_cpu = drag(window, app, False, steps)
        naive_locked, naive_locked_paints, _, naive_locked_cpu = drag(window, app, True, steps)

    engine = window.session.engine
    from core.analytics.window import Window

    t0 = time.perf_counter()
    for k in range(200):
        engine.compare(Window(np.datetime64("2005-01-03") + k, np.datetime64("2006-01-03") + k),
                       Window(np.datetime64("2004-01-03") + k, np.datetime64("2005-01-03") + k))
    compare_ms = (time.perf_counter() - t0) * 1000.0 / 200
    pandas_ms = pandas_alternative(result)
    window.close()
    real = None if args.no_real else real_catalog_case(app, min(steps, 200))

    def stats(a: np.ndarray) -> tuple[float, float]:
        return float(np.median(a)), float(np.percentile(a, 95))

    fm, fp = stats(free)
    lm, lp = stats(locked)
    nfm, nfp = stats(naive_free)
    nlm, nlp = stats(naive_locked)
    print(f"series={N_SERIES} years={YEARS} points/series={len(result.series[0])} "
          f"steps={steps} window=1600x1000 initial load+render={load_ms:.0f} ms")
    print("throttled during drags (stated, not hidden): desk note <= 25 Hz, rate-cut bars "
          "when the drag rests 150 ms / on release; table, charts, navigator every step")
    head = (f"{'case':<36}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}"
            f"{'cpu median ms':>15}{'chart paints/step':>19}{'timeouts':>9}")
    print(head)
    for label, t, p, to, c in (
            ("drag A (B free)", free, free_paints, free_to, free_cpu),
            ("drag A (B locked a year earlier)", locked, locked_paints, locked_to, locked_cpu),
            ("naive views, B free", naive_free, naive_free_paints, 0, naive_free_cpu),
            ("naive views, B locked", naive_locked, naive_locked_paints, 0, naive_locked_cpu)):
        m, p95 = stats(t)
        print(f"{label:<36}{m:>10.2f}{p95:>9.2f}{t.max():>9.2f}{np.median(c):>15.2f}"
              f"{p:>19.2f}{to:>9d}")
    print(f"ratio naive/ours (median): B free {nfm / fm:.1f}x, B locked {nlm / lm:.1f}x;"
          f" (p95): {nfp / fp:.1f}x, {nlp / lp:.1f}x")
    print(f"{'engine.compare A+B alone':<36}{compare_ms:>10.2f}")
    print(f"{'pandas .loc figures (obvious alt.)':<36}{pandas_ms:>10.2f}"
          f"   ratio pandas/engine = {pandas_ms / compare_ms:.1f}x")
    met = max(fm, lm) <= 8 and max(fp, lp) <= 16
    print(f"targets: median <= 8 ms, p95 <= 16 ms -> {'MET' if met else 'NOT MET'}")
    headroom = max(fm, lm) <= 4 and max(fp, lp) <= 8
    print(f"headroom (half the budget, so a 2x slower run still meets it): median <= 4 ms, "
          f"p95 <= 8 ms -> {'MET' if headroom else 'NOT MET'}")
    if real is not None:
        n, times = real
        rm, rp = stats(times)
        print(f"{'real catalog drag (' + str(n) + ' series)':<36}{rm:>10.2f}{rp:>9.2f}"
              f"{times.max():>9.2f}   target median <= {REAL_TARGET_MS:.0f} ms -> "
              f"{'MET' if rm <= REAL_TARGET_MS else 'NOT MET'}")
    print(f"drag median_ms={fm:.2f} p95_ms={fp:.2f} locked_median_ms={lm:.2f} "
          f"locked_p95_ms={lp:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

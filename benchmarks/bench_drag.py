"""Drag latency of the real main window, offscreen.

50 series x 25 years of daily data (in memory) in a Catalog; window A is dragged through
500 positions the way a mouse drag moves it; after each step the event loop runs until
the views are updated (the coalesced recompute has fired and the table, charts and note
have taken the new results). Reports median and p95 per step, unlocked and with B
locked to "a year earlier". For scale it also times the obvious alternative for the
stats: a pandas .loc slice + figures per series per step, in the same run.

Last line: ``drag median_ms=<ms> p95_ms=<ms> locked_median_ms=<ms> locked_p95_ms=<ms>``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
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


def drag(window, app, locked: bool) -> np.ndarray:
    from gui.dates import day_to_seconds

    session = window.session
    session.set_lock(locked)
    nav = window.navigator
    nav.series_combo.setCurrentIndex(0)
    first, last = session.data_span()
    span = 365
    starts = np.linspace(day_to_seconds(first) + 400 * 86400.0,
                         day_to_seconds(last) - (span + 5) * 86400.0, STEPS)
    times = np.empty(STEPS)
    updated = {"n": 0}
    session.resultsReady.connect(lambda: updated.__setitem__("n", updated["n"] + 1))
    for k, x0 in enumerate(starts):
        before = updated["n"]
        t0 = time.perf_counter()
        nav.drag_region("A", x0, x0 + span * 86400.0)
        while updated["n"] == before:  # until the coalesced recompute reached the views
            app.processEvents()
        app.processEvents()          # and the repaint it scheduled
        times[k] = (time.perf_counter() - t0) * 1000.0
    nav.release_region("A")
    return times


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


def main() -> int:
    from gui.app import ensure_app, settle
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
    drag(window, app, locked=False)  # warm-up (first paints, caches)
    free = drag(window, app, locked=False)
    locked = drag(window, app, locked=True)
    engine = window.session.engine
    from core.analytics.window import Window

    t0 = time.perf_counter()
    for k in range(200):
        engine.compare(Window(np.datetime64("2005-01-03") + k, np.datetime64("2006-01-03") + k),
                       Window(np.datetime64("2004-01-03") + k, np.datetime64("2005-01-03") + k))
    compare_ms = (time.perf_counter() - t0) * 1000.0 / 200
    pandas_ms = pandas_alternative(result)
    window.close()

    def stats(a: np.ndarray) -> tuple[float, float]:
        return float(np.median(a)), float(np.percentile(a, 95))

    fm, fp = stats(free)
    lm, lp = stats(locked)
    print(f"series={N_SERIES} years={YEARS} points/series={len(result.series[0])} "
          f"steps={STEPS} initial load+render={load_ms:.0f} ms")
    print(f"{'case':<34}{'median ms':>10}{'p95 ms':>10}{'max ms':>10}")
    print(f"{'drag A (B free)':<34}{fm:>10.2f}{fp:>10.2f}{free.max():>10.2f}")
    print(f"{'drag A (B locked a year earlier)':<34}{lm:>10.2f}{lp:>10.2f}{locked.max():>10.2f}")
    print(f"{'engine.compare A+B alone':<34}{compare_ms:>10.2f}")
    print(f"{'pandas .loc figures (obvious alt.)':<34}{pandas_ms:>10.2f}"
          f"   ratio pandas/engine = {pandas_ms / compare_ms:.1f}x")
    print(f"targets: median <= 8 ms, p95 <= 16 ms -> "
          f"{'MET' if max(fm, lm) <= 8 and max(fp, lp) <= 16 else 'NOT MET'}")
    print(f"drag median_ms={fm:.2f} p95_ms={fp:.2f} locked_median_ms={lm:.2f} "
          f"locked_p95_ms={lp:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

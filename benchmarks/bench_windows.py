"""Window engine speed: all figures for all series per window, A and B = the prior year.

50 synthetic series x 25 years of business days; 1,000 random windows A, each with
B = the same span a year earlier, through ``WindowEngine.compare``. The plain pandas
reference (tests/analytics/reference.py) is timed in the same run on a subset of the
windows (it is slow), and the speed-up is the ratio of per-window medians.

    .venv/bin/python benchmarks/bench_windows.py [--windows 1000] [--ref-windows 20]
        [--cftc-markets 30]

Then the same windows with CFTC-like weekly series added (``--cftc-markets`` markets x 5
trader classes x net, net % OI, long, short), first alone, then with their derived
positioning measures (net notional USD, COT index, weekly changes:
``core.analytics.positioning_measures``), so the cost of the new series shows.

Last line: ``windows median_ms=<ms> p95_ms=<ms> vs_pandas=<speed-up>``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "analytics"))

from reference import reference_figures, to_pandas  # noqa: E402

from core.analytics import Window, WindowEngine  # noqa: E402
from core.analytics.presets import same_span_year_earlier  # noqa: E402
from core.series import Frequency, Series, SeriesSource  # noqa: E402


def synthetic_series(n_series: int, years: int, seed: int) -> list[Series]:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2000-01-03")
    days = np.arange(start, start + np.timedelta64(int(years * 365.25), "D"))
    days = days[np.is_busday(days)]
    out = []
    for i in range(n_series):
        if i % 5 == 4:  # a positioning-like series: crosses zero, no returns/drawdown
            values = np.round(np.cumsum(rng.normal(0, 1.5, len(days))), 2)
            kind = "positioning"
        else:
            values = 1000 * np.exp(np.cumsum(rng.normal(0.0002, 0.012, len(days))))
            kind = "price"
        out.append(Series(f"s{i:02d}", f"Series {i}", "pts", Frequency.DAILY,
                          SeriesSource("synthetic", None, f"s{i:02d}"), days, values, kind=kind))
    return out


def synthetic_cftc(n_markets: int, years: int, seed: int,
                   index_close: Series) -> tuple[list[Series], list[Series]]:
    """Weekly net/long/short/net % OI per market and TFF class, the first market tagged as
    E-mini Russell 2000 so its notional is made from ``index_close``; and the derived
    positioning measures of all of them."""
    from core.analytics.positioning_measures import positioning_measures
    from core.catalog import Catalog, LoadResult
    from core.ingest.cftc import TFF_CLASSES

    rng = np.random.default_rng(seed)
    start = np.datetime64("2000-01-04")
    weeks = start + 7 * np.arange(int(years * 52.18))
    out = [index_close]
    for m in range(n_markets):
        code = "239742" if m == 0 else f"9{m:05d}"
        oi = 400_000 + np.cumsum(rng.normal(0, 2_000, len(weeks))).clip(-300_000)
        for cls in TFF_CLASSES:
            long = 100_000 + np.round(np.cumsum(rng.normal(0, 3_000, len(weeks)))).clip(-90_000)
            short = 100_000 + np.round(np.cumsum(rng.normal(0, 3_000, len(weeks)))).clip(-90_000)
            per = {"long": long, "short": short, "net": long - short,
                   "net_pct_oi": 100 * (long - short) / oi}
            for measure, values in per.items():
                sid = f"cftc:{code}:{cls}:{measure}"
                out.append(Series(sid, sid, "contracts", Frequency.WEEKLY,
                                  SeriesSource("synthetic", None, sid), weeks, values,
                                  kind="positioning",
                                  meta={"cftc_code": code, "trader_class": cls,
                                        "measure": measure}))
    catalog = Catalog()
    catalog.add(LoadResult(file="synthetic", series=out))
    t0 = time.perf_counter()
    derived, _ = positioning_measures(catalog)
    print(f"positioning measures: {len(derived)} series derived in "
          f"{time.perf_counter() - t0:.2f} s")
    return out[1:], derived


def time_compare(engine, windows, repeat: int) -> np.ndarray:
    engine.compare(windows[0], same_span_year_earlier(windows[0]))  # warm-up
    fast = np.full(len(windows), np.inf)
    for _ in range(repeat):
        for i, a in enumerate(windows):
            engine._recent.clear()  # time the figures, not the engine's recent-window reuse
            t = time.perf_counter()
            engine.compare(a, same_span_year_earlier(a))
            fast[i] = min(fast[i], time.perf_counter() - t)
    return fast


def random_windows(series: list[Series], n: int, seed: int) -> list[Window]:
    rng = np.random.default_rng(seed)
    first = int(series[0].dates[0].astype(np.int64)) + 366
    last = int(series[0].dates[-1].astype(np.int64))
    out = []
    for _ in range(n):
        span = int(rng.integers(5, 5 * 365))
        end = int(rng.integers(first + span, last + 1))
        out.append(Window(np.datetime64(end - span, "D"), np.datetime64(end, "D")))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=50)
    ap.add_argument("--years", type=int, default=25)
    ap.add_argument("--windows", type=int, default=1000)
    ap.add_argument("--ref-windows", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cftc-markets", type=int, default=10,
                    help="CFTC-like markets (x5 classes) added for the positioning run; 0: none")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time each window this many times and keep the best (shared machines)")
    args = ap.parse_args()

    series = synthetic_series(args.series, args.years, args.seed)
    windows = random_windows(series, args.windows, args.seed + 1)
    n_obs = sum(len(s) for s in series)

    t0 = time.perf_counter()
    engine = WindowEngine(series)
    build_s = time.perf_counter() - t0

    fast = time_compare(engine, windows, args.repeat)

    pandas_series = [to_pandas(s.dates, s.values) for s in series]
    ref_windows = windows[: args.ref_windows]
    ref = np.empty(len(ref_windows))
    for i, a in enumerate(ref_windows):
        b = same_span_year_earlier(a)
        t = time.perf_counter()
        for ps in pandas_series:
            for w in (a, b):
                reference_figures(ps, str(w.start), str(w.end), periods_per_year=252.0)
        ref[i] = time.perf_counter() - t
    fast_subset = fast[: len(ref_windows)]

    med, p95 = np.median(fast) * 1e3, np.percentile(fast, 95) * 1e3
    ref_med = np.median(ref) * 1e3
    speedup = ref_med / med
    lookback_note = f"lookback {engine.lookback_years:g}y"
    rows = [
        ("data", f"{len(series)} series x {args.years}y business days = {n_obs:,} observations"),
        ("engine build", f"{build_s:.2f} s ({lookback_note}, all precomputations), "
                         f"{engine.nbytes() / 2**20:.0f} MiB of arrays"),
        ("windows", f"{len(windows)} random A (5 days..5 years) + B = A a year earlier"),
        ("fast engine compare(A,B)",
         f"median {med:.3f} ms  p95 {p95:.3f} ms  max {fast.max() * 1e3:.3f} ms"
         f"  (best of {args.repeat} per window)"),
        ("  same, ref subset", f"median {np.median(fast_subset) * 1e3:.3f} ms"),
        ("pandas reference (A,B)",
         f"median {ref_med:.1f} ms  on the first {len(ref_windows)} windows only (slow), "
         "timed once"),
        ("speed-up vs pandas", f"{speedup:,.0f}x  (target >= 20x)"),
        ("target median <= 1 ms", "met" if med <= 1.0 else "NOT met"),
    ]
    if args.cftc_markets:
        close = series[0]
        close.meta = {"ticker": "RTY"}  # the index close the notional of market 0 uses
        close.name = "Russell 2000 Close"
        raw, derived = synthetic_cftc(args.cftc_markets, args.years, args.seed + 2, close)
        rows.append(("with CFTC-like series", f"{args.cftc_markets} markets x 5 classes x "
                     f"(net, net % OI, long, short) = {len(raw)} weekly series; then "
                     f"+{len(derived)} derived positioning measures"))
        for label, extra in (("  raw CFTC only", raw), ("  + derived measures", raw + derived)):
            t0 = time.perf_counter()
            big = WindowEngine(series + extra)
            build = time.perf_counter() - t0
            timed = time_compare(big, windows, args.repeat)
            rows.append((label, f"build {build:.2f} s, {big.nbytes() / 2**20:.0f} MiB; "
                                f"compare(A,B) median {np.median(timed) * 1e3:.3f} ms  "
                                f"p95 {np.percentile(timed, 95) * 1e3:.3f} ms"))
            del big
    width = max(len(r[0]) for r in rows)
    for name, text in rows:
        print(f"{name:<{width}}  {text}")
    print(f"windows median_ms={med:.3f} p95_ms={p95:.3f} vs_pandas={speedup:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

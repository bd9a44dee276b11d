"""Vintage-store benchmark (run on demand, not a test).

    .venv/bin/python benchmarks/bench_store.py [--series 4000] [--years 20] [--per-file 100]
                                                [--freq daily|weekly]

Generates (once, cached in the temp folder) ``series / per-file`` desk workbooks (.xlsx,
dated names ``desk_block_NN_2025-07-22.xlsx``), each a title row, a header row and
``years`` of business days (or Tuesdays) x ``per-file`` random-walk columns. Then:

1. parses them all (cache off) and records each into a fresh vintage store (the write);
2. records next week's exports (every series one new day, one revised value in ten
   series): the weekly write and how much the store grew;
3. cold opens, each in a fresh process (process start -> catalog ready; the OS file
   cache is warm for all three):
   - from the store (``catalog_from_store``), no file parsed;
   - from the source files (``load_files`` with the parse cache off: what an app
     without a store does);
   - from the parse cache (``load_files`` with its npz cache warm: the other embedded
     option this app already has, one file per source file).
4. the app itself, process start -> the main window painted with all of it (offscreen): from
   the store (``--from-store``), from the files with the parse cache warm, and from the
   files parsed (a fresh data folder: no cache).
Prints a table and, LAST, one machine-readable line:
``store series=<n> observations=<n> open_store_s=<s> open_parse_s=<s> ratio=<parse/store>
open_cache_s=<s> write_s=<s> weekly_write_s=<s> store_mb=<MB> weekly_growth_kb=<kB>
paint_store_s=<s> paint_parse_s=<s> paint_ratio=<parse/store>``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from first_paint_probe import first_paint_seconds  # noqa: E402

BENCH_DIR = Path(tempfile.gettempdir()) / "gapwatch_bench"
EXPORT_DAY = "2025-07-22"
NEXT_DAY = "2025-07-29"


def observation_days(years: int, freq: str) -> np.ndarray:
    end = np.datetime64("2025-07-18", "D")
    start = end - np.timedelta64(int(years * 365.25), "D")
    if freq == "weekly":
        first = start + np.timedelta64((1 - (start.astype(np.int64) - 4) % 7) % 7, "D")  # a Tuesday
        return np.arange(first, end + 1, np.timedelta64(7, "D"))
    return np.arange(start, end + 1, dtype="datetime64[D]")[np.is_busday(np.arange(start, end + 1))]


def write_block(path: Path, days: np.ndarray, cols: int, seed: int) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    rng = np.random.default_rng(seed)
    values = np.round(100.0 * np.exp(np.cumsum(rng.normal(0, 0.01, size=(len(days), cols)), axis=0)), 4)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["Desk export (synthetic benchmark)"])
    ws.append(["Date"] + [f"Series {seed:02d}-{j + 1:03d}" for j in range(cols)])
    dates = days.astype(object).tolist()
    for i, day in enumerate(dates):
        cell = WriteOnlyCell(ws, value=day)
        cell.number_format = "yyyy-mm-dd"
        ws.append([cell, *values[i].tolist()])
    tmp = path.with_suffix(".part")
    wb.save(tmp)
    tmp.replace(path)


def source_files(n_series: int, years: int, per_file: int, freq: str) -> list[Path]:
    folder = BENCH_DIR / f"store_{n_series}x{years}y_{per_file}_{freq}"
    folder.mkdir(parents=True, exist_ok=True)
    days = observation_days(years, freq)
    paths = []
    blocks = -(-n_series // per_file)
    t0 = time.perf_counter()
    for b in range(blocks):
        cols = min(per_file, n_series - b * per_file)
        path = folder / f"desk_block_{b:02d}_{EXPORT_DAY}.xlsx"
        if not path.exists():
            write_block(path, days, cols, b)
        paths.append(path)
    took = time.perf_counter() - t0
    if took > 1:
        print(f"generated {blocks} workbooks in {took:.0f} s ({folder})")
    return paths


def next_week(result, revise: bool):
    """The same export a week later: one more day per series, one revised past value."""
    from core.series import Series

    out = []
    for k, s in enumerate(result.series):
        dates = np.append(s.dates, s.dates[-1] + np.timedelta64(7 if len(s) < 2 or
                          int(s.dates[-1].astype(np.int64) - s.dates[-2].astype(np.int64)) > 4 else 3, "D"))
        values = np.append(s.values, s.values[-1] * 1.001)
        if revise and k % 10 == 0:
            values = values.copy()
            values[-5] += 0.5
        out.append(dataclasses.replace(s, dates=dates, values=values))
        assert isinstance(out[-1], Series)
    return dataclasses.replace(result, file=result.file.replace(EXPORT_DAY, NEXT_DAY), series=out,
                               fingerprint=(result.fingerprint or "") + "-next")


_OPEN = {
    "store": ("from core.vintages import catalog_from_store, VintageStore\n"
              "c = catalog_from_store(VintageStore(sys.argv[1]))"),
    "parse": ("from core.ingest import load_files\nfrom core.catalog import Catalog\n"
              "c = Catalog()\n[c.add(r) for r in load_files(json.loads(sys.argv[2]), use_cache=False)]"),
    "cache": ("from core.ingest import load_files\nfrom core.catalog import Catalog\n"
              "c = Catalog()\n[c.add(r) for r in load_files(json.loads(sys.argv[2]))]"),
}


def cold_open(kind: str, store: Path, paths: list[Path], home: Path) -> tuple[float, int, int]:
    """(seconds from process start to catalog ready, series, observations)."""
    code = ("import sys, json, time\n" + _OPEN[kind] +
            "\nprint(json.dumps([len(c), sum(len(s) for s in c)]))")
    env = {"PYTHONPATH": str(ROOT), "GAPWATCH_HOME": str(home), "PATH": "/usr/bin:/bin"}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(store), json.dumps([str(p) for p in paths])],
                         capture_output=True, text=True, env=env, check=True, cwd=ROOT)
    took = time.perf_counter() - t0
    n, obs = json.loads(out.stdout.strip().splitlines()[-1])
    return took, n, obs


def app_first_paint(argv: list[str], home: Path) -> float:
    """Seconds from process start to the main window's paint with every file loaded and
    the catalog built, charts drawn (``GAPWATCH_FIRST_PAINT=all``, offscreen): a long
    open from files paints its first files earlier, which is not the same data."""
    env = {"PYTHONPATH": str(ROOT), "GAPWATCH_HOME": str(home), "PATH": "/usr/bin:/bin",
           "QT_QPA_PLATFORM": "offscreen", "GAPWATCH_FIRST_PAINT": "all",
           "GAPWATCH_VINTAGES": "0"}
    return first_paint_seconds(argv, env)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--series", type=int, default=4000)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--freq", choices=("daily", "weekly"), default="daily")
    args = ap.parse_args()

    from core.ingest import load_file
    from core.vintages import VintageStore

    paths = source_files(args.series, args.years, args.per_file, args.freq)
    work = Path(tempfile.mkdtemp(prefix="gapwatch_store_bench_"))
    home = work / "home"
    store_file = work / "vintages.sqlite"
    parse_s = write_s = 0.0
    results = []
    with VintageStore(store_file) as store:
        for p in paths:
            t0 = time.perf_counter()
            result = load_file(p, use_cache=False)
            t1 = time.perf_counter()
            store.record(result)
            t2 = time.perf_counter()
            parse_s += t1 - t0
            write_s += t2 - t1
            results.append(result)
        n_series = sum(len(r.series) for r in results)
        n_obs = sum(len(s) for r in results for s in r.series)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size0 = store_file.stat().st_size
        t0 = time.perf_counter()
        revised = 0
        for r in results:
            revised += store.record(next_week(r, revise=True)).revised
        weekly_s = time.perf_counter() - t0
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size1 = store_file.stat().st_size
    del results
    # warm the parse cache for the third variant (the store variant never uses it)
    subprocess.run([sys.executable, "-c", "import sys, json\nfrom core.ingest import load_files\n"
                    "load_files(json.loads(sys.argv[1]))", json.dumps([str(p) for p in paths])],
                   env={"PYTHONPATH": str(ROOT), "GAPWATCH_HOME": str(home), "PATH": "/usr/bin:/bin"},
                   check=True, cwd=ROOT)
    rows = []
    try:
        for kind in ("store", "parse", "cache"):
            took, n, obs = cold_open(kind, store_file, paths, home)
            rows.append((kind, took, n, obs))
        paint_store = app_first_paint(["--from-store", str(store_file)], home)
        paint_cache = app_first_paint([str(p) for p in paths], home)
        paint_parse = app_first_paint([str(p) for p in paths], work / "fresh_home")  # no cache
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the store and cache: hundreds of MB
    print(f"{n_series} series, {n_obs:,} observations ({args.years} y {args.freq}) in {len(paths)} "
          f"workbooks; store {size0 / 1e6:.0f} MB")
    print(f"first load: parse {parse_s:.1f} s + store write {write_s:.1f} s (one transaction per file)")
    print(f"next week's {len(paths)} exports ({revised} revised values): write {weekly_s:.2f} s, "
          f"store +{(size1 - size0) / 1e3:.0f} kB")
    print(f"{'cold open (fresh process)':34s} {'seconds':>8s} {'series':>7s} {'observations':>13s}")
    labels = {"store": "from the vintage store (SQLite)", "parse": "from the source files (parse)",
              "cache": "from the parse cache (npz)"}
    for kind, took, n, obs in rows:
        print(f"{labels[kind]:34s} {took:8.2f} {n:7d} {obs:13,d}")
    print(f"{'app from the store -> first paint':34s} {paint_store:8.2f}")
    print(f"{'app from the files (npz cache) -> first paint':34s} {paint_cache:8.2f}")
    print(f"{'app from the files (parsed) -> first paint':34s} {paint_parse:8.2f}   "
          f"({paint_parse / paint_store:.1f}x the store)")
    t = {k: took for k, took, _, _ in rows}
    print(f"store series={n_series} observations={n_obs} open_store_s={t['store']:.2f} "
          f"open_parse_s={t['parse']:.2f} ratio={t['parse'] / t['store']:.1f} "
          f"open_cache_s={t['cache']:.2f} write_s={write_s:.1f} weekly_write_s={weekly_s:.2f} "
          f"store_mb={size0 / 1e6:.0f} weekly_growth_kb={(size1 - size0) / 1e3:.0f} "
          f"paint_store_s={paint_store:.2f} paint_parse_s={paint_parse:.2f} "
          f"paint_ratio={paint_parse / paint_store:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load-time benchmark for core.ingest (run on demand, not a test).

    .venv/bin/python benchmarks/bench_load.py [--rows 20000] [--cols 100] [--long-rows 200000]

Generates (once, cached in the temp folder) a desk-style wide workbook -- a title row, a
header row, then ``rows`` business days from 1950 x ``cols`` series -- and a long-layout
workbook (date, ticker, field, value). Measures in the same run, per file:

- Gapwatch ``load_file`` with the cache disabled (file -> list of Series),
- the same with big sheets read in one piece (``GAPWATCH_SHEET_PIECES=1``: what a
  one-core machine gets; by default they are cut into pieces parsed on several cores),
- ``pandas.read_excel(engine="openpyxl")`` (the obvious alternative),
- a raw python-calamine read (``load_workbook`` + ``to_python`` of the sheet): the floor,
- the cached reopen through ``load_file``,
and the peak memory of the Gapwatch load (tracemalloc). Targets: Gapwatch <= 0.15x
pandas/openpyxl, <= 1.2x raw calamine, reopen <= 0.1 s.

The LAST line printed is machine-readable:
``load vs_openpyxl=<ratio> vs_calamine=<ratio> reopen_s=<seconds> peak_mb=<MB>``
(ratios and memory from the wide file, the headline case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCH_DIR = Path(tempfile.gettempdir()) / "gapwatch_bench"


def business_days(start: str, count: int) -> list[dt.date]:
    days = np.busday_offset(np.datetime64(start, "D"), np.arange(count), roll="forward")
    return days.astype("datetime64[D]").astype(object).tolist()


def write_wide(path: Path, rows: int, cols: int) -> None:
    """Title row, header row, then dates down column A and one random walk per column."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    rng = np.random.default_rng(1)
    values = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.01, size=(rows, cols)), axis=0))
    values = np.round(values, 4)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Closes")
    ws.append(["Desk export: daily closes (synthetic benchmark)"])
    ws.append(["Date"] + [f"Series {j + 1:03d}" for j in range(cols)])
    date_cell = WriteOnlyCell(ws)
    date_cell.number_format = "yyyy-mm-dd"
    for i, day in enumerate(business_days("1950-01-02", rows)):
        cell = WriteOnlyCell(ws, value=day)
        cell.number_format = "yyyy-mm-dd"
        ws.append([cell, *values[i].tolist()])
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)


def write_long(path: Path, rows: int) -> None:
    """Long layout: Date, Ticker, Field, Value; tickers x fields cycle over business days."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    tickers = [f"TICK{k:02d}" for k in range(20)]
    fields = ["PX_LAST", "PX_VOLUME"]
    per_day = len(tickers) * len(fields)
    days = business_days("1990-01-02", rows // per_day + 1)
    rng = np.random.default_rng(2)
    vals = np.round(rng.normal(100, 5, size=rows), 4).tolist()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Long")
    ws.append(["Date", "Ticker", "Field", "Value"])
    for i in range(rows):
        day, rest = divmod(i, per_day)
        t, f = divmod(rest, len(fields))
        cell = WriteOnlyCell(ws, value=days[day])
        cell.number_format = "yyyy-mm-dd"
        ws.append([cell, tickers[t], fields[f], vals[i]])
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    os.replace(tmp, path)


def ensure_files(rows: int, cols: int, long_rows: int) -> tuple[Path, Path]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    wide = BENCH_DIR / f"desk_wide_{rows}x{cols}.xlsx"
    long = BENCH_DIR / f"desk_long_{long_rows}.xlsx"
    if not wide.exists():
        t = time.perf_counter()
        write_wide(wide, rows, cols)
        print(f"generated {wide} in {time.perf_counter() - t:.1f} s", flush=True)
    if not long.exists():
        t = time.perf_counter()
        write_long(long, long_rows)
        print(f"generated {long} in {time.perf_counter() - t:.1f} s", flush=True)
    return wide, long


def best_of(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def peak_mb(fn: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def measure(path: Path, repeat: int) -> dict[str, float]:
    import pandas as pd
    import python_calamine

    from core.ingest import load_file

    def gapwatch() -> None:
        result = load_file(path, use_cache=False)
        assert result.series, result.messages

    def raw_calamine() -> None:
        wb = python_calamine.load_workbook(str(path))
        wb.get_sheet_by_index(0).to_python(skip_empty_area=False)

    def pandas_openpyxl() -> None:
        pd.read_excel(path, engine="openpyxl", header=None)

    def gapwatch_one_piece() -> None:
        os.environ["GAPWATCH_SHEET_PIECES"] = "1"
        try:
            gapwatch()
        finally:
            del os.environ["GAPWATCH_SHEET_PIECES"]

    # Interleave the fast readers so background load hits them alike; keep the best.
    gw, cal, whole = [], [], []
    for _ in range(repeat):
        gw.append(best_of(gapwatch, 1))
        cal.append(best_of(raw_calamine, 1))
        whole.append(best_of(gapwatch_one_piece, 1))
    out = {"gapwatch_s": min(gw), "calamine_s": min(cal), "one_piece_s": min(whole),
           "openpyxl_s": best_of(pandas_openpyxl, 1)}
    load_file(path)  # fill the cache
    out["reopen_s"] = best_of(lambda: load_file(path), max(repeat, 3))
    assert load_file(path).from_cache
    out["peak_mb"] = peak_mb(gapwatch)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cols", type=int, default=100)
    parser.add_argument("--long-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    from core.ingest import sheet_pieces

    # Keep the user's real cache untouched: the reopen measurement uses a temp home.
    os.environ.setdefault("GAPWATCH_HOME", str(BENCH_DIR / "home"))
    wide, long = ensure_files(args.rows, args.cols, args.long_rows)
    results = {name: measure(path, args.repeat) for name, path in (("wide", wide), ("long", long))}

    head = (
        f"{'file':<6} {'gapwatch s':>10} {'1 piece s':>9} {'calamine s':>10} {'openpyxl s':>10} "
        f"{'vs_openpyxl':>11} {'vs_calamine':>11} {'1pc_vs_cal':>10} {'reopen s':>9} {'peak MB':>8}"
    )
    print(f"cores usable: {sheet_pieces.usable_cores()}; big sheets cut into up to "
          f"{sheet_pieces.MAX_PIECES} pieces of >= {sheet_pieces.MIN_PIECE_BYTES >> 20} MB XML")
    print(head)
    print("-" * len(head))
    for name, r in results.items():
        gw, cal = r["gapwatch_s"], r["calamine_s"]
        print(
            f"{name:<6} {gw:>10.3f} {r['one_piece_s']:>9.3f} {cal:>10.3f} {r['openpyxl_s']:>10.3f} "
            f"{gw / r['openpyxl_s']:>11.3f} {gw / cal:>11.3f} {r['one_piece_s'] / cal:>10.3f} "
            f"{r['reopen_s']:>9.4f} {r['peak_mb']:>8.1f}"
        )
    print("targets: vs_openpyxl <= 0.15, vs_calamine <= 1.2, reopen <= 0.1 s "
          "('1 piece': the same load with sheets not cut, GAPWATCH_SHEET_PIECES=1)")
    w = results["wide"]
    print(
        f"load vs_openpyxl={w['gapwatch_s'] / w['openpyxl_s']:.3f} "
        f"vs_calamine={w['gapwatch_s'] / w['calamine_s']:.3f} "
        f"reopen_s={w['reopen_s']:.4f} peak_mb={w['peak_mb']:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

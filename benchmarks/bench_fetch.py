"""Public-data fetch benchmark (run on demand, not a test).

    .venv/bin/python benchmarks/bench_fetch.py [--last-year 2026]

Serves the full CFTC TFF history 2006..last year, futures-only and combined (the
2006-2016 bundles plus one archive per year; real CFTC files where ../shared has them,
other years made from a real year with its report dates moved; see
tests/public_data/make_fixtures.py) from a local server on 127.0.0.1, into a fresh app
home. Measures:

- full fetch: every archive downloaded, checked, parsed, stored, and the merged history
  built (what a first ``main.py fetch cftc`` does),
- no-change update: the same update again (conditional requests answered 304),
- reading the stored history (``--public``) from the parse cache.

Target: no-change update <= 1 s. The LAST line is machine-readable:
``fetch full_s=<s> nochange_s=<s> full_mb=<MB> nochange_bytes=<n>``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "public_data"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--last-year", type=int, default=2026)
    args = ap.parse_args()
    import make_fixtures
    from local_server import RecordedServer

    if not make_fixtures.available():
        print("bench_fetch: ../shared/data/real is not present", file=sys.stderr)
        return 1
    files = {f"/cftc/{n}": b for n, b in make_fixtures.full_history_files(args.last_year).items()}
    server = RecordedServer(files).start()
    home = Path(tempfile.mkdtemp(prefix="gapwatch_bench_fetch_"))
    os.environ["GAPWATCH_HOME"] = str(home)
    os.environ["GAPWATCH_CFTC_URL"] = server.url + "/cftc/"
    from core.public_data import cftc
    from core.public_data.http_client import HttpClient

    today = dt.date(args.last_year, 11, 30)
    years = list(range(2006, args.last_year + 1))
    rows = []
    try:
        for label in ("full fetch + store + parse", "no-change update"):
            server.reset_counts()
            t = time.perf_counter()
            with HttpClient() as client:
                out = cftc.update_cftc(client, years=years, today=today)
            secs = time.perf_counter() - t
            assert out.ok, out.line()
            rows.append((label, secs, server.body_bytes, len(server.requests), out))
        t = time.perf_counter()
        history = cftc.load_history()
        read_s = time.perf_counter() - t
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)
    served = sum(len(b) for b in files.values())
    print(f"archives served: {len(files)} ({served / 1e6:.1f} MB), history: {history.file}, "
          f"{len(history.series)} series")
    print(f"{'step':<28} {'seconds':>8} {'bytes moved':>12} {'requests':>9}  updated/current")
    for label, secs, moved, reqs, out in rows:
        print(f"{label:<28} {secs:>8.2f} {moved:>12,} {reqs:>9}  "
              f"{len(out.updated)}/{len(out.current)}")
    print(f"{'read stored history (cache)':<28} {read_s:>8.2f}")
    ok = rows[1][1] <= 1.0
    print(f"target no-change update <= 1 s: {'met' if ok else 'MISSED'}")
    print(f"fetch full_s={rows[0][1]:.2f} nochange_s={rows[1][1]:.3f} "
          f"full_mb={rows[0][2] / 1e6:.1f} nochange_bytes={rows[1][2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

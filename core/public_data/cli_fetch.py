"""``main.py fetch [cftc|fred|finra|all] [--years Y1:Y2] [--symbols IWM,QQQ,...]
[--reports futures,combined,legacy]``.

One line per source on stdout (stderr for a failed one). Exit 0 when every asked source
was updated or already current, 1 when any failed, 2 for arguments it cannot read,
130 when interrupted (the files stored before that are complete and checked).
"""

from __future__ import annotations

import argparse
import sys

from core.public_data.sources import SOURCES


def fetch_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gapwatch fetch",
                                description="Fetch and store public data (CFTC TFF, FRED target "
                                            "range and EFFR, FINRA short interest).")
    # Checked by hand: argparse's choices reject a list default such as ["all"].
    p.add_argument("sources", nargs="*", default=["all"], metavar="SOURCE",
                   help="cftc, fred, finra or all (default all)")
    p.add_argument("--years", metavar="Y1:Y2",
                   help="years to fetch (default: CFTC 2006:this year; FINRA last year:this year)")
    p.add_argument("--reports", metavar="futures,combined,legacy", default="futures,combined",
                   help="CFTC reports: TFF futures-only, TFF futures+options combined, and "
                        "the Legacy futures-only report (opt-in; all markets since 1986)")
    p.add_argument("--symbols", metavar="IWM,QQQ,...",
                   help="FINRA symbols to keep (default IWM,QQQ,SPY and the desk's tickers)")
    return p


def parse_years(text: str | None) -> list[int] | None:
    if not text:
        return None
    a, sep, b = text.partition(":")
    try:
        first, last = int(a), int(b) if sep else int(a)
    except ValueError:
        raise ValueError(f"--years {text!r} is not like 2006:2026 or 2024") from None
    if not 1900 < first <= last < 2200:
        raise ValueError(f"--years {text!r}: the first year must not be after the last")
    return list(range(first, last + 1))


def run_fetch(argv: list[str]) -> int:
    args = fetch_parser().parse_args(argv)
    try:
        years = parse_years(args.years)
    except ValueError as exc:
        print(f"gapwatch fetch: {exc}", file=sys.stderr)
        return 2
    reports = tuple(r.strip().lower() for r in args.reports.split(",") if r.strip())
    bad = [r for r in reports if r not in ("futures", "combined", "legacy")]
    if bad or not reports:
        print(f"gapwatch fetch: --reports {args.reports!r}: use futures, combined and/or legacy",
              file=sys.stderr)
        return 2
    unknown = [s for s in args.sources if s not in (*SOURCES, "all")]
    if unknown:
        print(f"gapwatch fetch: unknown source {unknown[0]!r} (cftc, fred, finra or all)",
              file=sys.stderr)
        return 2
    sources = list(SOURCES) if "all" in args.sources else list(dict.fromkeys(args.sources))
    symbols = [s.strip().upper() for s in (args.symbols or "").split(",") if s.strip()] or None
    from core.public_data.http_client import FetchCancelled
    from core.public_data.update import update_sources

    try:
        outcomes = update_sources(sources, years=years, symbols=symbols, cftc_reports=reports)
    except (FetchCancelled, KeyboardInterrupt):
        print("gapwatch fetch: interrupted; files stored before that are complete", file=sys.stderr)
        return 130
    for o in outcomes:
        print(o.line(), file=sys.stdout if o.ok else sys.stderr)
        for note in o.notes:
            print(f"  note: {note}")
    return 0 if all(o.ok for o in outcomes) else 1

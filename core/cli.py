"""Command-line front end shared by ``main.py``: argument parsing and the headless
sub-commands (``report``, ``series``, ``history``). Qt-free: importing this never loads the GUI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from core import __version__

SUBCOMMANDS = ("report", "series", "history", "fetch")

DESCRIPTION = """\
Gapwatch: live date-window analytics over desk exports (index prices, short interest,
CFTC positioning, fed funds futures).

  main.py                       open the main window on the bundled sample
  main.py FILE...               open the main window on these files
  main.py report FILE... ...    headless report (JSON, workbook, chart, note)
  main.py series FILE... --json list the series found in files
  main.py history SERIES_ID     what each stored export said (main.py history -h)
  main.py fetch [cftc|fred|finra|all] [--years 2006:2026] [--symbols IWM,QQQ]
                                fetch and store public data (CFTC, FRED, FINRA)
  main.py --smoke [--screenshot PNG]  load, render the window once offscreen, exit
"""


def gui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gapwatch",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"Gapwatch {__version__}")
    p.add_argument("files", nargs="*", help="desk exports to open (default: bundled sample)")
    p.add_argument("--smoke", action="store_true",
                   help="load, render the main window once offscreen and exit 0")
    p.add_argument("--screenshot", metavar="PNG",
                   help="with --smoke: save the rendered main window as PNG")
    p.add_argument("--size", default="1600x1000", metavar="WxH",
                   help="window size for --smoke/--screenshot (default 1600x1000)")
    p.add_argument("--from-store", nargs="?", const="", default=None, metavar="SQLITE",
                   help="open what the vintage store holds (default: the app's store), "
                        "parsing no file")
    p.add_argument("--out", default="out", metavar="DIR",
                   help="where the no-display fallback writes its report and PNG (default out/)")
    return p


def series_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gapwatch series",
                                description="List the series Gapwatch finds in files.")
    p.add_argument("files", nargs="*")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--public", action="store_true",
                   help="include the stored public data (main.py fetch)")
    return p


def report_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gapwatch report",
        description="Headless report: every figure of window A (and B) for every series.",
    )
    p.add_argument("files", nargs="*",
                   help="desk exports (default: bundled sample, or none with --public)")
    p.add_argument("--public", action="store_true",
                   help="include the stored public data (CFTC history, FRED; main.py fetch)")
    p.add_argument("--window", metavar="START:END", help="window A (default: last year of data)")
    p.add_argument("--compare", metavar="START:END|prior-year", help="window B")
    p.add_argument("--lookback", default="3y", help="percentile/z-score lookback, e.g. 3y, 18m")
    p.add_argument("--alignment", choices=("asof", "publication"), default="asof",
                   help="align lagged series on as-of or publication dates")
    p.add_argument("--pair", nargs=2, action="append", metavar=("ID_A", "ID_B"),
                   help="relative performance of ID_A over ID_B (repeatable)")
    p.add_argument("--json", metavar="PATH|-", help="write the JSON report (- for stdout)")
    p.add_argument("--xlsx", metavar="PATH", help="write the stats workbook")
    p.add_argument("--png", metavar="PATH", help="write the chart panel as PNG (offscreen)")
    p.add_argument("--svg", metavar="PATH", help="write the chart panel as SVG (offscreen)")
    p.add_argument("--size", metavar="WxH", default="1600x1000",
                   help="chart image size in pixels for --png/--svg (default 1600x1000)")
    p.add_argument("--dpi", type=int, default=96, help="chart PNG resolution (default 96)")
    p.add_argument("--note", metavar="PATH", help="write the desk note as plain text")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    return p


def run_subcommand(argv: Sequence[str]) -> int:
    """Dispatch ``series``/``report``; argv starts with the sub-command name."""
    name, rest = argv[0], list(argv[1:])
    if name == "fetch":
        from core.public_data.cli_fetch import run_fetch

        return run_fetch(rest)
    if name == "series":
        args = series_parser().parse_args(rest)
        from core.cli_series import run_series

        return run_series(args.files, as_json=args.json, public=args.public)
    if name == "history":
        from core.cli_history import history_parser, run_history

        return run_history(history_parser().parse_args(rest))
    args = report_parser().parse_args(rest)
    from core.headless_report import run_report

    return run_report(args)


def is_subcommand(argv: Sequence[str]) -> bool:
    return bool(argv) and argv[0] in SUBCOMMANDS


def eprint(*parts: object) -> None:
    print(*parts, file=sys.stderr)

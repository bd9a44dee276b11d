#!/usr/bin/env python3
"""Gapwatch: the one entry point.

No arguments: the main window on the bundled sample. File arguments: those files.
``report``/``series``: headless sub-commands (Qt is imported only to draw ``report
--png/--svg``). With no display, the GUI mode says so in one line and writes the headless
report and an offscreen PNG instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _display_available() -> bool:
    """A Qt process with no display and no QT_QPA_PLATFORM aborts; detect it first."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _parse_size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


def _headless_fallback(files: list[str], out_dir: str) -> int:
    """No display: still do the main job — the report of the files and a PNG of the window."""
    from core.cli import run_subcommand

    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    report_json = out / "report.json"
    window_png = out / "main_window.png"
    print("gapwatch: no display found (DISPLAY/WAYLAND_DISPLAY unset); "
          "writing the headless report and an offscreen PNG instead.")
    rc = run_subcommand(["report", *files, "--json", str(report_json), "--force"])
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gui.app import smoke

    rc_png = smoke(files, screenshot=str(window_png), size=(1600, 1000))
    print(f"gapwatch: report: {report_json}")
    print(f"gapwatch: main window: {window_png}")
    return rc or rc_png


def _report(argv: list[str]) -> int:
    """``report``: core writes JSON/workbook/note; the chart PNG/SVG are drawn here by the
    GUI's own chart panel, offscreen, over the windows core.headless_report computes."""
    from core.cli import report_parser, run_subcommand

    args = report_parser().parse_args(argv[1:])
    charts = [getattr(args, fmt, None) for fmt in ("png", "svg")]
    if not any(charts):
        return run_subcommand(argv)
    from core.atomic import refuse_overwrite

    try:  # before anything is written: an existing chart file leaves every output alone
        for target in filter(None, charts):
            refuse_overwrite(target, bool(args.force))
    except OSError as exc:
        print(f"gapwatch report: {exc}", file=sys.stderr)
        return 1
    if any(getattr(args, k, None) for k in ("json", "xlsx", "note")):
        from core.headless_report import run_report

        rc = run_report(argparse.Namespace(**{**vars(args), "png": None, "svg": None}))
        if rc != 0:
            return rc
    return _report_charts(args)


def _report_charts(args: argparse.Namespace) -> int:
    from core.headless_report import ReportArgumentError, compute_report
    from core.paths import sample_path

    public = bool(getattr(args, "public", False))
    files = list(args.files or ([] if public else [str(sample_path())]))
    pairs = [tuple(p) for p in args.pair or []] or None
    try:
        parts = compute_report(files, window=args.window, compare=args.compare,
                               lookback=args.lookback or "3y", pairs=pairs,
                               alignment=args.alignment, public=public)
    except ReportArgumentError as exc:
        print(f"gapwatch report: {exc}", file=sys.stderr)
        return 2
    if parts.comparison is None:
        errors = [m.get("text", "") for m in parts.report.get("messages", [])
                  if m.get("level") == "error" and m.get("file")]
        why = f" ({errors[0]})" if errors else ""
        print(f"gapwatch report: no series were read from {', '.join(files)}{why}: "
              "no chart to draw", file=sys.stderr)
        return 1
    if not _display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from gui.chart_export import quiet_platform_warnings, render_charts

        quiet_platform_warnings()
        size = _parse_size(getattr(args, "size", None) or "1600x1000")
        render_charts(parts, parts.comparison.a.window,
                      parts.comparison.b.window if parts.comparison.b is not None else None,
                      png=args.png, svg=args.svg, size=size,
                      dpi=int(getattr(args, "dpi", None) or 96), force=bool(args.force))
    except (OSError, ValueError) as exc:
        print(f"gapwatch report: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"gapwatch report: could not draw the charts: {type(exc).__name__}: {exc}",
              file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from core.cli import gui_parser, is_subcommand, run_subcommand

    if argv and argv[0] == "report":
        return _report(argv)
    if is_subcommand(argv):
        return run_subcommand(argv)
    args = gui_parser().parse_args(argv)
    from core.paths import sample_path

    files = args.files or [str(sample_path())]
    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from gui.app import smoke

        return smoke(files, screenshot=args.screenshot, size=_parse_size(args.size))
    if not _display_available():
        return _headless_fallback(files, args.out)
    from gui.app import run_app

    if args.from_store is not None:
        return run_app([], from_store=args.from_store or True)
    return run_app(files)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Gapwatch: the one entry point.

No arguments: the main window on the bundled sample. File arguments: those files.
``report``/``series``: headless sub-commands (no Qt imported). With no display, the GUI
mode says so in one line and writes the headless report and an offscreen PNG instead.
"""

from __future__ import annotations

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


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from core.cli import gui_parser, is_subcommand, run_subcommand

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

    return run_app(files)


if __name__ == "__main__":
    sys.exit(main())

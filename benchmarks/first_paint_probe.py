"""Seconds from process start to the main window's first paint with its charts drawn:
``main.py`` with ``GAPWATCH_FIRST_PAINT=quit`` prints a line at that paint
(gui/app.py) and quits. Shared by bench_cold_start.py and bench_store.py."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_paint_seconds(argv: list[str], env: dict) -> float:
    """``env`` must set QT_QPA_PLATFORM and GAPWATCH_FIRST_PAINT=quit."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *argv], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if "first paint" in line:
                return time.perf_counter() - t0
        raise RuntimeError("the window never reported its first paint")
    finally:
        proc.kill()
        proc.wait()

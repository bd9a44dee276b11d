"""Cold start: from process start to the main window's first paint with the sample's
charts drawn (``main.py`` as an analyst starts it, offscreen), against the obvious
floor measured in the same run: a process that only imports PySide6's widgets,
pyqtgraph and pandas and exits.

    .venv/bin/python benchmarks/bench_cold_start.py [--runs 5]

Target: first paint <= 2.0 s (median). Last line:
``cold_start median_s=<s> imports_only_median_s=<s>``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from first_paint_probe import first_paint_seconds  # noqa: E402

TARGET_S = 2.0
IMPORTS = "import PySide6.QtWidgets, pyqtgraph, pandas"


def first_paint_s(env: dict) -> float:
    return first_paint_seconds([], env)


def imports_only_s(env: dict) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", IMPORTS], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    home = tempfile.mkdtemp(prefix="gw_cold_")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GAPWATCH_HOME": home,
           "GAPWATCH_FIRST_PAINT": "quit"}
    first_paint_s(env)  # the parse cache and the OS file cache, as on an analyst's second start
    paints = [first_paint_s(env) for _ in range(args.runs)]
    floors = [imports_only_s(env) for _ in range(args.runs)]
    med, floor = statistics.median(paints), statistics.median(floors)
    print(f"{'case':<44}{'median s':>10}{'min s':>8}{'max s':>8}")
    print(f"{'main.py on the sample -> first paint':<44}{med:>10.2f}{min(paints):>8.2f}"
          f"{max(paints):>8.2f}")
    print(f"{'imports only (PySide6, pyqtgraph, pandas)':<44}{floor:>10.2f}{min(floors):>8.2f}"
          f"{max(floors):>8.2f}")
    print(f"ratio first paint / imports only = {med / floor:.2f}x; target first paint <= "
          f"{TARGET_S:.1f} s -> {'MET' if med <= TARGET_S else 'NOT MET'}")
    print(f"cold_start median_s={med:.2f} imports_only_median_s={floor:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

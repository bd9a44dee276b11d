"""The entry point: --help, --version, sub-command dispatch and the no-display fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import __version__

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], env_extra: dict | None = None, unset=(), cwd=ROOT, timeout=180):
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_help_lists_modes():
    r = _run(["--help"])
    assert r.returncode == 0
    for word in ("report", "series", "--smoke", "--screenshot"):
        assert word in r.stdout


def test_version():
    r = _run(["--version"])
    assert r.returncode == 0
    assert r.stdout.strip() == f"Gapwatch {__version__}"


def test_report_help_does_not_import_qt():
    code = ("import sys; sys.argv=['main.py','report','--help']\n"
            "import main\n"
            "try:\n    main.main()\nexcept SystemExit:\n    pass\n"
            "print('QT' if any(m.startswith(('PySide6','pyqtgraph')) for m in sys.modules) else 'NOQT')")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.stdout.strip().endswith("NOQT"), r.stdout + r.stderr


def test_series_missing_file_fails_politely(tmp_path):
    r = _run(["series", str(tmp_path / "nope.xlsx"), "--json"],
             env_extra={"GAPWATCH_HOME": str(tmp_path / "home")})
    assert r.returncode != 0
    assert "nope.xlsx" in r.stderr
    assert "Traceback" not in r.stderr


def test_no_display_writes_report_and_png(tmp_path, sample_xlsx):
    out = tmp_path / "out"
    r = _run(["--out", str(out)], unset=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"),
             env_extra={"GAPWATCH_HOME": str(tmp_path / "home")}, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    first = r.stdout.splitlines()[0]
    assert "no display" in first
    report = json.loads((out / "report.json").read_text())
    assert report["series"], "report has no series"
    png = out / "main_window.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
    assert str(png) in r.stdout


@pytest.mark.slow
def test_smoke_renders_sample(tmp_path, sample_xlsx):
    shot = tmp_path / "shot.png"
    r = _run(["--smoke", "--screenshot", str(shot), "--size", "1280x720"],
             env_extra={"QT_QPA_PLATFORM": "offscreen", "GAPWATCH_HOME": str(tmp_path / "h")},
             timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert shot.stat().st_size > 10_000

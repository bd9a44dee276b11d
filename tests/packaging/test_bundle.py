"""Build the PyInstaller bundle and start it offscreen with --smoke (slow; CI runs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


@pytest.mark.slow
def test_bundle_builds_and_smoke_runs(tmp_path):
    if shutil.which("objdump") is None:
        pytest.skip("PyInstaller needs objdump (Debian binutils)")
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    if not pyinstaller.exists():
        pytest.skip("pyinstaller is not installed in this environment")
    t0 = time.perf_counter()
    build = subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
         str(ROOT / "build.spec")],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    build_s = time.perf_counter() - t0
    assert build.returncode == 0, build.stderr[-4000:]
    bundle = tmp_path / "dist" / "Gapwatch"
    exe = bundle / ("Gapwatch.exe" if os.name == "nt" else "Gapwatch")
    assert exe.exists()
    assert (bundle / "_internal" / "resources" / "sample_desk_export.xlsx").exists()
    shot = tmp_path / "smoke.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", GAPWATCH_HOME=str(tmp_path / "home"))
    run = subprocess.run([str(exe), "--smoke", "--screenshot", str(shot)],
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    assert shot.exists() and shot.stat().st_size > 10_000
    print(f"bundle build {build_s:.1f} s, size {_dir_size_mb(bundle):.0f} MB")

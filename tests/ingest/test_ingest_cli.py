"""``main.py series`` behaviour through ``run_series`` (in-process and in a subprocess)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ingest_helpers import write_xlsx

from core.cli_series import run_series

ROOT = Path(__file__).resolve().parents[2]


def _good(tmp_path: Path) -> Path:
    return write_xlsx(tmp_path / "desk.xlsx", {"S": [["Date", "RTY", "Note"], [dt.date(2024, 1, 2), 2000.0, None],
                                                     [dt.date(2024, 1, 3), "oops", None],
                                                     [dt.date(2024, 1, 4), 2010.0, None]]})


def test_json_output_and_exit_zero_with_warnings(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    rc = run_series([str(_good(tmp_path))], True)
    out = capsys.readouterr()
    assert rc == 0 and out.err == ""
    data = json.loads(out.out)
    assert [s["id"] for s in data["series"]] == ["desk:S:RTY"]
    assert data["series"][0] == {
        "id": "desk:S:RTY", "name": "RTY", "unit": "index points", "frequency": "irregular",
        "source": {"file": "desk.xlsx", "sheet": "S", "column": "RTY"},
        "first_date": "2024-01-02", "last_date": "2024-01-04", "count": 2}
    assert {"level": "warning", "file": "desk.xlsx", "sheet": "S", "cell": "B3",
            "text": "'oops' is not a number; read as missing (NaN)"} in data["messages"]


def test_missing_file_fails_with_one_line_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nope.xlsx"
    rc = run_series([str(_good(tmp_path)), str(missing)], True)
    out = capsys.readouterr()
    assert rc != 0
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "nope.xlsx" in lines[0]
    assert json.loads(out.out)["series"]  # the readable file is still reported


def test_file_without_series_fails(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    p = tmp_path / "notes.csv"
    p.write_text("just,some\ntext,here\n", encoding="utf-8")
    assert run_series([str(p)], False) != 0
    assert "notes.csv" in capsys.readouterr().err


def test_readable_table(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert run_series([str(_good(tmp_path))], False) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[:3] == ["id", "name", "unit"]
    assert "desk:S:RTY" in out and "B3" in out


def test_subprocess_json(tmp_path: Path) -> None:
    code = "import sys; from core.cli_series import run_series; sys.exit(run_series(sys.argv[1:], True))"
    env = {**os.environ, "GAPWATCH_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code, str(_good(tmp_path))], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["series"][0]["count"] == 2
    bad = subprocess.run([sys.executable, "-c", code, str(tmp_path / "gone.csv")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "gone.csv" in bad.stderr and "Traceback" not in bad.stderr

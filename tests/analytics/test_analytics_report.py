"""core.headless_report: the headless report over a small CSV (needs core.ingest)."""

from __future__ import annotations

import argparse
import json

import pytest

from core.headless_report import build_report, parse_lookback, run_report


CSV = """Date,Russell 2000,S&P 500
2024-01-02,2000,4700
2024-07-01,2050,5400
2024-12-31,2230,5880
2025-03-03,2100,5850
2025-04-08,1760,4980
2025-07-31,2220,6340
"""


@pytest.fixture
def csv_path(tmp_path):
    p = tmp_path / "desk.csv"
    p.write_text(CSV, encoding="utf-8")
    return str(p)


def _stats_of(report, word):
    (sid,) = [s["id"] for s in report["series"] if word in s["name"]]
    return report["stats"][sid]


def test_default_window_is_the_last_year(csv_path):
    r = build_report([csv_path])
    assert r["windows"] == {"A": {"start": "2024-07-31", "end": "2025-07-31"}, "B": None}
    rty = _stats_of(r, "Russell")["A"]
    assert rty["start_date"] == "2024-12-31" and rty["count"] == 4
    assert rty["return_pct"] == pytest.approx(100 * (2220 / 2230 - 1))
    assert rty["min_date"] == "2025-04-08"
    assert _stats_of(r, "Russell")["B"] is None
    json.dumps(r, allow_nan=False)  # no NaN anywhere


def test_window_compare_and_pairs(csv_path):
    r = build_report([csv_path], window="2025-01-01:2025-07-31", compare="prior-year")
    assert r["windows"]["B"] == {"start": "2024-01-01", "end": "2024-07-31"}
    rty = _stats_of(r, "Russell")
    assert rty["B"]["change"] == 50.0  # 2050 - 2000
    ids = [s["id"] for s in r["series"]]
    rel = build_report([csv_path], window="2025-01-01:2025-07-31", pairs=[(ids[0], ids[1])])
    (only,) = rel["relative"]
    # RTY 2100 -> 2220, SPX 5850 -> 6340 over 2025-03-03..2025-07-31
    assert only["relative_pct"] == pytest.approx(100 * ((2220 / 2100) / (6340 / 5850) - 1))
    assert r["lookback_years"] == 3.0


def test_run_report_writes_json_and_rejects_bad_window(csv_path, tmp_path, capsys):
    out = tmp_path / "r.json"
    ns = argparse.Namespace(files=[csv_path], window=None, compare=None, lookback="18m",
                            alignment="asof", pair=None, json=str(out), xlsx=None, png=None,
                            svg=None, note=None, force=False)
    assert run_report(ns) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lookback_years"] == 1.5
    assert run_report(ns) == 1  # exists, no --force: refused, one line on stderr
    assert "already exists" in capsys.readouterr().err
    ns.window = "yesterday:today"
    assert run_report(ns) == 2


def test_parse_lookback():
    assert parse_lookback("3y") == 3.0
    assert parse_lookback("18m") == 1.5
    assert parse_lookback("156w") == pytest.approx(156 * 7 / 365.25)
    with pytest.raises(ValueError):
        parse_lookback("soon")

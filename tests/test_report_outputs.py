"""``main.py report`` on the bundled sample, every output at once, in a subprocess as a
user runs it: JSON (every DOMAIN.md figure), the stats workbook (same numbers and formats
as the JSON), the chart PNG (requested size, really drawn) and SVG (vector paths), the
note; and the overwrite rules (refused without --force, file untouched; replaced with it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample_desk_export.xlsx"
RTY_COLUMN = "Russell 2000 (RTY, index pts)"
RTY_ID = f"sample_desk_export:Prices:{RTY_COLUMN}"
# DOMAIN.md "Windows" table, figure by figure (dates included).
DOMAIN_FIGURES = ("start_value", "start_date", "end_value", "end_date", "change", "return_pct",
                  "min", "min_date", "max", "max_date", "rally_from_low_pct", "off_high_pct",
                  "max_drawdown_pct", "vol_ann_pct", "percentile", "zscore", "highest_since",
                  "lowest_since")
FIRST_CURVE_RGB = (0x00, 0x72, 0xB2)  # the first price curve (Russell 2000) in the chart
PNG_SIZE = (1600, 1000)


def run_main(args: list[str], home: Path, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY",
                                                             "QT_QPA_PLATFORM")}
    env["GAPWATCH_HOME"] = str(home)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    if not SAMPLE.exists():
        pytest.skip("bundled sample not generated yet")
    out = tmp_path_factory.mktemp("report")
    paths = {k: out / f"report.{k}" for k in ("json", "xlsx", "png", "svg", "txt")}
    r = run_main(["report", str(SAMPLE), "--compare", "prior-year",
                  "--json", str(paths["json"]), "--xlsx", str(paths["xlsx"]),
                  "--png", str(paths["png"]), "--svg", str(paths["svg"]),
                  "--note", str(paths["txt"])], out / "home")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    paths["dir"] = out
    paths["report"] = json.loads(paths["json"].read_text(encoding="utf-8"))
    return paths


# -- JSON --------------------------------------------------------------------------------------
def test_json_has_every_domain_figure_for_every_series(outputs):
    report = outputs["report"]
    assert report["windows"]["A"] == {"start": "2024-07-31", "end": "2025-07-31"}
    assert report["windows"]["B"] == {"start": "2023-07-31", "end": "2024-07-31"}
    ids = [s["id"] for s in report["series"]]
    assert RTY_ID in ids and len(ids) > 10
    for sid in ids:
        for which in ("A", "B"):
            figures = report["stats"][sid][which]
            missing = [f for f in DOMAIN_FIGURES if f not in figures]
            assert not missing, f"{sid} {which} lacks {missing}"
    assert report["relative"] and all("relative_pct" in r for r in report["relative"])
    gap = report["gap"]
    assert gap is not None and {"gap", "percentile", "is_record", "date"} <= set(gap)
    meetings = report["rates"]["meetings"]
    assert meetings and all({"meeting", "p_cut", "p_hold", "expected_change_bp"} <= set(m)
                            for m in meetings)


def test_json_rty_figures_match_plain_pandas(outputs):
    """An independent reading of the sample: window A's first/last/min/max close."""
    prices = pd.read_excel(SAMPLE, sheet_name="Prices", header=3, engine="openpyxl")
    # footer lines (source notes) are not dates: keep the dated rows only
    prices["Date"] = pd.to_datetime(prices["Date"], errors="coerce").dt.normalize()
    prices = prices.dropna(subset=["Date"])
    in_a = prices[(prices["Date"] >= "2024-07-31") & (prices["Date"] <= "2025-07-31")]
    rty = in_a[RTY_COLUMN].dropna()
    got = outputs["report"]["stats"][RTY_ID]["A"]
    assert got["start_value"] == pytest.approx(rty.iloc[0])
    assert got["end_value"] == pytest.approx(rty.iloc[-1])
    assert got["return_pct"] == pytest.approx(100 * (rty.iloc[-1] / rty.iloc[0] - 1))
    assert got["min"] == pytest.approx(rty.min())
    assert got["min_date"] == str(in_a.loc[rty.idxmin(), "Date"].date())
    assert got["max"] == pytest.approx(rty.max())


# -- workbook ----------------------------------------------------------------------------------
def test_workbook_figures_sheet_matches_json_for_rty(outputs):
    from openpyxl import load_workbook

    from core.analytics.figures import FIGURE_SPECS

    specs = list(FIGURE_SPECS.values()) if isinstance(FIGURE_SPECS, dict) else list(FIGURE_SPECS)
    by_label = {s.label: s for s in specs}
    wb = load_workbook(outputs["xlsx"])
    ws = wb["A vs B"]
    rows = {ws.cell(r, 2).value: r for r in range(3, ws.max_row + 1)}
    assert RTY_ID in rows
    row = rows[RTY_ID]
    # the group header over each column says which window it belongs to
    group = None
    checked = 0
    stats = outputs["report"]["stats"][RTY_ID]
    for col in range(4, ws.max_column + 1):
        header = ws.cell(1, col).value
        if header:
            group = "A" if header.startswith("Window A") else "B" if header.startswith(
                "Window B") else "diff"
        if group == "diff":
            continue
        spec = by_label[ws.cell(2, col).value]
        cell = ws.cell(row, col)
        want = stats[group][spec.name]
        if want is None:
            assert cell.value is None, (group, spec.name)
            continue
        if spec.fmt == "date":
            assert cell.number_format == "yyyy-mm-dd"
            assert cell.value.date() == dt.date.fromisoformat(want), (group, spec.name)
        elif spec.fmt == "pct":  # stored as an Excel percentage: 26.1% is 0.261
            assert cell.number_format == "0.0%"
            assert cell.value == pytest.approx(want / 100), (group, spec.name)
        else:
            expected_format = {"value": "#,##0.00", "z": "0.00", "percentile": "0",
                               "count": "#,##0"}[spec.fmt]
            assert cell.number_format == expected_format, (group, spec.name)
            assert cell.value == pytest.approx(want), (group, spec.name)
        checked += 1
    assert checked >= 2 * len(DOMAIN_FIGURES)


# -- charts ------------------------------------------------------------------------------------
def _png_pixels(path: Path) -> tuple[np.ndarray, float]:
    """(H, W, 3) uint8 RGB and dots per inch, decoded by Qt (no display needed)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable PNG"
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h)
    rgb = raw.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()
    return rgb, image.dotsPerMeterX() * 0.0254


def test_png_is_the_requested_size_and_really_drawn(outputs):
    data = outputs["png"].read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    rgb, dpi = _png_pixels(outputs["png"])
    assert rgb.shape[:2] == (PNG_SIZE[1], PNG_SIZE[0])
    assert dpi == pytest.approx(96, abs=0.5)
    grey = rgb.astype(np.float64).mean(axis=2)
    assert grey.std() > 10, "the PNG is (nearly) one colour"
    colours = np.unique(rgb.reshape(-1, 3), axis=0)
    assert len(colours) > 20
    curve = np.all(np.abs(rgb.astype(int) - FIRST_CURVE_RGB) <= 12, axis=2)
    assert curve.sum() > 500, "the first price curve is not drawn"


def test_svg_parses_and_has_vector_lines(outputs):
    from defusedxml import ElementTree

    root = ElementTree.parse(outputs["svg"]).getroot()
    tags = [el.tag.rsplit("}", 1)[-1] for el in root.iter()]
    assert root.tag.rsplit("}", 1)[-1] == "svg"
    assert root.get("viewBox") == f"0 0 {PNG_SIZE[0]} {PNG_SIZE[1]}"
    assert tags.count("path") + tags.count("polyline") > 50
    text = " ".join("".join(el.itertext()) for el in root.iter()
                    if el.tag.rsplit("}", 1)[-1] == "text")
    assert "Russell 2000 (RTY)" in text


def test_note_text_matches_json_note(outputs):
    lines = outputs["txt"].read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Gapwatch desk note"
    assert "2024-07-31 to 2025-07-31" in lines[1]
    assert lines[3:] == outputs["report"]["note"]


# -- overwriting -------------------------------------------------------------------------------
def _stamp(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_existing_chart_file_is_refused_without_force(outputs, tmp_path, fmt):
    target = tmp_path / f"old.{fmt}"
    target.write_bytes(b"old contents")
    before = _stamp(target)
    json_target = tmp_path / "new.json"
    r = run_main(["report", str(SAMPLE), f"--{fmt}", str(target), "--json", str(json_target)],
                 outputs["dir"] / "home")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    message = r.stderr.strip().splitlines()
    assert len(message) == 1 and str(target) in message[0] and "--force" in message[0]
    assert _stamp(target) == before
    assert not json_target.exists(), "nothing is written when a chart target is refused"


def test_existing_json_is_refused_without_force(outputs, tmp_path):
    target = tmp_path / "old.json"
    target.write_text("{}")
    before = _stamp(target)
    r = run_main(["report", str(SAMPLE), "--json", str(target), "--png",
                  str(tmp_path / "c.png")], outputs["dir"] / "home")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert _stamp(target) == before


def test_force_replaces_existing_outputs(outputs, tmp_path):
    png, svg = tmp_path / "c.png", tmp_path / "c.svg"
    png.write_bytes(b"old")
    svg.write_bytes(b"old")
    r = run_main(["report", str(SAMPLE), "--png", str(png), "--svg", str(svg), "--force"],
                 outputs["dir"] / "home")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""  # charts only: no JSON on stdout
    rgb, _ = _png_pixels(png)
    assert rgb.shape[:2] == (PNG_SIZE[1], PNG_SIZE[0])
    assert svg.read_bytes().lstrip().startswith(b"<?xml")
    assert not [p.name for p in tmp_path.iterdir() if ".tmp" in p.name], "temp file left"


def test_bad_window_is_one_line_and_exit_2(outputs, tmp_path):
    r = run_main(["report", str(SAMPLE), "--window", "someday", "--png",
                  str(tmp_path / "c.png")], outputs["dir"] / "home")
    assert r.returncode == 2
    assert len(r.stderr.strip().splitlines()) == 1 and "someday" in r.stderr
    assert not (tmp_path / "c.png").exists()

"""The statistics workbook, read back with openpyxl and as raw XML."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest
from export_samples import HOSTILE_NAME, WINDOW_A, day, make_shuffled_b_comparison
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from core.analytics.figures import FIGURE_NAMES, FIGURE_SPECS
from core.analytics.results import Comparison, FigureTable
from core.export import write_stats_workbook

N_FIGS = len(FIGURE_SPECS)
N_DIFF = sum(s.fmt != "date" for s in FIGURE_SPECS)

PROVENANCE = {
    "lookback": "3 years",
    "alignment": "as-of join on the lower-frequency dates, publication dates",
    "files": ["/desk/closes.xlsx", "/desk/=evil.csv"],
    "sheets": {"/desk/closes.xlsx": "Closes"},
    "series_ids": ["RTY", "SI", "NET"],
    "load_time": dt.datetime(2025, 8, 1, 9, 30, 5),
}
REBASED_DATES = np.array(["2025-04-08", "2025-04-09", "2025-04-10"], dtype="datetime64[D]")
REBASED = {
    "RTY": (REBASED_DATES, np.array([100.0, 101.5, 99.25])),
    "SI": (np.array(["2025-04-09", "2025-04-11"], dtype="datetime64[D]"), np.array([100.0, 112.5])),
}


def _write(tmp_path: Path, comparison, series_by_id, relative=(), rebased=REBASED, **kw) -> Path:
    return write_stats_workbook(
        tmp_path / "stats.xlsx",
        comparison=comparison,
        series_by_id=series_by_id,
        note=["RTY +26.1% since its 2025-04-08 low", "-5.1% of OI: lowest in 52 weeks"],
        relative=relative,
        rebased=rebased,
        provenance=PROVENANCE,
        **kw,
    )


@pytest.fixture
def book_path(tmp_path, comparison, series_by_id, relative) -> Path:
    return _write(tmp_path, comparison, series_by_id, relative)


def _col(ws, group: str, label: str) -> int:
    """Column of figure ``label`` under the row-1 group header that starts with ``group``.

    Group headers are merged across their columns; a block ends where the next one starts.
    """
    starts = sorted(c for c in range(4, ws.max_column + 1) if ws.cell(1, c).value is not None)
    for k, lo in enumerate(starts):
        if ws.cell(1, lo).value.startswith(group):
            hi = starts[k + 1] if k + 1 < len(starts) else ws.max_column + 1
            for c in range(lo, hi):
                if ws.cell(2, c).value == label:
                    return c
    raise AssertionError(f"no column {label!r} under {group!r}")


def test_sheets_in_order(book_path: Path) -> None:
    wb = load_workbook(book_path)
    assert wb.sheetnames == [
        "A vs B", "Desk note", "Definitions & provenance", "Charts", "Chart data"
    ]


def test_figures_table_layout(book_path: Path) -> None:
    ws = load_workbook(book_path)["A vs B"]
    assert [ws.cell(2, c).value for c in (1, 2, 3)] == ["Series", "ID", "Unit"]
    assert [ws.cell(r, 2).value for r in (3, 4, 5)] == ["RTY", "SI", "NET"]
    names = [ws.cell(r, 1).value for r in (3, 4, 5)]
    assert names == ["Russell 2000", HOSTILE_NAME, "Lev funds net RTY"]
    assert [ws.cell(r, 3).value for r in (3, 4, 5)] == ["index points", "USD bn", "contracts"]
    # every figure for A, every figure for B, the non-date figures for A − B
    b0, d0, end = 4 + N_FIGS, 4 + 2 * N_FIGS, 4 + 2 * N_FIGS + N_DIFF
    assert [ws.cell(2, c).value for c in range(4, b0)] == [s.label for s in FIGURE_SPECS]
    assert [ws.cell(2, c).value for c in range(b0, d0)] == [s.label for s in FIGURE_SPECS]
    assert [ws.cell(2, c).value for c in range(d0, end)] == [
        s.label for s in FIGURE_SPECS if s.fmt != "date"
    ]
    assert ws.max_column == end - 1
    merged = sorted((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)
    assert merged == [(1, 4, 1, b0 - 1), (1, b0, 1, d0 - 1), (1, d0, 1, end - 1)]
    assert ws.cell(1, 4).value == "Window A: 2025-04-08 to 2025-07-31"
    assert ws.cell(1, b0).value == "Window B: 2024-04-08 to 2024-07-31"
    assert ws.cell(1, d0).value == "A − B"


def test_figure_values_and_number_formats(book_path: Path) -> None:
    ws = load_workbook(book_path)["A vs B"]
    ret_a = _col(ws, "Window A", "Return %")
    assert ws.cell(3, ret_a).value == pytest.approx(0.261)
    assert ws.cell(3, ret_a).number_format == "0.0%"
    assert ws.cell(4, ret_a).value is None  # null return (NaN) stays blank
    assert ws.cell(3, _col(ws, "Window B", "Return %")).value == pytest.approx(0.102)
    diff_ret = _col(ws, "A − B", "Return %")
    assert ws.cell(3, diff_ret).value == pytest.approx((26.1 - 10.2) / 100)
    assert ws.cell(3, diff_ret).number_format == "+0.0%;-0.0%;0.0%"
    diff_end = _col(ws, "A − B", "End")
    assert ws.cell(4, diff_end).value == pytest.approx(16.0 - 11.5)
    assert ws.cell(4, diff_end).number_format == '+#,##0.0 "bn";-#,##0.0 "bn";#,##0.0 "bn"'
    assert ws.cell(5, diff_end).value == pytest.approx(-41250.0 + 20000.0)

    end_a = _col(ws, "Window A", "End")
    assert ws.cell(3, end_a).value == pytest.approx(2211.6)
    assert ws.cell(3, end_a).number_format == "#,##0.00"
    assert ws.cell(4, end_a).number_format == '#,##0.0 "bn"'
    assert ws.cell(5, end_a).number_format == "#,##0"
    date_a = _col(ws, "Window A", "End date")
    assert ws.cell(4, date_a).value == dt.datetime(2025, 7, 15)
    assert ws.cell(4, date_a).number_format == "yyyy-mm-dd"
    assert ws.cell(3, _col(ws, "Window B", "End date")).value == dt.datetime(2024, 7, 31)
    z_a = _col(ws, "Window A", "Z-score")
    assert (ws.cell(5, z_a).value, ws.cell(5, z_a).number_format) == (-1.75, "0.00")
    pct_a = _col(ws, "Window A", "Percentile")
    assert (ws.cell(3, pct_a).value, ws.cell(3, pct_a).number_format) == (95, "0")
    assert ws.cell(3, _col(ws, "Window A", "Obs")).value == 80
    assert ws.cell(3, _col(ws, "Window A", "Highest since")).value is None


def test_window_b_rows_are_matched_by_series_id(tmp_path, series_by_id) -> None:
    path = _write(tmp_path, make_shuffled_b_comparison(), series_by_id)
    ws = load_workbook(path)["A vs B"]
    end_b = _col(ws, "Window B", "End")
    assert [ws.cell(r, end_b).value for r in (3, 4, 5)] == [2254.5, 11.5, -20000.0]
    assert ws.max_column == 3 + 2 * N_FIGS  # no diff given: no A − B block


def test_freeze_panes_and_widths(book_path: Path) -> None:
    ws = load_workbook(book_path)["A vs B"]
    assert ws.freeze_panes == "D3"
    assert ws.column_dimensions["A"].width >= len(HOSTILE_NAME)
    assert ws.column_dimensions["C"].width >= len("index points")
    # "-41,250" must fit in the End column
    end_letter = get_column_letter(_col(ws, "Window A", "End"))
    assert ws.column_dimensions[end_letter].width >= len("-41,250.00")


def test_percentile_conditional_formatting(book_path: Path) -> None:
    ws = load_workbook(book_path)["A vs B"]
    rules = {
        str(cf.sqref): sorted((r.operator, tuple(r.formula)) for r in cf.rules)
        for cf in ws.conditional_formatting
    }
    pct_a = _col(ws, "Window A", "Percentile")
    pct_b = _col(ws, "Window B", "Percentile")
    letters = [get_column_letter(c) for c in (pct_a, pct_b)]
    expected = [("greaterThanOrEqual", ("90",)), ("lessThanOrEqual", ("10",))]
    assert rules == {f"{x}3:{x}5": expected for x in letters}
    fills = {
        r.operator: r.dxf.fill.fgColor.rgb for cf in ws.conditional_formatting for r in cf.rules
    }
    assert fills["greaterThanOrEqual"] != fills["lessThanOrEqual"]


def test_window_a_only(tmp_path, comparison_a_only, series_by_id) -> None:
    path = _write(tmp_path, comparison_a_only, series_by_id)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Window A"
    ws = wb["Window A"]
    assert ws.max_column == 3 + N_FIGS
    assert ws["D1"].value == "Window A: 2025-04-08 to 2025-07-31"
    assert ws.freeze_panes == "D3"
    assert ws.cell(5, _col(ws, "Window A", "End")).value == -41250.0
    assert len(ws.conditional_formatting) == 1


def test_desk_note_one_sentence_per_row(book_path: Path) -> None:
    ws = load_workbook(book_path)["Desk note"]
    assert ws["A1"].value == "Desk note (A: 2025-04-08 to 2025-07-31; B: 2024-04-08 to 2024-07-31)"
    assert ws["A2"].value == "RTY +26.1% since its 2025-04-08 low"
    assert ws["A3"].value == "-5.1% of OI: lowest in 52 weeks"
    assert ws["A3"].data_type == "s"
    assert ws.max_row == 3


def test_definitions_and_provenance(book_path: Path) -> None:
    ws = load_workbook(book_path)["Definitions & provenance"]
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    pairs = {r[0]: r[1] for r in rows if r[0]}
    assert pairs["Window A"] == "2025-04-08 to 2025-07-31"
    assert pairs["Window B"] == "2024-04-08 to 2024-07-31"
    assert pairs["Lookback"] == "3 years"
    assert pairs["Alignment"].startswith("as-of join")
    assert pairs["Load time"] == "2025-08-01T09:30:05"
    files_row = next(i for i, r in enumerate(rows) if r[0] == "Files")
    assert rows[files_row][1] == "/desk/closes.xlsx"
    assert rows[files_row + 1][:2] == (None, "/desk/=evil.csv")
    assert pairs["Sheets"] == "/desk/closes.xlsx: Closes"
    for spec in FIGURE_SPECS:
        assert (spec.name, spec.label, spec.fmt, spec.description) in [r[:4] for r in rows]
    si_row = next(r for r in rows if r[0] == "SI")
    assert si_row[1:4] == (HOSTILE_NAME, "USD bn", "twice_monthly")
    assert si_row[4:7] == ("=cmd|' /C calc'!A0.xlsx", "@SUM(1)", "+Short interest")
    assert "Percent figures" in pairs


def test_charts_reference_chart_data(book_path: Path) -> None:
    wb = load_workbook(book_path)
    data = wb["Chart data"]
    charts = wb["Charts"]._charts
    assert len(charts) == 2
    rebased, rel = charts
    # rebased: union of RTY and SI dates (04-08, 04-09, 04-10, 04-11) in A2:A5
    assert [data.cell(r, 1).value for r in range(2, 6)] == [
        dt.datetime(2025, 4, d) for d in (8, 9, 10, 11)
    ]
    assert data["A2"].number_format == "yyyy-mm-dd"
    assert [data.cell(r, 2).value for r in range(2, 6)] == [100.0, 101.5, 99.25, None]
    assert [data.cell(r, 3).value for r in range(2, 6)] == [None, 100.0, None, 112.5]
    assert (data["B1"].value, data["C1"].value) == ("Russell 2000", HOSTILE_NAME)
    vals = [s.val.numRef.f for s in rebased.series]
    assert vals == ["'Chart data'!$B$2:$B$5", "'Chart data'!$C$2:$C$5"]
    assert [s.cat.numRef.f for s in rebased.series] == ["'Chart data'!$A$2:$A$5"] * 2
    assert [s.tx.strRef.f for s in rebased.series] == ["'Chart data'!B1", "'Chart data'!C1"]
    assert rebased.display_blanks == "span"
    # relative line: its own block after a blank column (E:F)
    assert data["D1"].value is None
    assert data["F1"].value == f"Russell 2000 / {HOSTILE_NAME}"
    assert [data.cell(r, 6).value for r in range(2, 6)] == [100.0, 101.0, 102.5, 103.5]
    assert [s.val.numRef.f for s in rel.series] == ["'Chart data'!$F$2:$F$5"]
    assert rel.series[0].cat.numRef.f == "'Chart data'!$E$2:$E$5"
    assert type(rel.x_axis).__name__ == "DateAxis"


def test_rebased_defaults_to_series_over_window_a(tmp_path, comparison, series_by_id) -> None:
    path = _write(tmp_path, comparison, series_by_id, rebased=None)
    wb = load_workbook(path)
    data = wb["Chart data"]
    (chart,) = wb["Charts"]._charts
    # RTY: 1800 + k on business days from 2025-04-01; window A starts 2025-04-08 (k = 5)
    assert data["B1"].value == "Russell 2000"
    assert data["A2"].value == dt.datetime(2025, 4, 8)
    assert data["B2"].value == pytest.approx(100.0)
    assert data["B3"].value == pytest.approx(100.0 * 1806 / 1805)
    # SI in window: 04-15 12.0, 04-30 15.0, 05-15 13.5, 07-15 16.0 -> rebased to 12.0
    si_col = 3
    assert data.cell(1, si_col).value == HOSTILE_NAME
    si_column = [data.cell(r, si_col).value for r in range(2, data.max_row + 1)]
    si_values = [v for v in si_column if v is not None]
    assert si_values == pytest.approx([100.0, 125.0, 112.5, 100.0 * 16 / 12])
    # NET is negative: not rebased
    assert data.max_column == 3
    # window A ends 2025-07-31: last RTY date in the window
    last = data.max_row
    assert data.cell(last, 1).value == dt.datetime(2025, 7, 31)
    assert len(chart.series) == 2


def test_hostile_text_is_never_a_formula(book_path: Path) -> None:
    with zipfile.ZipFile(book_path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 5
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            assert re.search(r"<(\w+:)?f[ >/]", xml) is None, name
        everything = "".join(z.read(n).decode("utf-8") for n in sheets)
    assert "HYPERLINK" in everything  # the text is there, as text
    wb = load_workbook(book_path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    cell = wb["A vs B"]["A4"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == (HOSTILE_NAME, "s", True)
    assert wb["A vs B"]["A3"].quotePrefix is False


def test_control_characters_in_names_do_not_break_the_export(
    tmp_path, comparison, series_by_id
) -> None:
    rty = series_by_id["RTY"]
    rty.name = "Russell\x00 2000\x1b"
    path = _write(tmp_path, comparison, series_by_id)
    assert load_workbook(path)["A vs B"]["A3"].value == "Russell\ufffd 2000\ufffd"


def test_refuses_to_overwrite_unless_forced(tmp_path, comparison, series_by_id) -> None:
    target = tmp_path / "stats.xlsx"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError, match="already exists"):
        _write(tmp_path, comparison, series_by_id)
    assert target.read_bytes() == b"precious"
    _write(tmp_path, comparison, series_by_id, force=True)
    assert load_workbook(target).sheetnames[0] == "A vs B"


def test_failed_save_leaves_old_file_and_no_temp(
    tmp_path, comparison, series_by_id, monkeypatch
) -> None:
    target = tmp_path / "stats.xlsx"
    target.write_bytes(b"precious")
    real_save = Workbook.save

    def save_then_fail(self, filename):
        real_save(self, filename)
        Path(filename).write_bytes(Path(filename).read_bytes()[:100])  # truncated, then crash
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", save_then_fail)
    with pytest.raises(OSError, match="disk full"):
        _write(tmp_path, comparison, series_by_id, force=True)
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["stats.xlsx"]


def test_several_window_pairs_get_a_sheet_each(
    tmp_path, comparison, comparison_a_only, series_by_id
) -> None:
    path = _write(tmp_path, [comparison, comparison_a_only], series_by_id)
    assert load_workbook(path).sheetnames[:2] == ["A vs B", "Window A (2)"]


def test_date_figure_helper_matches_numpy() -> None:
    assert day("1970-01-02") == 1.0
    assert dt.date(1970, 1, 1) + dt.timedelta(days=day("2025-07-31")) == dt.date(2025, 7, 31)


def test_empty_selection_still_writes_a_valid_workbook(tmp_path, series_by_id) -> None:
    empty = Comparison.of(FigureTable(WINDOW_A, (), np.empty((0, len(FIGURE_NAMES)))), None)
    path = _write(tmp_path, empty, series_by_id, rebased={})
    wb = load_workbook(path)
    ws = wb["Window A"]
    assert ws.max_row == 2
    assert len(ws.conditional_formatting) == 0
    assert wb["Charts"]._charts == []
    assert wb["Charts"]["A1"].value.startswith("No chartable data")


def test_figure_specs_pick_and_order_the_columns(tmp_path, comparison, series_by_id) -> None:
    by_name = {s.name: s for s in FIGURE_SPECS}
    chosen = [by_name["percentile"], by_name["end_date"], by_name["return_pct"]]
    path = _write(tmp_path, comparison, series_by_id, figure_specs=chosen)
    ws = load_workbook(path)["A vs B"]
    labels = [ws.cell(2, c).value for c in range(4, ws.max_column + 1)]
    assert labels == ["Percentile", "End date", "Return %"] * 2 + ["Percentile", "Return %"]
    assert ws.cell(3, 4).value == 95
    assert ws.cell(3, 6).value == pytest.approx(0.261)
    assert sorted(str(cf.sqref) for cf in ws.conditional_formatting) == ["D3:D5", "G3:G5"]

"""Messy workbooks generated with openpyxl: one layout problem per test, asserting the
exact values read and the exact cell each message names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from ingest_helpers import as_pairs, by_id, find, value_at, write_xlsx

from core.ingest import load_file
from core.series import Frequency, PublicationLag

D = dt.date


def test_title_blank_rows_header_on_row_5_and_footnotes(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "desk.xlsx", {"Desk": [
        ["Russell 2000 desk export"], [], [], [],
        ["Date", "RTY Index", "Short interest ($bn)"],
        [D(2024, 1, 2), 2000.5, 16.2],
        [D(2024, 1, 3), 2010.25, 16.0],
        [D(2024, 1, 4), 1990.0, 15.8],
        [],
        ["Source: Bloomberg, FINRA"],
        ["Note: short interest as of settlement date"],
    ]})
    r = load_file(p)
    s = by_id(r)
    assert set(s) == {"desk:Desk:RTY Index", "desk:Desk:Short interest ($bn)"}
    rty = s["desk:Desk:RTY Index"]
    assert as_pairs(rty) == [("2024-01-02", 2000.5), ("2024-01-03", 2010.25), ("2024-01-04", 1990.0)]
    assert rty.kind == "price" and rty.meta["ticker"] == "RTY" and rty.meta["asset"] == "small_cap"
    si = s["desk:Desk:Short interest ($bn)"]
    assert si.unit == "USD bn" and si.kind == "short_interest"
    assert si.publication_lag == PublicationLag(business_days=8)
    assert list(si.values) == [16.2, 16.0, 15.8]
    notes = find(r, "below the data")
    assert [(m.level, m.sheet, m.cell) for m in notes] == [("info", "Desk", "10")]
    assert "rows 10-11" in notes[0].text
    assert not [m for m in r.messages if m.level != "info"]


def test_numbers_written_as_text(tmp_path: Path) -> None:
    texts = ["$16.2bn", "(1,234)", "12.5%", "1.2e3", "19.2K", "-122.9K", "—", "n/a", "-", ".", None, "  3,000.5 "]
    rows = [["Date", "Mixed", "Change (%)"]]
    for i, t in enumerate(texts):
        rows.append([D(2024, 2, 1) + dt.timedelta(days=i), t, "-2.79%" if i == 0 else None])
    r = load_file(write_xlsx(tmp_path / "text_numbers.xlsx", {"S": rows}))
    s = by_id(r)["text_numbers:S:Mixed"]
    assert as_pairs(s) == [
        ("2024-02-01", 16.2), ("2024-02-02", -1234.0), ("2024-02-03", 12.5), ("2024-02-04", 1200.0),
        ("2024-02-05", 19200.0), ("2024-02-06", -122900.0), ("2024-02-12", 3000.5),
    ]
    # placeholders are missing values, not problems
    assert [m for m in r.messages if m.level == "warning"] == []
    pct = by_id(r)["text_numbers:S:Change (%)"]
    assert pct.unit == "percent" and as_pairs(pct) == [("2024-02-01", -2.79)]


def test_excel_serial_numbers_under_a_date_header(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "serial.xlsx", {"S": [
        ["Date", "Close"], [45293, 10.0], [45294, 11.0], [45295.5, 12.0]]}))
    s = by_id(r)["serial:S:Close"]
    # 45293 = 2024-01-02 (Excel 1900 system, epoch 1899-12-30)
    assert as_pairs(s) == [("2024-01-02", 10.0), ("2024-01-03", 11.0), ("2024-01-04", 12.0)]


def test_numbers_without_a_date_header_are_not_dates(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "nums.xlsx", {"S": [
        ["Level", "Close"], [45293, 10.0], [45294, 11.0], [45295, 12.0]]}))
    assert r.series == []
    assert [(m.level, m.cell) for m in find(r, "no date column")] == [("warning", None)]
    assert r.messages[-1].level == "error" and "nums.xlsx" in r.messages[-1].text


def test_day_month_order_decided_by_values(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "dmy.xlsx", {"S": [
        ["Date", "X"], ["02/01/2024", 1.0], ["13/01/2024", 2.0], ["14/02/2024", 3.0]]}))
    assert as_pairs(by_id(r)["dmy:S:X"]) == [("2024-01-02", 1.0), ("2024-01-13", 2.0), ("2024-02-14", 3.0)]
    info = find(r, "day/month/year")
    assert [(m.level, m.cell) for m in info] == [("info", "A")]
    assert not find(r, "cannot be told")


def test_ambiguous_order_assumes_us_and_warns(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "amb.xlsx", {"S": [
        ["Date", "X"], ["01/02/2024", 1.0], ["03/04/2024", 2.0], ["05/06/2024", 3.0]]}))
    assert as_pairs(by_id(r)["amb:S:X"]) == [("2024-01-02", 1.0), ("2024-03-04", 2.0), ("2024-05-06", 3.0)]
    warn = find(r, "cannot be told")
    assert [(m.level, m.cell) for m in warn] == [("warning", "A2")]
    assert "US" in warn[0].text


def test_text_date_formats(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "fmt.xlsx", {"S": [
        ["Date", "X"], ["2024-01-02", 1.0], ["15-Jul-25", 2.0], ["Sep 20, 2024", 3.0],
        ["28-Aug-2023 12:53:25.937", 4.0]]}))
    s = by_id(r)["fmt:S:X"]
    assert as_pairs(s) == [("2023-08-28", 4.0), ("2024-01-02", 1.0), ("2024-09-20", 3.0),
                           ("2025-07-15", 2.0)]


def test_duplicate_dates_keep_last_and_name_cells(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "dup.xlsx", {"S": [
        ["Date", "X"], [D(2024, 1, 2), 1.0], [D(2024, 1, 3), 2.0], [D(2024, 1, 3), 3.0],
        [D(2024, 1, 4), 4.0]]}))
    assert as_pairs(by_id(r)["dup:S:X"]) == [("2024-01-02", 1.0), ("2024-01-03", 3.0), ("2024-01-04", 4.0)]
    dup = find(r, "duplicate date")
    assert [(m.level, m.cell) for m in dup] == [("warning", "A3")]
    assert "A3, A4" in dup[0].text and "kept the last (A4)" in dup[0].text and "not averaged" in dup[0].text


def test_unsorted_and_newest_first(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "order.xlsx", {
        "Shuffled": [["Date", "X"], [D(2024, 1, 4), 4.0], [D(2024, 1, 2), 2.0], [D(2024, 1, 3), 3.0]],
        "Newest": [["Date", "Y"], [D(2024, 1, 4), 4.0], [D(2024, 1, 3), 3.0], [D(2024, 1, 2), 2.0]],
    }))
    s = by_id(r)
    assert as_pairs(s["order:Shuffled:X"]) == [("2024-01-02", 2.0), ("2024-01-03", 3.0), ("2024-01-04", 4.0)]
    assert as_pairs(s["order:Newest:Y"]) == as_pairs(s["order:Shuffled:X"])
    shuffled = find(r, "not in order")
    assert [(m.level, m.sheet, m.cell) for m in shuffled] == [("info", "Shuffled", "A3")]
    newest = find(r, "newest first")
    assert [(m.level, m.sheet, m.cell) for m in newest] == [("info", "Newest", "A2")]


def test_text_in_numeric_column_is_named_and_missing(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "txt.xlsx", {"S": [
        ["Date", "X"], [D(2024, 1, 2), 1.5], [D(2024, 1, 3), "abc"], [D(2024, 1, 4), 2.5]]}))
    assert as_pairs(by_id(r)["txt:S:X"]) == [("2024-01-02", 1.5), ("2024-01-04", 2.5)]
    bad = find(r, "is not a number")
    assert [(m.level, m.cell) for m in bad] == [("warning", "B3")]
    assert "'abc'" in bad[0].text and "NaN" in bad[0].text


def test_empty_sheet_and_sheet_without_dates_do_not_stop_good_sheet(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "mix.xlsx", {
        "Empty": [],
        "Names": [["Name", "Value"], ["a", 1.0], ["b", 2.0], ["c", 3.0]],
        "Good": [["Date", "X"], [D(2024, 1, 2), 1.0], [D(2024, 1, 3), 2.0]],
    }))
    assert [s.id for s in r.series] == ["mix:Good:X"]
    assert [(m.level, m.sheet, m.cell) for m in find(r, "sheet is empty")] == [("warning", "Empty", None)]
    assert [(m.level, m.sheet, m.cell) for m in find(r, "no date column")] == [("warning", "Names", None)]
    assert r.ok


def test_formulas_without_cached_values(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "formula.xlsx", {"S": [
        ["Date", "X", "Twice X"], [D(2024, 1, 2), 1.0, "=B2*2"], [D(2024, 1, 3), 2.0, "=B3*2"]]}))
    assert [s.id for s in r.series] == ["formula:S:X"]
    msgs = find(r, "formula has no cached value")
    assert [(m.level, m.sheet, m.cell) for m in msgs] == [("warning", "S", "C2"), ("warning", "S", "C3")]


def test_long_layout_with_field_column(tmp_path: Path) -> None:
    rows = [["Date", "Ticker", "Field", "Value"]]
    data = [(D(2024, 1, 3), "SPX", "PX_LAST", 4700.0), (D(2024, 1, 2), "RTY", "PX_LAST", 2000.0),
            (D(2024, 1, 2), "SPX", "PX_LAST", 4690.0), (D(2024, 1, 3), "RTY", "PX_LAST", 2010.0),
            (D(2024, 1, 2), "RTY", "PX_VOLUME", 5e6), (D(2024, 1, 3), "RTY", "PX_VOLUME", 6e6)]
    rows += [list(x) for x in data]
    r = load_file(write_xlsx(tmp_path / "long.xlsx", {"Long": rows}))
    s = by_id(r)
    assert set(s) == {"long:Long:RTY PX_LAST", "long:Long:SPX PX_LAST", "long:Long:RTY PX_VOLUME"}
    assert as_pairs(s["long:Long:RTY PX_LAST"]) == [("2024-01-02", 2000.0), ("2024-01-03", 2010.0)]
    assert as_pairs(s["long:Long:SPX PX_LAST"]) == [("2024-01-02", 4690.0), ("2024-01-03", 4700.0)]
    assert as_pairs(s["long:Long:RTY PX_VOLUME"]) == [("2024-01-02", 5e6), ("2024-01-03", 6e6)]
    assert s["long:Long:RTY PX_LAST"].kind == "price" and s["long:Long:RTY PX_LAST"].meta["ticker"] == "RTY"
    assert s["long:Long:SPX PX_LAST"].meta["asset"] == "large_cap"


def test_long_layout_name_only(tmp_path: Path) -> None:
    rows = [["Date", "Name", "Value"], [D(2024, 1, 2), "A", 1.0], [D(2024, 1, 2), "B", 2.0],
            [D(2024, 1, 3), "A", 3.0], [D(2024, 1, 3), "B", 4.0], [D(2024, 1, 3), "B", 5.0]]
    r = load_file(write_xlsx(tmp_path / "names.xlsx", {"L": rows}))
    s = by_id(r)
    assert as_pairs(s["names:L:A"]) == [("2024-01-02", 1.0), ("2024-01-03", 3.0)]
    assert as_pairs(s["names:L:B"]) == [("2024-01-02", 2.0), ("2024-01-03", 5.0)]
    dup = find(r, "duplicate date")
    assert [(m.cell, "for B" in m.text) for m in dup] == [("A5", True)]


def test_intraday_timestamps_keep_latest_time_of_day(tmp_path: Path) -> None:
    rows = [["Timestamp", "Last Trade"], ["29-Aug-2023 10:00:00.000", 3.0],
            ["28-Aug-2023 12:53:25.937", 2.0], ["28-Aug-2023 09:00:00.000", 1.0]]
    r = load_file(write_xlsx(tmp_path / "ticks.xlsx", {"T": rows}))
    s = by_id(r)["ticks:T:Last Trade"]
    assert as_pairs(s) == [("2023-08-28", 2.0), ("2023-08-29", 3.0)]
    dup = find(r, "duplicate date 2023-08-28")
    assert [(m.level, m.cell) for m in dup] == [("warning", "A4")]
    assert "latest time" in dup[0].text and "kept the latest time of the day (A3)" in dup[0].text


def test_blank_rows_inside_data_and_text_row_inside_data(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "gaps.xlsx", {"S": [
        ["Date", "X"], [D(2024, 1, 2), 1.0], [], ["subtotal", 9.0], [D(2024, 1, 3), 2.0]]}))
    assert as_pairs(by_id(r)["gaps:S:X"]) == [("2024-01-02", 1.0), ("2024-01-03", 2.0)]
    skipped = find(r, "has no date")
    assert [(m.level, m.cell) for m in skipped] == [("warning", "A4")]


def test_stacked_header_rows_are_joined(tmp_path: Path) -> None:
    r = load_file(write_xlsx(tmp_path / "stack.xlsx", {"S": [
        ["Survey banner that is long enough to be a title, not a header"],
        [None, None, "Bullish"],
        ["Reported", None, "8-week"],
        ["Date", "Bullish", "Mov Avg"],
        [D(2024, 1, 4), 0.4, 0.41], [D(2024, 1, 11), 0.5, 0.42]]}))
    assert set(by_id(r)) == {"stack:S:Bullish", "stack:S:Bullish 8-week Mov Avg"}


def test_weekly_frequency_and_series_invariants(tmp_path: Path) -> None:
    days = [D(2024, 1, 2) + dt.timedelta(weeks=k) for k in range(6)]
    r = load_file(write_xlsx(tmp_path / "weekly.xlsx", {"W": [["Date", "Net contracts"]] +
                                                         [[d, float(k)] for k, d in enumerate(days)]}))
    s = by_id(r)["weekly:W:Net contracts"]
    assert s.frequency == Frequency.WEEKLY and s.unit == "contracts"
    assert s.dates.dtype == np.dtype("datetime64[D]") and s.values.dtype == np.float64
    assert value_at(s, "2024-01-09") == 1.0


@pytest.mark.parametrize("header,unit", [("Short interest ($bn)", "USD bn"), ("Lev net (% of OI)", "% of OI"),
                                          ("Net contracts", "contracts"), ("Yield (%)", "percent")])
def test_units_from_header_text(tmp_path: Path, header: str, unit: str) -> None:
    r = load_file(write_xlsx(tmp_path / "u.xlsx", {"S": [["Date", header], [D(2024, 1, 2), 1.0],
                                                          [D(2024, 1, 3), 2.0]]}))
    assert r.series[0].unit == unit


def test_merged_group_headers_reach_every_sub_header(tmp_path: Path) -> None:
    """"Russell 2000" merged over Long/Short names both columns; a title merged across
    the top (from column A) is not spread into the headers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Pos"
    ws.append(["Desk positioning"])  # a title merged across the top: A1:E1
    ws.append(["Date", "Russell 2000", None, "Nasdaq-100", None])
    ws.append([None, "Long", "Short", "Long", "Short"])
    ws.merge_cells("A1:E1")
    ws.merge_cells("B2:C2")
    ws.merge_cells("D2:E2")
    for i in range(12):
        ws.append([D(2024, 1, 2) + dt.timedelta(days=7 * i), 100 + i, 50 + i, 200 + i, 80 + i])
    path = tmp_path / "groups.xlsx"
    wb.save(path)
    r = load_file(path, use_cache=False)
    assert set(by_id(r)) == {"groups:Pos:Russell 2000 Long", "groups:Pos:Russell 2000 Short",
                             "groups:Pos:Nasdaq-100 Long", "groups:Pos:Nasdaq-100 Short"}
    assert as_pairs(by_id(r)["groups:Pos:Nasdaq-100 Short"])[:2] == [("2024-01-02", 80.0),
                                                                       ("2024-01-09", 81.0)]


def test_merged_cells_are_spread_only_over_sub_headers() -> None:
    from core.ingest.merged_headers import spread_group_labels

    grid = np.array([["Date", "RTY", "", "", ""],
                     ["", "Long", "Short", "", ""],
                     ["2024-01-02", 1.0, 2.0, "", ""]], dtype=object)
    merges = [((0, 1), (0, 2)),  # a group over two sub-headers: spread
              ((0, 3), (0, 4)),  # starts on a blank: nothing to spread
              ((2, 1), (2, 2)),  # a data row: never
              ((0, 0), (1, 0))]  # vertical: never
    assert spread_group_labels(grid, merges) == 1
    assert grid[0].tolist() == ["Date", "RTY", "RTY", "", ""]
    assert grid[2].tolist() == ["2024-01-02", 1.0, 2.0, "", ""]

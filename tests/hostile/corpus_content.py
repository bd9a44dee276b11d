# ruff: noqa: E501
# (corpus tables: XML literals and one case per line read best unwrapped)
"""Well-formed workbooks with hostile content: text where numbers belong, impossible and
unsorted dates, merged and hidden things, formulas without cached values, error cells,
and names (sheets, headers) in every script and length."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .make_corpus import CaseSpec
from .ooxml import Err, Formula, RawCell, Serial, Sheet, Workbook, write_workbook
from .samples import business_days, good_sheet, price_rows


def _book(*sheets: Sheet):
    def write(path: Path) -> None:
        write_workbook(path, Workbook(list(sheets)))

    return write


def _dated(values: list[object], dates: list[object] | None = None, header: str = "Value") -> Sheet:
    days = dates if dates is not None else business_days(len(values))
    return Sheet("Data", [["Date", header], *([d, v] for d, v in zip(days, values, strict=True))])


def _with_header(headers: list[str], name: str = "Prices") -> Sheet:
    rows = price_rows(40)
    rows[0] = headers
    return Sheet(name, rows)


def _replace_values(col: int, replacements: dict[int, object], n: int = 40) -> Sheet:
    rows = price_rows(n)
    for r, v in replacements.items():
        rows[r][col] = v
    return Sheet("Prices", rows)


def content_specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, expect: str, write, **kw) -> None:
        s.append(CaseSpec(name, "content", f"{name}.xlsx", expect, write, **kw))  # type: ignore[arg-type]

    days = business_days(30)
    add("every_cell_text", "message", _book(Sheet("Text", [["Name", "Comment"], *(
        [f"row {i}", f"text {i}"] for i in range(50))])))
    add("only_header_row", "message", _book(Sheet("Prices", [["Date", "RTY", "SPX"]])))
    add("header_and_dates_only", "message", _book(Sheet("Prices", [["Date", "RTY"], *([d] for d in days)])))
    add("numbers_without_dates", "message", _book(Sheet("Prices", [["RTY", "SPX"], *(
        [2000 + i, 4700 + i] for i in range(30))])))
    add("empty_sheet", "message", _book(Sheet("Empty", [])))
    add("dates_all_2090s", "either", _book(_dated(list(range(30)), business_days(30, dt.date(2091, 3, 1)))))
    add("dates_before_1900_text", "either", _book(_dated(
        list(range(30)), [(dt.date(1850, 1, 1) + dt.timedelta(days=7 * i)).isoformat() for i in range(30)])))
    add("dates_negative_serials", "either", _book(_dated(list(range(10)), [Serial(-v) for v in range(10, 0, -1)])))
    add("excel_1900_leap_serial_60", "either", _book(_dated(
        [float(v) for v in range(55, 66)], [Serial(v) for v in range(55, 66)])))
    add("serials_beyond_9999", "either", _book(_dated(list(range(10)), [Serial(2958460 + v) for v in range(10)])))
    for slug, v in {"1e20": 1e20, "minus_1e20": -1e20, "1e308": 1e308}.items():
        # a number under a date format far outside any calendar: chrono overflows
        add(f"date_style_on_{slug}", "series", _book(_replace_values(0, {5: Serial(v)})))
    add("serials_fraction_same_day", "either", _book(_dated(
        [1.0, 2.0, 3.0, 4.0], [Serial(45292.1), Serial(45292.6), Serial(45293.0), Serial(45294.25)])))
    dup = days[:10] + days[5:15]
    add("duplicated_dates", "message", _book(_dated(list(range(20)), dup)))
    add("unsorted_dates", "series", _book(_dated(list(range(30)), days[::7] + days[1::7] + days[2::7]
                                                 + days[3::7] + days[4::7] + days[5::7] + days[6::7])))
    add("descending_dates", "series", _book(_dated(list(range(30)), days[::-1])))
    mixed = [days[0], days[1].isoformat(), days[2].strftime("%m/%d/%Y"), days[3].strftime("%d %b %Y"),
             days[4].strftime("%b %d, %Y"), Serial(float((days[5] - dt.date(1899, 12, 30)).days)),
             days[6].strftime("%Y%m%d"), f"  {days[7].isoformat()}  ", days[8].strftime("%d-%b-%y"), days[9]]
    add("mixed_format_dates", "either", _book(_dated(list(range(10)), mixed)))
    add("mixed_dates_and_garbage", "either", _book(_dated(
        list(range(10)), [days[0], "TBD", days[2], "n/a", None, days[5], "Q3", days[7], "", days[9]])))
    rows = price_rows(40)
    blanked = [r if i % 5 else [None, None, None] for i, r in enumerate(rows)]
    blanked[0] = rows[0]
    add("blank_rows_interleaved", "series", _book(Sheet("Prices", blanked)))
    add("blank_values", "series", _book(_replace_values(1, {r: None for r in range(2, 40, 3)})))
    merged = price_rows(40)
    merged[0] = ["Date", "Index levels", None]
    add("merged_header_cells", "series", _book(Sheet("Prices", merged, merges=["B1:C1"])))
    two_row = [[None, "Russell", "S&P"], *price_rows(40)]
    add("merged_two_row_header", "either", _book(Sheet("Prices", two_row, merges=["A1:A2"])))
    add("hidden_sheet_and_visible", "series", _book(
        good_sheet("Prices"), Sheet("Calc", price_rows(20, seed=4), state="hidden")), good_sheets=("Prices",))
    add("very_hidden_holds_data", "either", _book(
        Sheet("Cover", [["Desk export"]]), Sheet("Data", price_rows(20), state="veryHidden")))
    add("all_sheets_hidden", "either", _book(Sheet("Prices", price_rows(20), state="hidden")))
    formula_rows = price_rows(30)
    for r in range(2, 31):
        formula_rows[r][1] = Formula(f"B{r}*1.01")
        formula_rows[r][2] = Formula(f"SUM(C{r}:C{r})/0")
    add("formulas_without_cache", "either", _book(Sheet("Prices", formula_rows)))
    fdates = price_rows(30)
    for r in range(2, 31):
        fdates[r][0] = Formula(f"A{r}+1")
    add("formula_dates_without_cache", "either", _book(Sheet("Prices", fdates)))
    nan_texts = ["nan", "NaN", "inf", "-inf", "Infinity", "-Infinity", "#DIV/0!", "#N/A", "1e400", "-1E999"]
    add("nan_inf_as_text", "series", _book(_replace_values(1, {3 + 3 * i: t for i, t in enumerate(nan_texts)})))
    errs = ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NUM!", "#NAME?", "#NULL!", "#GETTING_DATA"]
    add("error_cells", "series", _book(_replace_values(2, {4 + 4 * i: Err(e) for i, e in enumerate(errs)})),
        where_sheet="Prices")
    add("numeric_overflow_raw", "series", _book(_replace_values(1, {
        5: RawCell('<c r="B6"><v>1E+400</v></c>'), 9: RawCell('<c r="B10"><v>-1E400</v></c>'),
        13: RawCell('<c r="B14"><v>NaN</v></c>'), 17: RawCell('<c r="B18"><v>INF</v></c>'),
        21: RawCell('<c r="B22"><v>1.7976931348623157e309</v></c>')})))
    add("text_in_numeric_column", "series", _book(_replace_values(1, {9: "garbage"})),
        where_sheet="Prices", where_cell="B10")
    add("bool_cells_in_values", "either", _book(_replace_values(1, {r: bool(r % 2) for r in range(2, 12)})))
    add("numbers_as_formatted_text", "series", _book(_replace_values(1, {
        2: "1,234.50", 3: "$1,234", 4: "(12.5)", 5: "5%", 6: " 42 ", 7: "1.2e3", 8: "+7", 9: "−3"})))
    cols = [[r[1], r[0], r[2]] for r in price_rows(30)]
    add("date_column_not_first", "series", _book(Sheet("Prices", cols)))
    add("two_date_columns", "series", _book(Sheet("Prices", [[*r, r[0]] if i else [*r, "Settle date"]
                                                           for i, r in enumerate(price_rows(30))])))
    titled = [["Russell 2000 desk export"], ["Source: internal"], [], [], *price_rows(30)]
    add("title_rows_above_header", "series", _book(Sheet("Prices", titled)))
    add("header_is_numbers", "either", _book(_with_header([2024, 2025, 2026])))
    add("no_header_row", "either", _book(Sheet("Prices", price_rows(30)[1:])))
    add("duplicate_headers", "series", _book(_with_header(["Date", "Close", "Close"])))
    add("empty_headers", "series", _book(_with_header(["Date", "", None])))
    add("single_data_row", "either", _book(Sheet("Prices", price_rows(1))))
    far = [[None] * 26 for _ in range(99)] + [[None] * 26 + r for r in price_rows(30)]
    add("data_far_from_a1", "series", _book(Sheet("Prices", far)))
    return s


def name_specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, expect: str, write, **kw) -> None:
        s.append(CaseSpec(name, "names", f"{name}.xlsx", expect, write, **kw))  # type: ignore[arg-type]

    sheet_names = {
        "sheet_name_unicode": "Ünïcødé Prix €",
        "sheet_name_emoji": "📈 Prices 🚀",
        "sheet_name_rtl": "أسعار מחירים",
        "sheet_name_31_chars": "P" * 31,
        "sheet_name_2000_chars": "Sheet name " * 181 + "end",
        "sheet_name_xml_specials": "R&D <\"quoted\"> 'x'",
        "sheet_name_whitespace": "   ",
        "sheet_name_bidi_override": "\u202eseciRP",
    }
    for case, title in sheet_names.items():
        add(case, "series", _book(good_sheet(title)), good_sheets=(title,))
    add("sheet_name_empty", "either", _book(good_sheet("")))
    add("sheet_names_duplicate", "either", _book(good_sheet("Prices"), good_sheet("Prices", seed=2)))
    headers = {
        "header_unicode": ["Datum", "Rüssell 2000 (€)", "S&P 500 ™"],
        "header_emoji": ["📅", "📈 RTY", "🚀 SPX"],
        "header_rtl": ["Date", "راسل 2000", "מדד S&P"],
        "header_2000_chars": ["Date", "R" * 2000, "S" * 2000],
        "header_newlines_tabs": ["Date", "RTY\nclose\tlevel", "SPX\r\nclose"],
        "header_zero_width": ["Date\u200b", "R\u200dTY", "\ufeffSPX"],
        "header_combining_marks": ["Date", "R\u0336T\u0336Y\u0336" * 20, "SPX"],
        "header_null_words": ["Date", "None", "NaN"],
    }
    for case, hdr in headers.items():
        add(case, "series", _book(_with_header(hdr)))
    ctrl = price_rows(30)
    ctrl[0][1] = RawCell('<c r="B1" t="inlineStr"><is><t>RTY&#1;&#xFFFE;</t></is></c>')
    add("header_invalid_xml_chars", "either", _book(Sheet("Prices", ctrl)))
    return s


def specs() -> list[CaseSpec]:
    return content_specs() + name_specs()

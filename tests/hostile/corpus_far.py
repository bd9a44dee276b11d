# ruff: noqa: E501
# (corpus tables: XML literals and one case per line read best unwrapped)
"""Far-away cells in *big* sheet parts (> ``extent.FULL_SCAN_BYTES`` of XML), where the
loader cannot afford a regex scan of every reference and must still never hand
python-calamine a rectangle it would abort on (issue 8).

Each case is a ~2.8 MB sheet of 24,000 daily closes plus one crafted far cell, written
every way calamine would place it: at the end or in the middle (out of order), with a
missing or lying ``<dimension>``, as XFD1048576, a 4- or 5-letter column, a 9- or
11-digit row (the latter wraps calamine's u32 arithmetic), lower case, through a
``<row r=...>`` with cells without ``r``, as a namespaced ``<x:c>``, with single quotes or
blanks around ``=``, after cells without ``r``, or as a row pushed past XFD by 20,000
cells without ``r``. A regression aborts the child process (the driver records a
crash) or hangs it; a correct loader returns the closes and sets the far cell aside or
refuses the sheet with a message naming it. A few of the tricks are repeated in small
parts (the regex scan path), where a row number of 10+ digits or a 5-letter column once
slipped through as well.
"""

from __future__ import annotations

import datetime as dt
import random

from . import biff
from .make_corpus import CaseSpec
from .ooxml import DATE_STYLE, MAIN_NS, XML_DECL, Sheet, Workbook, excel_serial, workbook_parts, write_zip
from .samples import good_sheet

BIG_ROWS = 24_000
FAR_ROW = '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'


def big_rows(n: int = BIG_ROWS, seed: int = 8) -> list[str]:
    """``<row>`` elements: a header and n daily closes from 1960 (no future dates)."""
    rng = random.Random(seed)
    rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>RTY</t></is></c><c r="C1" t="inlineStr"><is><t>SPX</t></is></c></row>']
    rty, spx, day = 100.0, 60.0, dt.date(1960, 1, 4)
    for r in range(2, n + 2):
        rty *= 1 + rng.gauss(0, 0.01)
        spx *= 1 + rng.gauss(0, 0.008)
        rows.append(f'<row r="{r}"><c r="A{r}" s="{DATE_STYLE}"><v>{excel_serial(day)}</v></c>'
                    f'<c r="B{r}"><v>{rty:.4f}</v></c><c r="C{r}"><v>{spx:.4f}</v></c></row>')
        day += dt.timedelta(days=1)
    return rows


def big_sheet_xml(rows: list[str], dimension: str | None = None) -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{XML_DECL}<worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()


def _writer(edit, dimension: str | None = None, with_good: bool = False, n: int = BIG_ROWS):
    """A book whose sheet "Prices" is the big sheet after ``edit(rows)``."""
    def write(path) -> None:
        rows = big_rows(n)
        edit(rows)
        sheets = [Sheet("Prices", body=big_sheet_xml(rows, dimension))]
        if with_good:
            sheets.insert(0, good_sheet("Good"))
        write_zip(path, workbook_parts(Workbook(sheets)))

    return write


def _append(xml: str):
    return lambda rows: rows.append(xml)


def _insert_middle(xml: str):
    return lambda rows: rows.insert(len(rows) // 2, xml)


def _in_row(r: int, cell: str):
    """``cell`` appended inside the existing row ``r``."""
    def edit(rows: list[str]) -> None:
        rows[r - 1] = rows[r - 1].replace("</row>", cell + "</row>")
    return edit


def specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, write, expect: str = "series", file_ext: str = ".xlsx", **kw) -> None:
        s.append(CaseSpec(name, "far_cell_big_part", f"{name}{file_ext}", expect, write, **kw))  # type: ignore[arg-type]

    add("big_far_cell_no_dimension", _writer(_append(FAR_ROW)))
    add("big_far_cell_lying_dimension", _writer(_insert_middle(FAR_ROW), dimension=f"A1:C{BIG_ROWS + 1}"))
    add("big_far_cell_true_dimension", _writer(_append(FAR_ROW), dimension="A1:XFD1048576"))
    add("big_far_column_inside_row", _writer(_in_row(12_000, '<c r="XFD12000"><v>1</v></c>')))
    add("big_four_letter_column", _writer(_insert_middle('<row r="5"><c r="ZZZZ5"><v>1</v></c></row>')))
    add("big_five_letter_column", _writer(_in_row(300, '<c r="AAAAA300"><v>1</v></c>')))
    add("big_nine_digit_row", _writer(_insert_middle('<row r="999999999"><c r="A999999999"><v>1</v></c></row>')))
    add("big_row_wrapping_u32", _writer(_in_row(40, '<c r="D99999999999"><v>1</v></c>')))
    add("big_lowercase_far_cell", _writer(_append('<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>')))
    add("big_far_row_tag_cell_without_r", _writer(_insert_middle('<row r="1000000000"><c><v>1</v></c></row>')))
    add("big_namespaced_far_cell", _writer(_in_row(77, f'<x:c xmlns:x="{MAIN_NS}" r="XFD77"><x:v>1</x:v></x:c>')))
    add("big_single_quoted_far_cell", _writer(_append("<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")))
    add("big_spaced_attribute_far_cell", _writer(_append('<row r="1048576"><c r = "XFD1048576" ><v>1</v></c></row>')))
    add("big_cells_without_r_after_far_cell", _writer(_in_row(9, '<c r="XFD9"><v>1</v></c><c><v>2</v></c><c><v>3</v></c>')))
    add("big_row_pushed_past_xfd", _writer(_in_row(3, "<c><v>1</v></c>" * 20_000)), "message", where_sheet="Prices")
    add("big_far_empty_styled_cell", _writer(_append('<row r="1048576"><c r="XFD1048576" s="1"/></row>')))
    add("big_far_cell_second_sheet", _writer(_append(FAR_ROW), with_good=True), good_sheets=("Good",))
    add("big_no_far_cell_control", _writer(lambda rows: None))
    # The same tricks in a small part (the regex scan path) once slipped through too.
    add("small_far_row_tag_cell_without_r", _writer(_insert_middle('<row r="1000000000"><c><v>1</v></c></row>'), n=40))
    add("small_namespaced_cell_without_r_far_row", _writer(_insert_middle(f'<row r="2000000000"><x:c xmlns:x="{MAIN_NS}"><x:v>1</x:v></x:c></row>'), n=40))
    add("small_row_wrapping_u32", _writer(_in_row(20, '<c r="D99999999999"><v>1</v></c>'), n=40))
    add("small_five_letter_column", _writer(_in_row(20, '<c r="AAAAA20"><v>1</v></c>'), n=40))
    # Legacy .xls: the format caps the box at 65,536 x 256, but a cell in IV65536 still
    # made a 16.7M-cell dense grid (7 s, 2.3 GB); now read row by row.
    add("xls_far_corner_cell", lambda p: p.write_bytes(biff.dated_xls(extra=[biff.number(65535, 255, 1.0)])), file_ext=".xls")
    add("xls_far_row_and_column_cells", lambda p: p.write_bytes(biff.dated_xls(extra=[
        biff.number(65535, 1, 1.0), biff.number(20, 255, 2.0)])), file_ext=".xls")
    add("xls_no_far_cell_control", lambda p: p.write_bytes(biff.dated_xls()), file_ext=".xls")
    return s

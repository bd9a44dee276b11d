"""The streaming bound of big sheet parts (core.ingest.part_scan) and how extent uses it:
checked against an independent regex reading of the same XML, across block boundaries."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest

from core.ingest import extent, part_scan
from core.messages import column_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _sheet(cells: list[str], rows_per_tag: int = 3) -> bytes:
    body = "".join(f'<row r="{i + 1}">{"".join(cells[i:i + rows_per_tag])}</row>'
                   for i in range(0, len(cells), rows_per_tag))
    return (f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{body}</sheetData>'
            "</worksheet>").encode()


def _zip(xml: bytes, method: int = zipfile.ZIP_DEFLATED) -> tuple[bytes, zipfile.ZipInfo]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", xml)
    data = buf.getvalue()
    return data, zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")


def _independent_max(xml: bytes) -> tuple[int, int]:
    """Largest row and column of every <c r="..."> reference, by regex and int()."""
    rows = cols = 0
    for letters, digits in re.findall(rb'<c r="([A-Za-z]+)(\d+)"', xml):
        col = 0
        for ch in letters.decode().upper():
            col = col * 26 + ord(ch) - 64
        rows, cols = max(rows, int(digits)), max(cols, col)
    return rows, cols


@pytest.fixture
def tiny_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of a few hundred bytes: every tag boundary case is crossed many times."""
    monkeypatch.setattr(part_scan, "IN_CHUNK_BYTES", 97)
    monkeypatch.setattr(part_scan, "OUT_BLOCK_BYTES", 211)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("method", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED, zipfile.ZIP_BZIP2])
def test_bound_covers_and_is_tight(seed: int, method: int, tiny_blocks: None) -> None:
    rng = random.Random(seed)
    cells = []
    for _ in range(rng.randint(50, 400)):
        r = rng.randint(1, 10 ** rng.randint(1, 6))
        c = rng.randint(0, rng.choice([3, 40, 700, 16383]))
        cells.append(f'<c r="{column_letter(c)}{r}" t="n"><v>{rng.random():.6f}</v></c>')
    xml = _sheet(cells)
    bounds = part_scan.scan_part(*_zip(xml, method))
    true_rows, true_cols = _independent_max(xml)
    assert bounds.irregular is None and bounds.far is None
    assert bounds.cells == len(cells)
    digits, lead = len(str(true_rows)), int(str(true_rows)[0])
    assert bounds.rows == (lead + 1) * 10 ** (digits - 1) - 1 >= true_rows
    assert true_cols <= bounds.cols
    lead = column_letter(true_cols - 1)[0]
    assert bounds.cols == extent.column_number(lead + "Z" * (len(column_letter(true_cols - 1)) - 1))


@pytest.mark.parametrize("cell, far", [
    ('<c r="ZZZZ5"><v>1</v></c>', "ZZZZ5"),
    ('<c r="A12345678"><v>1</v></c>', "A12345678"),
    ('<c r="D99999999999"><v>1</v></c>', "D99999999999"),
    ('<c r="XFE5"><v>1</v></c>', None),  # 3 letters: bounded past XFD
    ('<c r="A1048577"><v>1</v></c>', None),  # 7 digits: bounded, too big for the grid
    ('<c r="xfd1048576"><v>1</v></c>', None),
])
def test_far_references_are_named_or_bound_past_the_grid(cell: str, far: str | None,
                                                         tiny_blocks: None) -> None:
    cells = [f'<c r="A{i}"><v>{i}</v></c>' for i in range(1, 200)]
    cells.insert(100, cell)
    bounds = part_scan.scan_part(*_zip(_sheet(cells)))
    assert bounds.irregular is None
    if far is not None:
        assert bounds.far == far
    true_rows, true_cols = _independent_max(_sheet(cells))
    assert bounds.rows >= min(true_rows, extent.EXCEL_MAX_ROW + 1)
    assert bounds.cols >= min(true_cols, extent.EXCEL_MAX_COL + 1)
    assert bounds.rows > extent.EXCEL_MAX_ROW or bounds.cols > extent.EXCEL_MAX_COL


@pytest.mark.parametrize("cell", [
    "<c><v>1</v></c>",
    '<c s="1" r="A5"><v>1</v></c>',
    "<c r='A5'><v>1</v></c>",
    '<c\tr="A5"><v>1</v></c>',
    '<c r = "A5"><v>1</v></c>',
    f'<x:c xmlns:x="{NS}" r="A5"><x:v>1</x:v></x:c>',
])
def test_cells_written_any_other_way_make_the_part_irregular(cell: str, tiny_blocks: None) -> None:
    cells = [f'<c r="B{i}"><v>{i}</v></c>' for i in range(1, 300)]
    cells.insert(150, cell)
    assert part_scan.scan_part(*_zip(_sheet(cells))).irregular


def test_other_c_tags_and_text_are_not_cells(tiny_blocks: None) -> None:
    cells = [f'<c r="B{i}" t="inlineStr"><is><t>abc &lt;c r="ZZZZ1"&gt; 8c &gt;c d</t></is></c>'
             for i in range(1, 100)]
    xml = _sheet(cells).replace(b"<sheetData>", b'<cols><col min="1" max="3"/></cols><sheetData>')
    bounds = part_scan.scan_part(*_zip(xml))
    assert (bounds.irregular, bounds.far, bounds.cells) == (None, None, 99)
    assert (bounds.rows, bounds.cols) == (99, 2)


def test_damaged_deflate_raises() -> None:
    data, info = _zip(_sheet([f'<c r="A{i}"><v>{i}</v></c>' for i in range(1, 5000)]))
    start = info.header_offset + 30 + len(info.filename)
    garbled = bytes(b ^ 0x5A for b in data[start + 200:start + 400])
    broken = data[:start + 200] + garbled + data[start + 400:]
    with pytest.raises(zlib_error()):
        part_scan.scan_part(broken, info)


def zlib_error() -> type[Exception]:
    import zlib
    return zlib.error


def test_prefetch_hands_out_results_in_any_order() -> None:
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet([f'<c r="C{i * 10}"><v>1</v></c>'])
             for i in range(1, 4)}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    data = buf.getvalue()
    zf = zipfile.ZipFile(io.BytesIO(data))
    prefetch = part_scan.PartPrefetch(data, [zf.getinfo(n) for n in parts])
    assert prefetch.get("xl/worksheets/sheet3.xml").rows == 39  # 30: leading 3, two digits
    assert prefetch.get("xl/worksheets/sheet1.xml").rows == 19
    prefetch.close()


def _book_zip(sheet_xml: bytes) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return zipfile.ZipFile(io.BytesIO(buf.getvalue()))


def _big_cells(extra: str = "") -> bytes:
    cells = [f'<c r="{c}{r}"><v>{r}.5</v></c>' for r in range(1, 3000) for c in "ABC"]
    cells.insert(4000, extra)
    return _sheet(cells)


def test_sheet_extent_of_a_big_part(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extent, "FULL_SCAN_BYTES", 10_000)
    ext = extent.sheet_extent(_book_zip(_big_cells()), "xl/worksheets/sheet1.xml")
    assert (ext.rows, ext.cols) == (2999, 3) and ext.dense_ok()  # rows 1-2999: bound 2999
    # a far cell: looked at closely (strays set aside) while the part is small enough ...
    ext = extent.sheet_extent(_book_zip(_big_cells('<c r="XFD1048576"><v>1</v></c>')),
                              "xl/worksheets/sheet1.xml")
    assert ext.stray_names() == ["XFD1048576"] and ext.scanned
    # ... refused with the cell's name beyond that
    monkeypatch.setattr(extent, "MAX_FULL_SCAN_BYTES", 20_000)
    ext = extent.sheet_extent(_book_zip(_big_cells('<c r="ZZZZ9"><v>1</v></c>')),
                              "xl/worksheets/sheet1.xml")
    assert not ext.dense_ok() and "ZZZZ9" in (ext.why or "")
    ext = extent.sheet_extent(_book_zip(_big_cells("<c><v>1</v></c>")), "xl/worksheets/sheet1.xml")
    assert not ext.dense_ok() and "unusually" in (ext.why or "")


def test_scan_extent_places_cells_without_r_in_their_row_tag() -> None:
    xml = _sheet([f'<c r="A{i}"><v>{i}</v></c>' for i in range(1, 30)], rows_per_tag=1)
    xml = xml.replace(b"</sheetData>", b'<row r="1000000000"><c><v>1</v></c></row></sheetData>')
    assert not extent.scan_extent(xml).dense_ok()
    ns = xml.replace(b"<c><v>1</v></c>", f'<x:c xmlns:x="{NS}"><x:v>1</x:v></x:c>'.encode())
    assert not extent.scan_extent(ns).dense_ok()
    empty_far_row = _sheet([f'<c r="A{i}"><v>{i}</v></c>' for i in range(1, 30)], 1).replace(
        b"</sheetData>", b'<row r="1048576" ht="30" customHeight="1"/></sheetData>')
    assert extent.scan_extent(empty_far_row).dense_ok()  # a formatted empty row is no cell


def test_a_million_row_sheet_is_refused_but_a_far_stray_row_is_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extent, "FULL_SCAN_BYTES", 10_000)
    monkeypatch.setattr(extent, "MAX_SHEET_ROWS", 1000)  # the same rule, scaled down
    member = "xl/worksheets/sheet1.xml"
    long_part = _book_zip(_sheet([f'<c r="A{r}"><v>{r}</v></c>' for r in range(1, 1500)], 1))
    assert extent.sheet_extent(long_part, member).refuse  # precise scan: 1,499 rows
    table = [f'<c r="{c}{r}"><v>{r}</v></c>' for r in range(1, 600) for c in "ABC"]
    stray = _book_zip(_sheet([*table, '<c r="A900000"><v>1</v></c>']))
    ext = extent.sheet_extent(stray, member)
    assert ext.refuse is None and ext.stray_names() == ["A900000"]
    monkeypatch.setattr(extent, "MAX_FULL_SCAN_BYTES", 20_000)  # too big to look closer
    assert "1,000" in (extent.sheet_extent(long_part, member).refuse or "")
    sparse_far = _book_zip(_sheet([*table[:300], '<c r="A900000"><v>1</v></c>']))
    assert extent.sheet_extent(sparse_far, member).refuse is None  # 301 cells: not long


def test_sparse_rows_match_the_dense_read(tmp_path) -> None:
    import python_calamine

    from ingest_helpers import write_xlsx

    rows = [[None, None, None], [None, "Date", "RTY"], *([None, f"2024-01-{d:02d}", float(d)]
                                                         for d in range(2, 20))]
    rows += [[None, None, None]] * 3 + [[None, "note", None]]
    path = write_xlsx(tmp_path / "b.xlsx", {"S": rows})
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S")
    dense = sheet.to_python(skip_empty_area=False)
    sparse, removed = extent.sparse_rows(sheet)
    assert removed == []
    assert len(sparse) == len(dense)
    for got, want in zip(sparse, dense, strict=True):
        assert got == ([] if all(v == "" for v in want) else want)

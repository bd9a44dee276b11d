"""A legacy .xls with a stray value far from its table (IV65536: a 65,536 x 256 box):
the far cell is set aside before calamine reads the file, the table loads whole, and
one notice names the cell."""

from __future__ import annotations

import datetime as dt
import io
import struct
from pathlib import Path

import numpy as np
import pytest
from python_calamine import CalamineWorkbook

from core.ingest import load_file, xls_strays
from core.ingest.xls_strays import drop_far_cells

from . import biff

ROWS = 300
FIRST_DAY = dt.date(1899, 12, 30) + dt.timedelta(days=45_001)


def _closes(path: Path) -> tuple[np.ndarray, np.ndarray]:
    result = load_file(str(path))
    assert [s.id for s in result.series] == [f"{path.stem}:Prices:B"]
    s = result.series[0]
    return s.dates, s.values


@pytest.mark.parametrize(("far_cells", "names"), [
    ([biff.number(65535, 255, 1.0)], ["IV65536"]),
    ([biff.number(65535, 1, 1.0), biff.number(20, 255, 2.0)], ["B65536", "IV21"]),
])
def test_far_cells_are_set_aside_and_the_table_loads(tmp_path: Path, far_cells, names) -> None:
    path = tmp_path / "closes.xls"
    path.write_bytes(biff.dated_xls(ROWS, extra=far_cells))
    dates, values = _closes(path)
    assert len(dates) == ROWS
    assert dates[0] == np.datetime64(FIRST_DAY)
    assert dates[-1] == np.datetime64(FIRST_DAY + dt.timedelta(days=ROWS - 1))
    assert values.tolist() == [2000.0 + r for r in range(1, ROWS + 1)]
    notes = [m for m in load_file(str(path)).messages if "far outside the table" in m.text]
    assert sorted(m.cell for m in notes) == sorted(names)
    assert all(m.level == "info" for m in notes)


def test_calamine_never_sees_the_far_cell() -> None:
    data = biff.dated_xls(ROWS, extra=[biff.number(65535, 255, 1.0)])
    cleaned, strays = drop_far_cells(data)
    assert strays == {"Prices": [(65535, 255, 1.0)]}
    assert len(cleaned) == len(data)  # same records, same length: nothing else moved
    book = CalamineWorkbook.from_filelike(io.BytesIO(cleaned))
    sheet = book.get_sheet_by_name("Prices")
    assert (sheet.start, sheet.end) == ((1, 0), (ROWS, 1))


def test_a_file_without_far_cells_is_left_alone() -> None:
    data = biff.dated_xls(ROWS, extra=[biff.number(ROWS + 5, 3, 7.0)])  # near: part of it
    assert drop_far_cells(data) == (data, {})


def test_a_damaged_container_is_left_to_calamine() -> None:
    data = biff.dated_xls(ROWS, extra=[biff.number(65535, 255, 1.0)])
    damaged = data[:600]  # the header and FAT, no stream
    assert drop_far_cells(damaged) == (damaged, {})


def _dimensions(rows: int, cols: int) -> bytes:
    """Excel's used range (DIMENSIONS): rows and columns one past the last."""
    return struct.pack("<HHIIHHH", 0x0200, 14, 0, rows, 0, cols, 0)


def _book_with_dimensions(rows: int, cols: int, extra: list[bytes]) -> bytes:
    cells = [_dimensions(rows, cols)]
    for r in range(1, ROWS + 1):
        cells += [biff.number(r, 0, 45_000.0 + r, biff.DATE_XF), biff.number(r, 1, 2000.0 + r)]
    return biff.compound_file(biff.workbook_stream(cells + extra))


def test_excel_used_range_shrinks_with_the_far_cell(tmp_path: Path) -> None:
    """As Excel writes it: DIMENSIONS says 65,536 x 256 -- cut to the table too."""
    data = _book_with_dimensions(65_536, 256, [biff.number(65535, 255, 1.0)])
    cleaned, strays = drop_far_cells(data)
    assert strays == {"Prices": [(65535, 255, 1.0)]}
    assert _dimensions(ROWS + 1, 2) in cleaned
    assert _dimensions(65_536, 256) not in cleaned
    path = tmp_path / "excel.xls"
    path.write_bytes(data)
    dates, values = _closes(path)
    assert len(dates) == ROWS
    assert values[-1] == 2000.0 + ROWS


def test_a_small_used_range_is_trusted_without_reading_the_cells() -> None:
    """The trade in xls_strays: a DIMENSIONS that understates (Excel never writes one)
    leaves the file to calamine as before -- the cells after it are not walked."""
    data = _book_with_dimensions(ROWS + 1, 2, [biff.number(65535, 255, 1.0)])
    assert drop_far_cells(data) == (data, {})


def test_a_sheet_too_long_to_walk_is_left_to_calamine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xls_strays, "MAX_WALKED_CELLS", ROWS)
    data = biff.dated_xls(ROWS, extra=[biff.number(65535, 255, 1.0)])
    assert drop_far_cells(data) == (data, {})

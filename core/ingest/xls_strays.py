"""Far stray cells of a legacy ``.xls``, set aside before calamine reads the file.

A value typed into IV65536 makes a sheet's box 65,536 x 256 cells. calamine builds that
box whole when it opens the workbook, and again when a sheet is taken out of it
(measured: 1.1 GB peak and 0.8 s for a 13 KB file whose table is 300 rows; 80 MB and
4 ms with the far cell set aside here). So the ``Workbook`` stream is read here first:
its cell records give each sheet's used rows and columns, the rule used for xlsx
(``extent._far_tail``) picks a few far cells beyond a wide gap, and those records --
with the blank cells and the DIMENSIONS record beyond the table -- become records no
reader knows (same length, so nothing else in the file moves). The set-aside cells come
back per sheet as (row, column, value), 0-based; a text value is None (its string sits
in the shared string table, not worth decoding for a notice).

A sheet whose DIMENSIONS record (Excel's used range, written before the cells) bounds
it to at most ``extent.DENSE_FLOOR`` cells is not walked: reading every record costs
~0.15 s for 50,000 cells, three times the load of a CFTC .xls. A file whose DIMENSIONS
understates its cells (crafted: Excel writes the true range) is read by calamine as before.

A sheet of more than ``MAX_WALKED_CELLS`` cell records is not walked either.

Only what is sure to be read right is touched (BIFF8, the format since Excel 97): a
stream in the mini stream, a damaged container or record chain returns the bytes
unchanged, and calamine reads them as before.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from core.ingest.extent import DENSE_FLOOR, STRAY_GAP_COLS, STRAY_GAP_ROWS, _far_tail
from core.ingest.ole import OLE_MAGIC, WORKBOOK_STREAMS

Stray = tuple[int, int, object]

_END_OF_CHAIN = 0xFFFFFFFE
_NUMBER, _RK, _MULRK, _LABELSST, _LABEL, _RSTRING = 0x0203, 0x027E, 0x00BD, 0x00FD, 0x0204, 0x00D6
_BOOLERR, _FORMULA, _BLANK, _MULBLANK, _DIMENSIONS = 0x0205, 0x0006, 0x0201, 0x00BE, 0x0200
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_SINGLE_CELL = (_NUMBER, _RK, _LABELSST, _LABEL, _RSTRING, _BOOLERR, _FORMULA)
MAX_WALKED_CELLS = 200_000
"""A sheet with more cell records is left to calamine as before: walking them here would
add ~0.35 s (0.24 s measured for 137,000), and a box that big is mostly real cells."""
_IGNORED_RECORD = 0x0000  # no BIFF8 record has this type; readers skip what they do not know


@dataclass
class _Cell:
    at: int  # stream offset of the record
    row: int
    col: int
    value: object
    data: bool  # False for a formatted blank


@dataclass
class _Sheet:
    name: str
    cells: list[_Cell] = field(default_factory=list)
    dimensions: int | None = None  # stream offset of the DIMENSIONS record


def drop_far_cells(data: bytes) -> tuple[bytes, dict[str, list[Stray]]]:
    """``data`` with the far stray cells of each sheet made unreadable, and those cells
    by sheet name. Unchanged bytes and ``{}`` when there are none or the file is not
    plain enough to patch safely."""
    try:
        stream = _WorkbookStream(data)
        sheets = _sheets(stream.read())
    except (ValueError, IndexError, struct.error):
        return data, {}
    patched: bytearray | None = None
    set_aside: dict[str, list[Stray]] = {}
    for sheet in sheets:
        kept_rows, kept_cols, strays = _split(sheet.cells)
        if not strays:
            continue
        patched = patched if patched is not None else bytearray(data)
        for cell in sheet.cells:
            if cell.row >= kept_rows or cell.col >= kept_cols:
                stream.patch(patched, cell.at, struct.pack("<H", _IGNORED_RECORD))
        if sheet.dimensions is not None:
            stream.patch(patched, sheet.dimensions + 4,
                         struct.pack("<IIHH", 0, kept_rows, 0, kept_cols))
        set_aside[sheet.name] = [(c.row, c.col, c.value) for c in strays]
    return (bytes(patched), set_aside) if patched is not None else (data, {})


def _split(cells: list[_Cell]) -> tuple[int, int, list[_Cell]]:
    """(rows, columns) the table keeps, and the far data cells beyond them."""
    rows: dict[int, int] = {}
    cols: dict[int, int] = {}
    for c in cells:
        if c.data:
            rows[c.row + 1] = rows.get(c.row + 1, 0) + 1  # 1-based, as the xlsx scan counts
            cols[c.col + 1] = cols.get(c.col + 1, 0) + 1
    stray_rows, stray_cols = _far_tail(rows, STRAY_GAP_ROWS), _far_tail(cols, STRAY_GAP_COLS)
    if not stray_rows and not stray_cols:
        return 0, 0, []
    kept_rows = max((r for r in rows if r not in stray_rows), default=0)
    kept_cols = max((c for c in cols if c not in stray_cols), default=0)
    strays = [c for c in cells if c.data and (c.row + 1 in stray_rows or c.col + 1 in stray_cols)]
    return kept_rows, kept_cols, strays


def _sheets(stream: bytes) -> list[_Sheet]:
    """The worksheets named in the globals (BOUNDSHEET) with their cell records."""
    sheets = []
    for position, name in _boundsheets(stream):
        sheet = _Sheet(name)
        depth = 0
        for kind, at, body in _records(stream, position):
            if kind == _BOF:
                depth += 1
            elif kind == _EOF:
                depth -= 1
                if depth == 0:
                    break
            elif depth == 1:
                if kind == _DIMENSIONS and not sheet.cells and _small_box(body):
                    break  # Excel's own used range says the box is small: nothing to find
                _add_cells(sheet, kind, at, body)
                if len(sheet.cells) > MAX_WALKED_CELLS:
                    sheet.cells = []
                    break
        sheets.append(sheet)
    return sheets


def _small_box(dimensions: bytes) -> bool:
    """True when a DIMENSIONS record bounds the sheet to a box calamine builds cheaply."""
    if len(dimensions) < 14:
        return False
    _first_row, rows, _first_col, cols = struct.unpack_from("<IIHH", dimensions)
    return rows * cols <= DENSE_FLOOR


def _add_cells(sheet: _Sheet, kind: int, at: int, body: bytes) -> None:
    if kind == _DIMENSIONS and len(body) >= 14:
        sheet.dimensions = at
    elif kind in _SINGLE_CELL:
        row, col = struct.unpack_from("<HH", body)
        sheet.cells.append(_Cell(at, row, col, _value(kind, body), True))
    elif kind == _BLANK:
        row, col = struct.unpack_from("<HH", body)
        sheet.cells.append(_Cell(at, row, col, None, False))
    elif kind in (_MULRK, _MULBLANK):  # one record, several cells: set aside only whole
        row, first = struct.unpack_from("<HH", body)
        last = struct.unpack_from("<H", body, len(body) - 2)[0]
        for col in (first, last):
            value = _rk(struct.unpack_from("<I", body, 6)[0]) if kind == _MULRK else None
            sheet.cells.append(_Cell(at, row, col, value, kind == _MULRK))


def _value(kind: int, body: bytes) -> object:
    if kind == _NUMBER:
        return struct.unpack_from("<d", body, 6)[0]
    if kind == _RK:
        return _rk(struct.unpack_from("<I", body, 6)[0])
    if kind == _BOOLERR:
        return bool(body[6]) if body[7] == 0 else None
    if kind == _FORMULA and body[12:14] != b"\xff\xff":
        return struct.unpack_from("<d", body, 6)[0]
    return None


def _rk(rk: int) -> float:
    if rk & 2:
        value = float(rk >> 2 if rk < 1 << 31 else (rk >> 2) - (1 << 30))
    else:
        value = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return value / 100 if rk & 1 else value


def _boundsheets(stream: bytes) -> list[tuple[int, str]]:
    found = []
    if stream[:2] != struct.pack("<H", _BOF) or stream[4:6] != b"\x00\x06":
        raise ValueError("not BIFF8 (BIFF5 names its sheets differently)")
    for kind, _at, body in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and body[5] == 0:  # 0: a worksheet (not a chart, macro)
            position, length, wide = struct.unpack_from("<I", body)[0], body[6], body[7] & 1
            raw = body[8:8 + length * (2 if wide else 1)]
            found.append((position, raw.decode("utf-16-le" if wide else "latin-1")))
    return found


def _records(stream: bytes, position: int):
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        body = stream[position + 4:position + 4 + length]
        if len(body) < length:
            raise ValueError("record runs past the stream")
        yield kind, position, body
        position += 4 + length


class _WorkbookStream:
    """The ``Workbook`` stream of an OLE compound file: its bytes, and where each of its
    bytes lies in the file (regular sectors only; the mini stream is not followed)."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(OLE_MAGIC):
            raise ValueError("not an OLE compound file")
        self.data = data
        shift, = struct.unpack_from("<H", data, 30)
        if shift not in (9, 12):
            raise ValueError("odd sector size")
        self.sector = 1 << shift
        fat_count, directory = struct.unpack_from("<II", data, 44)
        mini_cutoff, = struct.unpack_from("<I", data, 56)
        difat = list(struct.unpack_from("<109I", data, 76))
        next_difat, difat_count = struct.unpack_from("<II", data, 68)
        per_sector = self.sector // 4
        for _ in range(difat_count):
            ids = struct.unpack_from(f"<{per_sector}I", data, self._offset(next_difat))
            difat += ids[:-1]
            next_difat = ids[-1]
        self.fat: list[int] = []
        for s in difat[:fat_count]:
            self.fat += struct.unpack_from(f"<{per_sector}I", data, self._offset(s))
        start, size = self._find_workbook(directory)
        if size < mini_cutoff:
            raise ValueError("workbook stream in the mini stream")
        self.sectors = self._chain(start)
        if len(self.sectors) * self.sector < size:
            raise ValueError("workbook stream shorter than its size")
        self.size = size

    def read(self) -> bytes:
        return b"".join(self.data[self._offset(s):self._offset(s) + self.sector]
                        for s in self.sectors)[:self.size]

    def patch(self, target: bytearray, at: int, new: bytes) -> None:
        """Write ``new`` over the stream's bytes from offset ``at`` (in ``target``, a copy
        of the file); a record may straddle two sectors."""
        for i, byte in enumerate(new):
            sector, within = divmod(at + i, self.sector)
            target[self._offset(self.sectors[sector]) + within] = byte

    def _offset(self, sector: int) -> int:
        offset = (sector + 1) * self.sector
        if offset + self.sector > len(self.data):
            raise ValueError("sector past the end of the file")
        return offset

    def _chain(self, start: int) -> list[int]:
        chain = []
        s = start
        while s != _END_OF_CHAIN:
            if s >= len(self.fat) or len(chain) > len(self.fat):
                raise ValueError("broken sector chain")
            chain.append(s)
            s = self.fat[s]
        return chain

    def _find_workbook(self, directory: int) -> tuple[int, int]:
        for s in self._chain(directory):
            base = self._offset(s)
            for entry in range(base, base + self.sector, 128):
                length, kind = struct.unpack_from("<HB", self.data, entry + 64)
                name = self.data[entry:entry + max(length - 2, 0)].decode("utf-16-le", "replace")
                if kind == 2 and name in WORKBOOK_STREAMS:
                    return struct.unpack_from("<II", self.data, entry + 116)
        raise ValueError("no workbook stream")

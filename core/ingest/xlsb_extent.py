"""How far an .xlsb sheet reaches, before calamine reads it.

calamine turns a sheet's cells into one dense rectangle from the first to the last
cell; in an .xlsb a single cell typed at XFD1048576 makes that 17 billion cells and the
process aborts on the allocation (no exception to catch). So each worksheet part's
records (MS-XLSB: a 1-2 byte type, a 1-4 byte size, the body) are walked here first:
``BrtRowHdr`` (type 0) gives the row, every cell record (types 2-11) its column at
offset 0. A sheet whose rectangle is too big to make dense is refused with a message
naming the far cell; the workbook's other sheets still load.
"""

from __future__ import annotations

import posixpath
import zipfile

from defusedxml import ElementTree as SafeET

from core.ingest import extent
from core.messages import cell_name

_CELL_TYPES = frozenset(range(2, 12))  # BrtCellRk .. BrtFmlaError (blanks, type 1, are not kept)
_CALAMINE_LAST_ROW = 0x10_0000  # calamine stops reading a sheet at a row beyond this


def refused_sheets(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> why it must not reach calamine, for the sheets too big to make dense."""
    out: dict[str, str] = {}
    for name, member in _sheet_members(zf).items():
        try:
            data = zf.read(member)
        except Exception:  # a damaged part: calamine names the problem better
            continue
        box = _box(data)
        if box is None:
            continue
        rows, cols, cells, far = box
        area = rows * cols
        if area > extent.MAX_DENSE_CELLS or (area > extent.DENSE_FLOOR
                                             and area > extent.SPARSE_FACTOR * max(cells, 1)):
            out[name] = (f"a cell at {cell_name(*far)} lies far outside the table ({cells:,} cells "
                         f"spread over {area:,}); sheet not loaded. Delete the stray cell, or save "
                         "the workbook as .xlsx (where such cells are set aside)")
    return out


def _box(data: bytes) -> tuple[int, int, int, tuple[int, int]] | None:
    """(rows, columns, cells, the farthest cell as (row, col)) of one worksheet part."""
    row = 0
    max_row = max_col = -1
    far = (0, 0)
    cells = 0
    i, n = 0, len(data)
    frombytes = int.from_bytes
    while i < n:
        b = data[i]
        i += 1
        rtype = b & 0x7F
        if b & 0x80:
            if i >= n:
                break
            rtype |= (data[i] & 0x7F) << 7
            i += 1
        size = shift = 0
        for _ in range(4):
            if i >= n:
                return _result(max_row, max_col, cells, far)
            b = data[i]
            i += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if rtype == 0 and size >= 4:
            row = frombytes(data[i: i + 4], "little")
            if row > _CALAMINE_LAST_ROW:
                break
        elif rtype in _CELL_TYPES and size >= 4:
            col = frombytes(data[i: i + 4], "little")
            cells += 1
            if row > max_row:
                max_row = row
            if col > max_col:
                max_col = col
            if row + col > far[0] + far[1]:
                far = (row, col)
        elif rtype == 0x92:  # BrtEndSheetData: the cells are over
            break
        i += size
    return _result(max_row, max_col, cells, far)


def _result(max_row: int, max_col: int, cells: int, far: tuple[int, int]):
    if cells == 0:
        return None
    return max_row + 1, max_col + 1, cells, far


def _sheet_members(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part, from xl/workbook.bin's BrtBundleSh records and
    xl/_rels/workbook.bin.rels."""
    try:
        rels = SafeET.fromstring(zf.read("xl/_rels/workbook.bin.rels"))
        book = zf.read("xl/workbook.bin")
    except Exception:  # missing or damaged: calamine reports it
        return {}
    targets = {r.get("Id", ""): r.get("Target", "") for r in rels.iter()
               if r.tag.rsplit("}", 1)[-1] == "Relationship"}
    names = set(zf.namelist())
    out: dict[str, str] = {}
    i, n = 0, len(book)
    while i < n:
        b = book[i]
        i += 1
        rtype = b & 0x7F
        if b & 0x80 and i < n:
            rtype |= (book[i] & 0x7F) << 7
            i += 1
        size = shift = 0
        for _ in range(4):
            if i >= n:
                return out
            b = book[i]
            i += 1
            size |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        body = book[i: i + size]
        i += size
        if rtype == 0x9C and len(body) >= 12:  # BrtBundleSh: state, tab id, rel id, name
            rel_len = int.from_bytes(body[8:12], "little")
            if rel_len == 0xFFFF_FFFF or 12 + 2 * rel_len + 4 > len(body):
                continue
            rel = body[12: 12 + 2 * rel_len].decode("utf-16-le", "replace")
            at = 12 + 2 * rel_len
            name_len = int.from_bytes(body[at: at + 4], "little")
            name = body[at + 4: at + 4 + 2 * name_len].decode("utf-16-le", "replace")
            target = targets.get(rel, "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
            if member in names:
                out[name] = member
        elif rtype == 0x90:  # BrtEndBundleShs
            break
    return out

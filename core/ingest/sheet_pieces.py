"""One big sheet part cut into row-aligned pieces that calamine reads in parallel.

python-calamine releases the GIL while it parses a sheet, but parses one sheet on one
core: on the 43 MB benchmark sheet that is 0.9 s of a 1.1 s load while the other cores
idle. ``PieceWriter`` writes the part, as ``staging`` streams it out of the checker, into
one stored zip member per staged copy of the workbook: each piece is the part's head (up
to and including the ``<sheetData>`` start tag), a run of whole ``<row>`` elements, and
the closing tags. ``read_pieces`` parses the pieces in threads and lays their cells back
on one grid, row 0 = Excel row 1, exactly as one read of the whole part would.

Why this is safe: every cell keeps its own ``r="..."`` reference (``part_scan`` proved
that before any copy is read), so a cell's place does not depend on which piece holds
it; pieces are cut only before a ``<row`` start tag inside ``sheetData`` of a part with
no ``<!`` (comments, CDATA, DOCTYPE: where a ``<row`` could hide). A part that breaks
any of that is not cut (its whole text goes to the first copy) or, found late, makes
``staging`` fall back to copying it as it was.
"""

from __future__ import annotations

import os
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import chain
from typing import BinaryIO

import numpy as np

from core.ingest.merged_headers import Merge, merges_of

try:  # ISA-L's CRC-32 is 4x faster than zlib's (4 vs 17 ms for 43 MB)
    from isal.isal_zlib import crc32 as _crc32
except ImportError:  # pragma: no cover - a build without the optional wheel
    _crc32 = zlib.crc32

MIN_PIECE_BYTES = 4 * 1024 * 1024
"""Smaller pieces gain less than another workbook open costs."""
MAX_PIECES = 4
"""A cap on copies and threads: the hand-over of cells to Python holds the GIL (0.08 s
of the long benchmark sheet however it is cut), so more pieces gain less and less.
Only two cores were measured (the development machine)."""

_ROOT = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?[^>]*\?>\s*)?"  # BOM, <?xml ...?>
                   rb"<((?:[A-Za-z_][\w.\-]*:)?worksheet)[\s>]")
_SHEET_DATA = re.compile(rb"<((?:[A-Za-z_][\w.\-]*:)?sheetData)(?:\s[^>]*)?>")


def piece_count(size: int, cores: int | None = None) -> int:
    """How many pieces a sheet part of ``size`` XML bytes is cut into on this machine
    (``GAPWATCH_SHEET_PIECES=N`` forces N for every big part: 1 turns cutting off; the
    benchmark and the hostile corpus use it)."""
    forced = os.environ.get("GAPWATCH_SHEET_PIECES", "")
    if forced.isdigit():
        return max(1, int(forced))
    if cores is None:
        cores = usable_cores()
    return max(1, min(cores, MAX_PIECES, size // MIN_PIECE_BYTES))


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


class PieceWriter:
    """Receives a part's XML block by block (``feed``) and writes piece ``j`` as a stored
    member into ``outs[j]``, a local header first (patched by ``finish``). With one
    output, or when the head is not the plain ``<worksheet>...<sheetData>`` shape, the
    whole part goes to ``outs[0]`` unchanged."""

    def __init__(self, outs: Sequence[BinaryIO], info: zipfile.ZipInfo, name: bytes,
                 flags: int) -> None:
        self.info = info
        self._outs = list(outs)
        self._name, self._flags = name, flags
        self.offsets = [out.tell() for out in self._outs]
        for out in self._outs:
            out.write(self._header(0, 0))
        self._sizes = [0] * len(self._outs)
        self._crcs = [0] * len(self._outs)
        self._fed = 0
        self._current = 0
        self._cut: list[int] = []  # where piece j + 1 should start (absolute offsets)
        self._row: re.Pattern[bytes] | None = None
        self._close = b""
        self._data_end: int | None = None  # where ``</sheetData`` starts, once seen
        self._end_tag = b""
        self._tail = b""  # the previous block's last bytes (tags split by a block edge)
        self.broken: str | None = None  # why the cut pieces cannot be used

    @property
    def pieces(self) -> int:
        """Pieces the part was cut into (1: written whole to the first output)."""
        return len(self._outs)

    def feed(self, block: bytes) -> None:
        block = block[: max(self.info.file_size - self._fed, 0)]
        if not block or self.broken is not None:
            return
        start = self._fed
        self._fed += len(block)
        if start == 0 and len(self._outs) > 1 and not self._start(block):
            self._drop_extra_outputs()
        if len(self._outs) == 1:
            self._write(0, block)
            return
        self._watch(block, start)
        pos = 0
        while self._current + 1 < len(self._outs):
            at = self._next_cut(block, start, pos)
            if at is None:
                break
            self._write(self._current, block[pos:at])
            self._write(self._current, self._close)
            self._current += 1
            pos = at
        self._write(self._current, block[pos:])

    def complete(self) -> bool:
        return self.broken is None and self._fed == self.info.file_size

    def finish(self) -> list[tuple[int, int, int]]:
        """Close the pieces; per output: (offset of its local header, size, CRC-32)."""
        for j in range(self._current + 1, len(self._outs)):  # ran out of rows: empty pieces
            self._write(j, self._close)
        if len(self._outs) == 1:  # the part as it was: its own CRC
            self._crcs[0] = self.info.CRC
        out_entries = []
        for j, out in enumerate(self._outs):
            end = out.tell()
            out.seek(self.offsets[j])
            out.write(self._header(self._sizes[j], self._crcs[j]))
            out.seek(end)
            out_entries.append((self.offsets[j], self._sizes[j], self._crcs[j]))
        return out_entries

    def abort(self) -> None:
        """Remove everything written: the caller copies the part as it was."""
        for j, out in enumerate(self._outs):
            out.seek(self.offsets[j])
            out.truncate()

    # -- cutting ----------------------------------------------------------------------
    def _start(self, block: bytes) -> bool:
        """Read the head from the first block: the root and ``sheetData`` start tags,
        where the cuts go, and write the head to the other pieces."""
        root = _ROOT.match(block)
        data = _SHEET_DATA.search(block)
        if root is None or data is None or b"<!" in block[: data.end()]:
            return False
        if data.group(0).endswith(b"/>"):  # <sheetData/>: no rows
            return False
        prefix = data.group(1)[: -len(b"sheetData")]
        self._row = re.compile(b"<" + re.escape(prefix) + rb"row[\s>/]")
        self._close = b"</" + data.group(1) + b"></" + root.group(1) + b">"
        self._end_tag = b"</" + data.group(1)
        head = block[: data.end()]
        size = self.info.file_size
        k = len(self._outs)
        self._cut = [max(data.end(), size * j // k) for j in range(1, k)]
        for j in range(1, k):
            self._write(j, head)
        return True

    def _drop_extra_outputs(self) -> None:
        for out, offset in zip(self._outs[1:], self.offsets[1:], strict=True):
            out.seek(offset)
            out.truncate()
        del self._outs[1:], self.offsets[1:], self._sizes[1:], self._crcs[1:]

    def _watch(self, block: bytes, start: int) -> None:
        """Note the end of ``sheetData`` and any ``<!`` (no cut may come after the one,
        and the other means a ``<row`` could be inside a comment or CDATA)."""
        edge = self._tail + block[: len(self._end_tag)]  # a tag split by the block edge
        if _has_declaration(block) or b"<!" in edge:
            self.broken = "the sheet XML holds comments or CDATA"
        if self._data_end is None:
            at = edge.find(self._end_tag)
            if at >= 0:
                self._data_end = start - len(self._tail) + at
            else:
                at = block.find(self._end_tag)
                if at >= 0:
                    self._data_end = start + at
        self._tail = block[-len(self._end_tag):]

    def _next_cut(self, block: bytes, start: int, pos: int) -> int | None:
        """Where in ``block`` (at or after ``pos``) the current piece ends, if it does."""
        target = self._cut[self._current]
        limit = len(block) if self._data_end is None else min(len(block), self._data_end - start)
        begin = max(pos, target - start)
        if begin >= limit:
            return None
        assert self._row is not None
        found = self._row.search(block, begin, limit)
        return None if found is None else found.start()

    def _write(self, j: int, chunk: bytes) -> None:
        if not chunk:
            return
        self._outs[j].write(chunk)
        self._sizes[j] += len(chunk)
        if len(self._outs) > 1:
            self._crcs[j] = _crc32(chunk, self._crcs[j])

    def _header(self, size: int, crc: int) -> bytes:
        return local_header(self.info, self._name, self._flags, size, crc)


def _has_declaration(block: bytes) -> bool:
    """Whether ``<!`` occurs in ``block``: found through its rare ``!`` (a memchr pass,
    ten times faster than searching for the pair where every tenth byte is ``<``)."""
    at = block.find(b"!")
    for _ in range(64):
        if at < 0:
            return False
        if at > 0 and block[at - 1] == 60:
            return True
        at = block.find(b"!", at + 1)
    return b"<!" in block  # many '!' (text or formulas): the plain search


def local_header(info: zipfile.ZipInfo, name: bytes, flags: int, size: int, crc: int) -> bytes:
    """A stored member's local header (sizes and CRC known, no data descriptor)."""
    dostime, dosdate = dos_time(info)
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, zipfile.ZIP_STORED, dostime,
                       dosdate, crc, size, size, len(name), 0) + name


def dos_time(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    if y < 1980:
        y, mo, d, h, mi, s = 1980, 1, 1, 0, 0, 0
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


# -- reading --------------------------------------------------------------------------
def read_pieces(books: Sequence, name: str) -> tuple[np.ndarray, list[Merge]]:
    """Sheet ``name`` read from each of ``books`` (one piece each) in parallel, as one
    2-d object grid from A1 (what ``to_python(skip_empty_area=False)`` of the whole part
    gives), and its merged ranges (the piece holding the part's tail has them). Raises
    what calamine raises for any piece."""
    merges: list[Merge] = []
    with ThreadPoolExecutor(max_workers=len(books), thread_name_prefix="gapwatch-piece") as pool:
        sheets = [pool.submit(book.get_sheet_by_name, name) for book in books]
        blocks: list[tuple[int, int, list[list]]] = []
        for future in sheets:  # cells go to Python (GIL held) while later pieces parse
            sheet = future.result()
            merges += merges_of(sheet)
            if sheet.start is not None:
                r0, c0 = sheet.start
                blocks.append((r0, c0, sheet.to_python(skip_empty_area=True)))
            del sheet
    return _assemble(blocks), merges


def _assemble(blocks: list[tuple[int, int, list[list]]]) -> np.ndarray:
    if not blocks:
        return np.empty((0, 0), dtype=object)
    height = max(r0 + len(rows) for r0, _, rows in blocks)
    width = max(c0 + max(map(len, rows), default=0) for _, c0, rows in blocks)
    next_row = 0
    contiguous = True
    for r0, c0, rows in blocks:
        contiguous &= r0 == next_row and c0 == 0 and all(len(r) == width for r in rows)
        next_row = r0 + len(rows)
    if contiguous:  # the usual case: one flat pass, as for a single read
        flat = np.fromiter(chain.from_iterable(chain.from_iterable(rows for _, _, rows in blocks)),
                           dtype=object, count=height * width)
        return flat.reshape(height, width)
    grid = np.full((height, width), "", dtype=object)
    filled = np.zeros(height, dtype=bool)
    for r0, c0, rows in blocks:
        part = _rect(rows)
        r1, c1 = r0 + part.shape[0], c0 + part.shape[1]
        if filled[r0:r1].any():  # rows written out of order: later cells win, blanks do not
            keep = part != ""
            grid[r0:r1, c0:c1][keep] = part[keep]
        else:
            grid[r0:r1, c0:c1] = part
        filled[r0:r1] = True
    return grid


def _rect(rows: list[list]) -> np.ndarray:
    """A calamine range's rows (all one width) as a 2-d object array."""
    width = len(rows[0]) if rows else 0
    flat = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return flat.reshape(len(rows), width)

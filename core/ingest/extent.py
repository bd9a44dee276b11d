"""How big a sheet's cell rectangle really is, before a dense reader allocates it.

python-calamine turns a sheet into a dense rows x columns block spanning its outermost
cells: one value typed into XFD1048576 asks for 17 billion cells and the process aborts
on the failed allocation (a Rust abort, not an exception). So the rectangle is bounded
first, as cheaply as the file allows:

- a small sheet part (<= ``FULL_SCAN_BYTES``) is scanned for every cell reference -- a
  regex over at most a few MB, which also finds the cells far outside the table;
- a big part whose ``<dimension>`` is well formed and plausible for its size is trusted
  (no inflation at all); one with a huge ``<dimension>`` (an honest one after someone
  typed into XFD1048576) is inflated once: the last row and last cell give the
  rectangle, and one regex pass proves no cell reference has more row digits or column
  letters than those (else every reference is scanned, or -- beyond
  ``MAX_FULL_SCAN_BYTES`` -- the sheet goes to the safe reader, which refuses it by size);
- a big part without ``<dimension>`` is not inflated (that would add ~20% to the load of
  every big openpyxl-written file); the dense grid is trimmed of strays afterwards.

What this cannot see, by choice: a *lying* or *missing* ``<dimension>`` in a part above
``FULL_SCAN_BYTES`` that also holds far-away cells -- a crafted file, not an export
(Excel, pandas and xlsxwriter write true dimensions).

A *stray* is a handful of cells far beyond the rest (someone typed into the last row or
column): those are set aside with a notice instead of becoming data or a vast block.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from core.messages import cell_name

FULL_SCAN_BYTES = 2 * 1024 * 1024
MAX_FULL_SCAN_BYTES = 48 * 1024 * 1024
HEAD_BYTES = 64 * 1024
MAX_DENSE_CELLS = 40_000_000
"""Above this a rectangle is never handed to the dense reader (32 bytes/cell in calamine)."""
SPARSE_FACTOR = 8
"""...nor when it is more than 8x emptier than its cell count and above ``DENSE_FLOOR``."""
DENSE_FLOOR = 4_000_000
MAX_STRAY_CELLS = 4
STRAY_GAP_ROWS = 1_000
STRAY_GAP_COLS = 100
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COL = 16_384

_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,4})(\d{1,9})["']""")
_ROW_TAG = re.compile(rb"""<(?:\w+:)?row\b[^>]*?\sr\s*=\s*["'](\d{1,12})["']""")
_ODD_REF_SYNTAX = (b" r='", b"\tr=", b"\nr=", b"\rr=", b" r =", b" r= ")
_A1 = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


@dataclass
class Extent:
    """``rows`` x ``cols``: the rectangle from A1 to the outermost cell (1-based bounds)."""

    rows: int
    cols: int
    cells: int | None = None  # real cell count when scanned
    strays: list[tuple[int, int]] = field(default_factory=list)  # 0-based (row, col) set aside
    scanned: bool = False  # every reference was seen (strays were looked for)
    utf16: bool = False  # the part is UTF-16 XML (calamine reads it as empty)
    unverified: bool = False  # a big part without <dimension>: rows/cols unknown

    @property
    def box(self) -> int:
        return self.rows * self.cols

    def dense_ok(self) -> bool:
        """May the dense reader (calamine) build this rectangle?"""
        if self.utf16 or self.strays or self.box > MAX_DENSE_CELLS:
            return False
        return not (self.cells is not None and self.box > DENSE_FLOOR
                    and self.box > SPARSE_FACTOR * max(self.cells, 1))

    def stray_names(self) -> list[str]:
        return [cell_name(r, c) for r, c in self.strays]


def column_number(letters: str) -> int:
    """1-based column number of ``"A"``..``"XFD"`` (any length, case-insensitive)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def parse_dimension(ref: str) -> tuple[int, int] | None:
    """(last row, last column), 1-based, of ``"A1:C41"``/``"B2"``; None if malformed."""
    parts = ref.strip().split(":")
    if not 1 <= len(parts) <= 2:
        return None
    corners = []
    for p in parts:
        m = _A1.match(p)
        if m is None:
            return None
        corners.append((int(m.group(2)), column_number(m.group(1))))
    rows = max(r for r, _ in corners)
    cols = max(c for _, c in corners)
    if min(r for r, _ in corners) < 1 or rows > EXCEL_MAX_ROW or cols > EXCEL_MAX_COL:
        return None
    return rows, cols


def is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:4] in (b"<\x00?\x00", b"\x00<\x00?")


def sheet_extent(zf: zipfile.ZipFile, member: str) -> Extent:
    """The sheet part's rectangle (see the module docstring for when it is scanned)."""
    size = zf.getinfo(member).file_size
    with zf.open(member) as fh:
        head = fh.read(HEAD_BYTES if size > FULL_SCAN_BYTES else FULL_SCAN_BYTES + 1)
    if is_utf16(head):
        return Extent(0, 0, utf16=True)
    if size <= FULL_SCAN_BYTES:
        return scan_extent(head)
    m = _DIMENSION.search(head)
    dim = parse_dimension(m.group(1).decode("ascii", "replace")) if m else None
    if dim is None:
        # No usable <dimension> in a big part (openpyxl's write-only mode omits it):
        # proving the rectangle would mean inflating the whole part, a fifth of the load
        # time. Calamine reads it; the grid is trimmed of strays afterwards.
        return Extent(0, 0, unverified=True)
    if _plausible(dim[0] * dim[1], size):
        return Extent(dim[0], dim[1])
    return estimate_extent(zf.read(member))  # an honest huge <dimension>: look closer


def _plausible(box: int, xml_bytes: int) -> bool:
    """A rectangle a dense reader may build for this much XML (a cell takes >= ~10 bytes)."""
    return box <= MAX_DENSE_CELLS and (box <= DENSE_FLOOR or box <= SPARSE_FACTOR * xml_bytes // 10)


def estimate_extent(xml: bytes) -> Extent:
    """A big part without a usable ``<dimension>``: the last row and the last cell give
    the rectangle when rows are in order (as every writer stores them); one regex pass
    checks that no reference has more row digits or column letters than those. If one
    does, every reference is scanned."""
    at = xml.rfind(b"<row ")
    last_row = _ROW_TAG.search(xml, at) if at >= 0 else None
    last_ref = None
    pos = len(xml)
    while last_ref is None and pos > 0:
        pos = xml.rfind(b' r="', 0, pos)
        if pos < 0:
            break
        last_ref = _REF.match(xml, pos)
    if last_row is None or last_ref is None:
        return scan_extent(xml)
    rows = max(int(last_row.group(1)), int(last_ref.group(2)))
    letters = len(last_ref.group(1))
    digits = len(str(rows))
    bigger = re.compile(rb' r="(?:[A-Za-z]{%d}|[A-Za-z]{0,4}\d{%d})' % (letters + 1, digits + 1))
    if any(odd in xml for odd in _ODD_REF_SYNTAX) or bigger.search(xml):
        if len(xml) > MAX_FULL_SCAN_BYTES:  # a scan would take longer than the load may
            return Extent(EXCEL_MAX_ROW, EXCEL_MAX_COL)
        return scan_extent(xml)
    return Extent(rows, column_number(last_ref.group(1).decode()))


def scan_extent(xml: bytes) -> Extent:
    """The rectangle spanned by every cell reference and row number in the XML."""
    refs = _REF.findall(xml)
    col_counts = Counter(letters for letters, _ in refs)
    row_counts = Counter(digits for _, digits in refs)
    cols = {column_number(k.decode()): v for k, v in col_counts.items()}
    rows: Counter[int] = Counter()
    for k, v in row_counts.items():
        rows[int(k)] += v
    row_tags = _ROW_TAG.findall(xml)
    for k in row_tags:  # rows whose cells carry no reference
        rows.setdefault(int(k), 0)
    n_cells = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
    if not rows and not cols and not n_cells:
        return Extent(0, 0, cells=0, scanned=True)
    stray_rows = _far_tail(rows, STRAY_GAP_ROWS)
    stray_cols = _far_tail(cols, STRAY_GAP_COLS)
    strays: list[tuple[int, int]] = []
    if stray_rows or stray_cols:
        for letters, digits in refs:
            r, c = int(digits), column_number(letters.decode())
            if r in stray_rows or c in stray_cols:
                strays.append((r - 1, c - 1))
    # Rows and cells without a reference take the next position: bound them generously.
    n_row_tags = xml.count(b"<row")
    max_row = max((r for r in rows if r not in stray_rows), default=0)
    max_row += max(0, n_row_tags - len(row_tags))
    max_col = max((c for c in cols if c not in stray_cols), default=0)
    if n_cells > len(refs):
        max_col += _widest_unreferenced_row(xml)
    return Extent(max_row, max_col, cells=n_cells, strays=sorted(set(strays)), scanned=True)


def _far_tail(counts: dict[int, int], min_gap: int) -> set[int]:
    """Positions of a small group of cells (<= MAX_STRAY_CELLS) beyond a gap of at least
    ``min_gap`` and ten times the extent of everything before it. Only the far end: a
    title far above the table is ordinary."""
    keys = sorted(counts)
    if len(keys) < 2:
        return set()
    tail: set[int] = set()
    cells = 0
    for i in range(len(keys) - 1, 0, -1):
        cells += counts[keys[i]]
        if cells > MAX_STRAY_CELLS:
            return set()
        tail.add(keys[i])
        gap = keys[i] - keys[i - 1]
        if gap >= max(min_gap, 10 * keys[i - 1]):
            return tail
    return set()


def _widest_unreferenced_row(xml: bytes) -> int:
    """Cells without ``r`` take consecutive columns: the widest such row, roughly."""
    widest = 0
    for row in re.finditer(rb"<(?:\w+:)?row\b.*?</(?:\w+:)?row>", xml, re.S):
        widest = max(widest, row.group(0).count(b"<c"))
    return widest


def trim_strays(grid: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, object]]]:
    """The grid without a few far-away cells at its bottom/right edge (same rule as the
    scan), and those cells as (row, col, value). Walks in from the edge only as far as
    the gap goes, so an ordinary dense sheet costs a few comparisons."""
    removed: list[tuple[int, int, object]] = []
    for axis, min_gap in ((0, STRAY_GAP_ROWS), (1, STRAY_GAP_COLS)):
        view = grid if axis == 0 else grid.T
        cut = _stray_cut(view, min_gap)
        if cut is None:
            continue
        tail = view[cut:]
        for r, c in zip(*np.nonzero(tail != ""), strict=True):
            rr, cc = (cut + int(r), int(c)) if axis == 0 else (int(c), cut + int(r))
            removed.append((rr, cc, grid[rr, cc]))
        grid = grid[:cut] if axis == 0 else grid[:, :cut]
    return grid, removed


def _stray_cut(view: np.ndarray, min_gap: int) -> int | None:
    """Where to cut off a stray tail (<= MAX_STRAY_CELLS cells beyond a blank gap of
    min_gap lines and 10x the table): the line after the table's last, or None."""
    n = view.shape[0]
    if n <= min_gap or view.shape[1] == 0:
        return None
    cells = 0
    tail_start = None
    end = n
    step = 1  # the edge line alone first: a full last row/column ends the search at once
    while end > 0:
        start = max(0, end - step)
        counts = np.count_nonzero(view[start:end] != "", axis=1)
        for i in np.flatnonzero(counts)[::-1]:
            line = start + int(i)
            if tail_start is not None and tail_start - line >= max(min_gap, 10 * (line + 1)):
                return line + 1  # the table ends here; blank lines and the strays go
            cells += int(counts[i])
            if cells > MAX_STRAY_CELLS:
                return None
            tail_start = line
        end = start
        step *= 4
    return None

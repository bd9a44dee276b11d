"""How big a sheet's cell rectangle really is, before a dense reader allocates it.

python-calamine turns a sheet into a dense rows x columns block spanning its outermost
valued cells: one value typed into XFD1048576 asks for 17 billion cells and the process
aborts on the failed allocation (a Rust abort, not an exception). So the rectangle is
bounded first, for every sheet part, before calamine sees it:

- a small part (<= ``FULL_SCAN_BYTES``) is scanned for every cell reference -- a regex
  over at most a few MB, which also finds the cells far outside the table;
- a big part is streamed once by ``part_scan`` (inflate + a numpy pass over every cell
  start tag, run ahead of calamine in a background thread): when every cell carries a
  leading ``r="..."`` that gives an upper bound of the rectangle, whatever its
  ``<dimension>`` says (a missing or lying one no longer matters). A part with cells
  written any other way, or whose bound is too big (a far cell), is scanned like a small
  one when it is at most ``MAX_FULL_SCAN_BYTES``; beyond that it goes to the safe
  reader, which refuses it by size with a message naming the far cell.

A big part holding ``MAX_SHEET_ROWS`` cells or more and reaching that row is refused: a
million rows take longer to read than a load may. A legacy .xls sheet cannot be bounded
before calamine reads it, but the format caps its box at 65,536 x 256 (no abort); a big
one is turned into rows lazily (``sparse_rows``) so a cell typed into IV65536 costs a
second, not a 16.7M-cell grid.

What this cannot see: nothing a dense reader would place is skipped, but the big-part
bound is loose (a far reference in an empty cell, which calamine skips, still counts,
and so does a reference in text that looks like a cell tag). The price is one inflate
and one numpy pass of every big part before calamine starts (``VERIFY_BIG_PARTS``).

A *stray* is a handful of cells far beyond the rest (someone typed into the last row or
column): those are set aside with a notice instead of becoming data or a vast block.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from core.ingest import part_scan
from core.ingest.part_scan import PartPrefetch
from core.messages import cell_name

if TYPE_CHECKING:
    from core.ingest.container import XlsxLayout

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
MAX_SHEET_ROWS = 1_000_000
"""A big part with cells at row 1,000,000 or beyond (not a few strays) is refused: reading
a million rows takes 5-9 s here, too close to the 10 s a load may take."""
REFUSED = "refused: "
"""Prefix of a why-not-dense reason that means: do not read the sheet at all."""
VERIFY_BIG_PARTS = True
"""Stream every big part through ``part_scan`` before calamine reads it. False restores
the old trade (faster big loads, and a crafted part with a far cell can abort the
process); see the module docstring."""

_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\b[^>]*?\sref\s*=\s*["']([^"']*)["']""")
# Any length: calamine reads every letters+digits reference (with wrapping u32 arithmetic),
# so "AAAAA1" and "A99999999999" are places too -- far ones.
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]+)(\d+)["']""")
_MAX_REF_DIGITS = 12
_ROW_TAG = re.compile(rb"""<(?:\w+:)?row\b[^>]*?\sr\s*=\s*["'](\d+)["']""")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s>/]")
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
    why: str | None = None  # why the rectangle could not be bounded tightly (a message)
    refuse: str | None = None  # why the sheet is not read at all (too long to load in time)

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
    for ch in letters.upper()[:_MAX_REF_DIGITS]:
        n = n * 26 + ord(ch) - 64
    return n


def _row_of(digits: bytes) -> int:
    """A reference's row number, capped (absurd lengths are simply far)."""
    return int(digits) if len(digits) <= _MAX_REF_DIGITS else 10 ** _MAX_REF_DIGITS


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


def sheet_extent(zf: zipfile.ZipFile, member: str,
                 prefetch: part_scan.PartPrefetch | None = None) -> Extent:
    """The sheet part's rectangle (see the module docstring). A big part's streaming
    bound comes from ``prefetch`` when it holds the member. Raises what inflating the
    part raises (a damaged member)."""
    size = zf.getinfo(member).file_size
    with zf.open(member) as fh:
        head = fh.read(HEAD_BYTES if size > FULL_SCAN_BYTES else FULL_SCAN_BYTES + 1)
    if is_utf16(head):
        return Extent(0, 0, utf16=True)
    if size <= FULL_SCAN_BYTES:
        return scan_extent(head)
    if not VERIFY_BIG_PARTS:
        return Extent(0, 0)  # trusted unseen; strays are trimmed after the dense read
    if prefetch is not None and member in prefetch:
        bounds = prefetch.get(member)
    else:
        bounds = part_scan.scan_part(_zip_bytes(zf), zf.getinfo(member))
    regular = bounds.irregular is None and bounds.far is None
    long = bounds.rows >= MAX_SHEET_ROWS and bounds.cells >= MAX_SHEET_ROWS  # not a few strays
    if regular and bounds.rows * bounds.cols <= MAX_DENSE_CELLS and not long:
        return Extent(bounds.rows, bounds.cols)  # an upper bound: strays are trimmed after
    if size <= MAX_FULL_SCAN_BYTES:  # look closer: cells without r, far ones to set aside
        ext = scan_extent(zf.read(member))
        if ext.rows >= MAX_SHEET_ROWS and (ext.cells or 0) >= MAX_SHEET_ROWS:
            ext.refuse = _too_long(f"its {ext.cells:,} cells reach row {ext.rows:,}")
        return ext
    if regular and bounds.rows * bounds.cols <= MAX_DENSE_CELLS:
        return Extent(bounds.rows, bounds.cols, refuse=_too_long(
            f"its {size / 1e6:.0f} MB of XML reach row {MAX_SHEET_ROWS:,} or beyond"))
    if bounds.irregular is not None:
        why = f"its {size / 1e6:.0f} MB of XML write cells unusually ({bounds.irregular})"
    elif bounds.far is not None:
        why = f"a cell at {bounds.far} lies far outside any real table"
    else:
        why = (f"its cells may span up to A1:{cell_name(bounds.rows - 1, bounds.cols - 1)} "
               f"({bounds.rows * bounds.cols:,} cells)")
    return Extent(EXCEL_MAX_ROW, EXCEL_MAX_COL, why=why)


def big_part_prefetch(data: bytes, zf: zipfile.ZipFile, layout: XlsxLayout,
                      names: list[str]) -> PartPrefetch | None:
    """Start bounding the big sheet parts in the background (sheet order first, then
    parts no sheet names), so each is proven safe for calamine before it is read and
    later ones are checked while calamine reads earlier ones."""
    if not VERIFY_BIG_PARTS:
        return None
    big = big_parts(zf, layout, names)
    return PartPrefetch(data, big) if big else None


def big_parts(zf: zipfile.ZipFile, layout: XlsxLayout, names: list[str]) -> list[zipfile.ZipInfo]:
    """The sheet parts above ``FULL_SCAN_BYTES`` that will be read (sheet order first)."""
    ordered = [layout.sheet_members[n] for n in names if n in layout.sheet_members]
    ordered += layout.worksheet_members()
    return [zf.getinfo(m) for m in dict.fromkeys(ordered)
            if layout.member_sizes.get(m, 0) > FULL_SCAN_BYTES and m not in layout.refused_members]


def sparse_rows(sheet) -> tuple[list[list], list[tuple[int, int, object]]]:
    """The rows of a calamine sheet whose rectangle is big (a legacy .xls: its box is
    only known once read, and a cell typed into IV65536 makes it 16.7M cells): iterated
    lazily, keeping the non-empty rows, with a few far stray rows set aside (same rule
    as ``trim_strays``) as (row, col, value). Blank rows come back as ``[]``."""
    c0 = (sheet.start or (0, 0))[1]  # iter_rows starts at row 0 but at the first column
    empty = [""] * sheet.width
    kept = [(r, row) for r, row in enumerate(sheet.iter_rows()) if row != empty]
    counts = {r: sum(1 for v in row if v != "") for r, row in kept}
    stray_rows = _far_tail(counts, STRAY_GAP_ROWS)
    removed = [(r, c0 + c, v) for r, row in kept if r in stray_rows
               for c, v in enumerate(row) if v != ""]
    table = [(r, row) for r, row in kept if r not in stray_rows]
    width = max((max(i for i, v in enumerate(row) if v != "") + 1 for _, row in table), default=0)
    rows: list[list] = [[] for _ in range(table[-1][0] + 1)] if table else []
    for r, row in table:  # trailing columns left blank by the strays go too
        rows[r] = [""] * c0 + row[:width]
    return rows, removed


def _too_long(what: str) -> str:
    return (f"{what}; sheets of {MAX_SHEET_ROWS:,} rows or more are refused so a load "
            "stays within seconds (save a shorter date range, or split it over sheets)")


def _zip_bytes(zf: zipfile.ZipFile) -> bytes:
    fp = zf.fp
    if hasattr(fp, "getvalue"):
        return fp.getvalue()
    fp.seek(0)
    return fp.read()


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
    rows = max(_row_of(last_row.group(1)), _row_of(last_ref.group(2)))
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
        rows[_row_of(k)] += v
    n_cells = len(_CELL_TAG.findall(xml))
    if not rows and not cols and not n_cells:
        return Extent(0, 0, cells=0, scanned=True)
    stray_rows = _far_tail(rows, STRAY_GAP_ROWS)
    stray_cols = _far_tail(cols, STRAY_GAP_COLS)
    strays: list[tuple[int, int]] = []
    if stray_rows or stray_cols:
        for letters, digits in refs:
            r, c = _row_of(digits), column_number(letters.decode())
            if r in stray_rows or c in stray_cols:
                strays.append((r - 1, c - 1))
    max_row = max((r for r in rows if r not in stray_rows), default=0)
    max_col = max((c for c in cols if c not in stray_cols), default=0)
    if n_cells > len(refs):
        # Cells without a reference sit in their <row r=...> (or the row after the
        # previous one), one column after the previous cell: bound them generously.
        row_tags = _ROW_TAG.findall(xml)
        max_row = max(max_row, max((_row_of(k) for k in row_tags), default=0))
        max_row += max(0, xml.count(b"<row") - len(row_tags))
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

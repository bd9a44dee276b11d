"""Where the table is on a sheet: which column holds the dates, which row is the header
(title and blank rows above it, headers stacked over several rows), where the data stop
(footnotes/statistics below), and whether the table is long (date, name, field, value).

Works on a 2-d object array of cells; decisions use a sample of the top rows so a
20,000-row sheet costs the same as a 200-row one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from core.ingest.date_cells import DATE_HEADER, parse_date_text

SAMPLE_ROWS = 200
_NAME_HEADER = re.compile(
    r"^(?:name|ticker|symbol|ric|security|instrument|series|contract|asset|code|id|"
    r"series[ _]?name|security[ _]?name|bbg[ _]?ticker|identifier)$", re.I)
_FIELD_HEADER = re.compile(r"^(?:field|measure|variable|metric|item|field[ _]?name|mnemonic)$", re.I)


_DATE_TYPES = (dt.date, dt.datetime)


@dataclass
class DateColumnChoice:
    col: int
    allow_serial: bool
    yymmdd: bool


def is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _is_date_like(cell: object, allow_serial: bool, yymmdd: bool) -> bool:
    if isinstance(cell, dt.date):
        return True
    if isinstance(cell, str):
        return parse_date_text(cell) is not None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if yymmdd:
            return 10101 <= cell <= 991231
        return allow_serial and 1 <= cell < 2_958_466
    return False


def choose_date_column(grid: np.ndarray, forced: int | None = None) -> DateColumnChoice | None:
    """The column with the most date cells in the top rows (leftmost on ties).

    A number counts as an Excel serial date only under a header saying "date"/"time"/...,
    and as YYMMDD only under a header saying so (CFTC)."""
    sample = grid[:SAMPLE_ROWS]
    best: DateColumnChoice | None = None
    best_count = 0
    cols = [forced] if forced is not None else range(sample.shape[1])
    for c in cols:
        column = sample[:, c]
        texts = [str(x) for x in column if isinstance(x, str) and x.strip()]
        # Only the header cells (text above the column's first number) can say "date":
        # a footnote further down ("holiday", "as of Friday") must not make numbers dates.
        heads = [str(x) for x in column[:_first_number(column)] if isinstance(x, str) and x.strip()]
        yymmdd = any("yymmdd" in t.lower() for t in heads)
        allow_serial = yymmdd or any(DATE_HEADER.search(t) and len(t) < 40 for t in heads)
        if (not allow_serial and not any(type(x) in _DATE_TYPES for x in column)
                and not any(parse_date_text(t) for t in texts)):
            continue  # numbers and non-date text only (fast exit for value columns)
        flags = [_is_date_like(x, allow_serial, yymmdd) for x in column]
        count = sum(flags)
        if count and forced is None and not _dense(flags, sample):
            continue  # a few dates in a preamble ("Holdings as of May 05, 2026") are not a column
        if count > best_count or (forced is not None and best is None):
            best, best_count = DateColumnChoice(c, allow_serial or forced is not None, yymmdd), count
    if best is None or (best_count < 2 and forced is None and _data_rows(sample) > 2):
        return None
    if best_count == 0 and forced is None:
        return None
    return best


def _first_number(column: np.ndarray) -> int:
    for r, x in enumerate(column):
        if isinstance(x, (int, float)) and not isinstance(x, bool):
            return r
    return len(column)


def _dense(flags: list[bool], sample: np.ndarray) -> bool:
    """Dates fill at least half of the non-blank rows from the first date on."""
    first = flags.index(True)
    rows = [r for r in range(first, len(sample)) if not row_is_blank(sample[r])]
    return sum(flags[r] for r in rows) * 2 >= len(rows)


def _data_rows(sample: np.ndarray) -> int:
    return sum(not all(is_blank(x) for x in row) for row in sample)


def row_is_blank(row: np.ndarray) -> bool:
    return all(is_blank(x) for x in row)


def header_row_above(grid: np.ndarray, first_data: int) -> int | None:
    """The nearest non-blank row above the first data row, if it holds text."""
    r = first_data - 1
    while r >= 0 and row_is_blank(grid[r]):
        r -= 1
    if r < 0:
        return None
    texts = sum(isinstance(x, str) and bool(x.strip()) for x in grid[r])
    numbers = sum(isinstance(x, (int, float, dt.date)) and not isinstance(x, bool) for x in grid[r])
    return r if texts >= max(1, numbers) else None


def header_texts(grid: np.ndarray, header_row: int | None, *, stack: bool = True) -> list[str]:
    """Header text per column; rows stacked directly above the header (short text in
    several cells, e.g. "Bullish" / "8-week" / "Mov Avg") are joined with spaces."""
    width = grid.shape[1]
    if header_row is None:
        return [""] * width
    rows = [header_row]
    r = header_row - 1
    while stack and r >= 0 and _stackable(grid[r]):
        rows.insert(0, r)
        r -= 1
    out = []
    for c in range(width):
        parts = [_text(grid[k, c]) for k in rows]
        out.append(" ".join(p for p in parts if p))
    return out


def _stackable(row: np.ndarray) -> bool:
    cells = [(i, x) for i, x in enumerate(row) if not is_blank(x)]
    if not cells:
        return False
    if not all(isinstance(x, str) and len(x.strip()) <= 30 for _, x in cells):
        return False
    # A lone cell in the first column is a title ("Desk export"), not a header part.
    return not (len(cells) == 1 and cells[0][0] == 0)


def _text(cell: object) -> str:
    if is_blank(cell):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell).strip()


def long_layout_columns(headers: list[str], text_cols: list[int]) -> tuple[int | None, int | None]:
    """(name column, field column) among text columns, by their header words."""
    name_col = next((c for c in text_cols if _NAME_HEADER.match(headers[c].strip())), None)
    field_col = next((c for c in text_cols if _FIELD_HEADER.match(headers[c].strip())), None)
    return name_col, field_col

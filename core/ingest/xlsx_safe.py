"""A slow but careful xlsx sheet reader, for what python-calamine cannot be trusted with.

Used per sheet when calamine raised (an error value it does not know, a malformed
``<dimension>``, a dangling shared-string index) or panicked (a date-formatted -1e20),
when the sheet's cells span a vast mostly empty rectangle, when its XML is UTF-16, and
for the whole workbook when sharedStrings.xml declares an absurd count.

It streams the XML with defusedxml's ``iterparse`` (no DTD entities, no external
references), keeps cells sparse while reading, drops a few far-away stray cells with a
notice, and only then builds the same rectangular grid the calamine path produces (row 0
= Excel row 1, '' for empty cells, floats for numbers, ``date``/``datetime`` for
date-formatted numbers, '' for error cells). A problem in one cell becomes a note naming
that cell; the rest of the sheet still loads.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field

import numpy as np
from defusedxml import ElementTree as SafeET

from core.ingest.container import XlsxLayout
from core.ingest.extent import (
    DENSE_FLOOR,
    EXCEL_MAX_COL,
    EXCEL_MAX_ROW,
    MAX_DENSE_CELLS,
    SPARSE_FACTOR,
    STRAY_GAP_COLS,
    STRAY_GAP_ROWS,
    _far_tail,
    column_number,
)
from core.messages import cell_name, column_letter

SAFE_MAX_XML_BYTES = 48 * 1024 * 1024
"""Sheet parts above this are refused by the safe reader: at ~10 MB/s they would take
longer than a user should wait (the fast reader handles big sheets; this one is the
fallback for damaged ones)."""
MAX_NOTES_PER_KIND = 5

Note = tuple[str, str | None, str]  # (level, A1 cell or None, text)

_REF = re.compile(r"^([A-Za-z]{1,4})(\d{1,9})$")
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_MAX_SERIAL = 2_958_465  # 9999-12-31


class SheetRefused(Exception):
    """The sheet is not read; the text says why."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_date_format(code: str) -> bool:
    """A number format code that shows a date/time (``yyyy-mm-dd``, ``d-mmm``, ``h:mm``)."""
    s = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)  # literals, escapes, padding
    s = re.sub(r"\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]", "", s, flags=re.I)  # colours, locales
    s = s.split(";")[0]
    return bool(re.search(r"[dmyhs]", s, re.I)) and not re.fullmatch(r"\s*general\s*", s, re.I)


def _text_of(el) -> str:
    """Text of an ``<si>``/``<is>``: its ``<t>`` and rich-text runs, not phonetic hints."""
    parts: list[str] = []
    for child in el:
        tag = _local(child.tag)
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


@dataclass
class _Cells:
    rows: list[int] = field(default_factory=list)
    cols: list[int] = field(default_factory=list)
    values: list[object] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def note(self, kind: str, level: str, cell: str | None, text: str) -> None:
        n = self.counts.get(kind, 0)
        self.counts[kind] = n + 1
        if n < MAX_NOTES_PER_KIND:
            self.notes.append((level, cell, text))


class SafeXlsxReader:
    """Reads sheets of one xlsx container; shared strings and styles are read once."""

    def __init__(self, zf: zipfile.ZipFile, layout: XlsxLayout) -> None:
        self.zf = zf
        self.layout = layout
        self._strings: list[str] | None = None
        self._date_xf: list[bool] | None = None

    def shared_strings(self) -> list[str]:
        if self._strings is None:
            strings: list[str] = []
            member = self.layout.shared_strings
            if member is not None:
                self._check_size(member)
                with self.zf.open(member) as fh:
                    for _, el in SafeET.iterparse(fh, events=("end",)):
                        if _local(el.tag) == "si":
                            strings.append(_text_of(el))
                            el.clear()
            self._strings = strings
        return self._strings

    def date_styles(self) -> list[bool]:
        """Per cell-format index (the ``s`` attribute): does it show a date?"""
        if self._date_xf is None:
            flags: list[bool] = []
            member = self.layout.styles
            if member is not None:
                self._check_size(member)
                root = SafeET.fromstring(self.zf.read(member))
                custom = {}
                for el in root.iter():
                    if _local(el.tag) == "numFmt":
                        try:
                            custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
                        except ValueError:
                            continue
                for el in root.iter():
                    if _local(el.tag) == "cellXfs":
                        for xf in el:
                            try:
                                fid = int(xf.get("numFmtId", "0"))
                            except ValueError:
                                fid = 0
                            flags.append(fid in _BUILTIN_DATE_FORMATS
                                         or (fid in custom and is_date_format(custom[fid])))
                        break
            self._date_xf = flags
        return self._date_xf

    def _check_size(self, member: str) -> None:
        size = self.zf.getinfo(member).file_size
        if size > SAFE_MAX_XML_BYTES:
            raise SheetRefused(f"{member} is {size / 1e6:.0f} MB of XML; the safe reader stops "
                               f"at {SAFE_MAX_XML_BYTES / 1e6:.0f} MB so the load stays within "
                               "seconds")

    def read_sheet(self, member: str) -> tuple[np.ndarray, list[Note]]:
        """The sheet as a rectangular object grid, and notes about cells set aside."""
        self._check_size(member)
        strings = self.shared_strings()
        date_xf = self.date_styles()
        epoch = _EPOCH_1904 if self.layout.date1904 else _EPOCH_1900
        cells = _Cells()
        row = 0
        col = -1
        with self.zf.open(member) as fh:
            for event, el in SafeET.iterparse(fh, events=("start", "end")):
                tag = _local(el.tag)
                if event == "start":
                    if tag == "row":
                        row = _row_number(el.get("r"), row)
                        col = -1
                    continue
                if tag == "c":
                    col = self._cell(el, row, col, cells, strings, date_xf, epoch)
                    el.clear()
                elif tag == "row":
                    el.clear()
                elif tag == "sheetData":
                    break  # merged cells, hyperlinks... after the data are not needed
        return _to_grid(cells), cells.notes

    def _cell(self, el, row: int, prev_col: int, cells: _Cells, strings: list[str],
              date_xf: list[bool], epoch: dt.datetime) -> int:
        ref = el.get("r")
        r, c = row - 1, prev_col + 1
        if ref is not None:
            m = _REF.match(ref)
            if m is None:
                cells.note("bad_ref", "warning", cell_name(r, c) if r >= 0 else None,
                           f"cell reference {ref[:20]!r} is not valid; read as "
                           f"{cell_name(max(r, 0), c)}")
            else:
                r, c = int(m.group(2)) - 1, column_number(m.group(1)) - 1
        if not (0 <= r < EXCEL_MAX_ROW and 0 <= c < EXCEL_MAX_COL):
            cells.note("beyond", "warning", None, f"cell {(ref or '?')[:24]!r} lies beyond "
                       "Excel's last row/column (XFD1048576); ignored")
            return c
        kind = el.get("t", "n")
        v = el.find(f"{el.tag[: -1]}v") if el.tag.endswith("c") else None
        text = None if v is None else v.text
        value: object = ""
        if kind == "s":
            if text is not None:
                try:
                    value = strings[int(text)]
                    if int(text) < 0:
                        raise IndexError
                except (ValueError, IndexError):
                    cells.note("sst", "warning", cell_name(r, c),
                               f"shared-string index {text[:24]!r} does not exist "
                               f"({len(strings)} strings in the file); cell read as empty")
                    value = ""
        elif kind == "inlineStr":
            is_ = next((ch for ch in el if _local(ch.tag) == "is"), None)
            value = _text_of(is_) if is_ is not None else (text or "")
        elif kind == "str":
            value = text or ""
        elif kind == "b":
            value = (text or "").strip() in ("1", "true")
        elif kind == "e":
            value = ""  # like calamine: an error value is an empty cell
        elif kind == "d":
            value = _iso_date(text or "")
        elif text is not None and text.strip():
            try:
                number = float(text)
            except ValueError:
                cells.note("number", "warning", cell_name(r, c),
                           f"number cell holds {text[:24]!r}; read as text")
                value = text
            else:
                value = number
                s = el.get("s")
                if s is not None and s.isdigit() and int(s) < len(date_xf) and date_xf[int(s)]:
                    value = _serial_to_date(number, epoch, cells, r, c)
        cells.rows.append(r)
        cells.cols.append(c)
        cells.values.append(value)
        return c


def _row_number(attr: str | None, previous: int) -> int:
    if attr is not None and attr.strip().isdigit() and len(attr.strip()) <= 9:
        return int(attr)
    return previous + 1


def _serial_to_date(serial: float, epoch: dt.datetime, cells: _Cells, r: int, c: int) -> object:
    if not (0 <= serial <= _MAX_SERIAL):
        cells.note("date_range", "warning", cell_name(r, c),
                   f"date-formatted value {serial:g} is not a date Excel can show; read as a "
                   "number")
        return serial
    stamp = epoch + dt.timedelta(days=serial)
    stamp = stamp.replace(microsecond=round(stamp.microsecond / 1000) * 1000 % 1_000_000)
    if serial == int(serial):
        return stamp.date()
    return stamp


def _iso_date(text: str) -> object:
    try:
        stamp = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError:
        return text
    return stamp.date() if stamp.time() == dt.time() else stamp


def _to_grid(cells: _Cells) -> np.ndarray:
    """Dense grid of the kept cells; a few far-away cells are set aside with a note."""
    if not cells.rows:
        return np.empty((0, 0), dtype=object)
    rows = np.asarray(cells.rows, dtype=np.int64)
    cols = np.asarray(cells.cols, dtype=np.int64)
    row_counts = dict(zip(*np.unique(rows + 1, return_counts=True), strict=True))
    col_counts = dict(zip(*np.unique(cols + 1, return_counts=True), strict=True))
    stray_rows = _far_tail(row_counts, STRAY_GAP_ROWS)
    stray_cols = _far_tail(col_counts, STRAY_GAP_COLS)
    keep = np.ones(len(rows), dtype=bool)
    if stray_rows or stray_cols:
        keep = ~(np.isin(rows + 1, list(stray_rows)) | np.isin(cols + 1, list(stray_cols)))
        kept_rows, kept_cols = rows[keep], cols[keep]
        where = (f"rows 1-{kept_rows.max() + 1}, columns A-{column_letter(int(kept_cols.max()))}"
                 if keep.any() else "an otherwise empty sheet")
        for i in np.flatnonzero(~keep):
            value = cells.values[i]
            shown = repr(value) if not isinstance(value, str) else repr(value[:40])
            cells.note("stray", "info", cell_name(int(rows[i]), int(cols[i])),
                       f"lone cell ({shown}) far outside the table ({where}); ignored as stray "
                       "input, not data")
        rows, cols = kept_rows, kept_cols
    if not len(rows):
        return np.empty((0, 0), dtype=object)
    height, width = int(rows.max()) + 1, int(cols.max()) + 1
    box = height * width
    if box > MAX_DENSE_CELLS or (box > DENSE_FLOOR and box > SPARSE_FACTOR * len(rows)):
        corner = cell_name(height - 1, width - 1)
        raise SheetRefused(f"its {len(rows):,} cells are spread over A1:{corner} ({box:,} cells, "
                           "mostly empty); too scattered to read as a table. Copy the table to "
                           "a new sheet and save")
    grid = np.full((height, width), "", dtype=object)
    values = np.empty(len(keep), dtype=object)
    values[:] = cells.values
    grid[rows, cols] = values[keep]  # a repeated reference keeps its last cell, as in calamine
    return grid

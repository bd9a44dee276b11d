"""Bytes -> sheets of cells. The format is sniffed from content, never the extension: CSV
text saved as ``.xls`` loads as CSV, an xlsx renamed ``.xls`` loads as xlsx, a real
``.xls`` renamed ``.xlsx`` loads as xls, and only an OLE container holding encryption
streams is called encrypted.

Workbooks are read from the in-memory bytes (the source file is never reopened, written
or locked). Each xlsx sheet is first bounded (``extent``): python-calamine reads it when
its cell rectangle is safe to make dense, otherwise -- and whenever calamine raises or
panics on it -- the defusedxml-based ``SafeXlsxReader`` does. One unreadable sheet
yields its error text and the others still load. Each sheet is returned as a
rectangular 2-d object array (row 0 = Excel row 1, col 0 = column A).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np

from core.ingest import (
    container,
    delimited_text,
    extent,
    merged_headers,
    ole,
    sheet_pieces,
    staging,
    xls_strays,
    xlsb_extent,
)
from core.ingest.delimited_text import decode_text, sniff_delimiter  # noqa: F401  (public here)
from core.ingest.guard import describe, is_input_failure
from core.ingest.ole import OLE_MAGIC
from core.ingest.xlsx_safe import Note, SafeXlsxReader, SheetRefused
from core.messages import cell_name, column_letter

ZIP_MAGIC = b"PK\x03\x04"
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
CSV_SHEET = "csv"


class ReadError(Exception):
    """The file cannot be read at all; the text says why and what to do."""


@dataclass
class RawSheet:
    name: str
    grid: np.ndarray  # 2-d object array; '' for empty cells
    notes: list[Note] = field(default_factory=list)  # (level, cell, text) about this sheet
    decimal_comma: bool = False  # text table split on ';': "1,5" more likely means 1.5


@dataclass
class OpenedBook:
    """Sheet names in order, a lazy iterator of (name, RawSheet or error text), and
    notices about the file as a whole."""

    names: list[str]
    sheets: Iterator[tuple[str, RawSheet | str]]
    notes: list[str] = field(default_factory=list)


def sniff_format(data: bytes, suffix: str = "") -> str:
    """``xlsx`` (zip container), ``xls`` (OLE with a workbook stream), ``encrypted``,
    ``text``, ``binary`` or ``empty``. ``suffix`` only breaks the tie for an OLE
    container whose streams cannot be found (damaged): ``.xlsx`` -> encrypted."""
    if not data:
        return "empty"
    if data.startswith(ZIP_MAGIC) or (data.startswith(b"PK") and _is_zip(data)):
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        kind = ole.classify_ole(data)
        if kind == "unknown":
            return "encrypted" if suffix.lower() in XLSX_SUFFIXES else "xls"
        return kind
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        return "text"  # UTF-16/32 text has NUL bytes but a BOM
    if b"\x00" in head:
        return "binary"
    return "text"


def _is_zip(data: bytes) -> bool:
    try:
        zipfile.ZipFile(io.BytesIO(data)).close()
    except Exception:
        return False
    return True


def open_workbook(data: bytes, fmt: str) -> OpenedBook:
    """An xlsx/xlsm/xlsb/ods (``fmt`` "xlsx": any zip) or xls workbook from its bytes, or
    ``ReadError`` for the whole file."""
    if fmt == "xls":
        # calamine builds a sheet's whole box: a far cell must not reach it (xls_strays)
        data, strays = xls_strays.drop_far_cells(data)
        return _calamine_book(data, None, None, strays=strays)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ReadError(f"is not a valid xlsx/zip file ({exc}); the file may be damaged or "
                        "truncated") from exc
    try:
        kind = container.workbook_kind(zf)
        if kind == "ods-encrypted":
            raise ReadError("is password-protected/encrypted (an OpenDocument spreadsheet with "
                            "a password); save an unprotected copy and open that")
        if kind in ("xlsb", "ods"):
            # No sheet XML to bound beforehand: read like .xls (calamine, big boxes sparse);
            # an .xlsb sheet reaching far away would abort calamine, so it is refused first
            container.check_other_workbook(zf)
            refused = xlsb_extent.refused_sheets(zf) if kind == "xlsb" else {}
            return _calamine_book(data, None, None, refused)
        layout = container.inspect_xlsx(zf)
    except container.ContainerRefused as exc:
        raise ReadError(str(exc)) from exc
    if layout.safe_reader_only:
        return _safe_book(zf, layout, list(layout.sheet_members), list(layout.notes))
    return _calamine_book(data, zf, layout)


def _calamine_book(data: bytes, zf: zipfile.ZipFile | None,
                   layout: container.XlsxLayout | None,
                   refused: dict[str, str] | None = None,
                   strays: dict[str, list[tuple[int, int, object]]] | None = None) -> OpenedBook:
    import python_calamine

    staged = _staged_copy(data, zf, layout)
    wb = None
    piece_books: list = []  # the staged copies holding later pieces of big parts
    if staged is not None:
        try:
            wb, *piece_books = _open_copies(staged.paths)
        except BaseException as exc:  # the copy did not suit calamine: read the original
            staged.remove()
            if not is_input_failure(exc):
                raise
            staged = None
    try:
        if wb is None:
            wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise ReadError("is password-protected/encrypted; save an unprotected copy") from exc
    except BaseException as exc:  # calamine raises its own errors (and panics) for damaged files
        if not is_input_failure(exc):
            raise
        if zf is not None and layout is not None and layout.sheet_members:
            note = (f"the fast reader cannot open it ({describe(exc)}); read with the safe XML "
                    "reader")
            return _safe_book(zf, layout, list(layout.sheet_members), [*layout.notes, note])
        raise ReadError(f"cannot be read as a workbook ({describe(exc)}); it may be damaged or "
                        "not really a spreadsheet") from None
    names = list(wb.sheet_names)
    safe = SafeXlsxReader(zf, layout) if zf is not None and layout is not None else None
    if staged is not None:
        prefetch = staged.scans  # every big part was checked while it was staged
    else:
        prefetch = (extent.big_part_prefetch(data, zf, layout, names)
                    if zf is not None and layout is not None else None)

    pieces = staged.pieces if staged is not None else {}

    def sheets() -> Iterator[tuple[str, RawSheet | str]]:
        try:
            for name in names:
                if refused and name in refused:
                    yield name, refused[name]
                    continue
                member = layout.sheet_members.get(name) if layout else None
                books = [wb, *piece_books][:pieces.get(member, 1)]
                yield name, _calamine_sheet(books, name, zf, layout, safe, prefetch,
                                            (strays or {}).get(name, []))
        finally:
            if prefetch is not None:
                prefetch.close()
            for book in (wb, *piece_books):
                book.close()
            if staged is not None:
                staged.remove()

    return OpenedBook(names, sheets(), list(layout.notes) if layout else [])


def _staged_copy(data: bytes, zf: zipfile.ZipFile | None,
                 layout: container.XlsxLayout | None) -> staging.StagedBook | None:
    """A copy with the big sheet parts checked and stored uncompressed (``staging``), or
    None: no big parts, checks switched off, or a zip that is not plain enough to copy."""
    if zf is None or layout is None or not extent.VERIFY_BIG_PARTS:
        return None
    big = extent.big_parts(zf, layout, list(layout.sheet_members))
    return staging.stage(data, zf, big) if big else None


def _open_copies(paths: list[str]) -> list:
    """The staged copies opened by calamine, in parallel (it releases the GIL)."""
    import python_calamine

    if len(paths) == 1:
        return [python_calamine.CalamineWorkbook.from_path(paths[0])]
    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        futures = [pool.submit(python_calamine.CalamineWorkbook.from_path, p) for p in paths]
        books, failure = [], None
        for future in futures:
            try:
                books.append(future.result())
            except BaseException as exc:
                failure = failure or exc
    if failure is not None:
        for book in books:
            book.close()
        raise failure
    return books


def _calamine_sheet(books: list, name: str, zf: zipfile.ZipFile | None,
                    layout: container.XlsxLayout | None, safe: SafeXlsxReader | None,
                    prefetch: extent.PartPrefetch | None = None,
                    set_aside: list[tuple[int, int, object]] = ()) -> RawSheet | str:
    """The sheet read by calamine from ``books[0]`` -- or, when its part was cut into
    pieces, from each of ``books`` in parallel. ``set_aside``: far cells taken out of the
    file before calamine read it (``xls_strays``)."""
    notes: list[Note] = []
    member = layout.sheet_members.get(name) if layout else None
    strays_seen = False  # True when a full scan already looked for far-away cells
    if layout is not None and zf is not None:
        if member in layout.refused_members:
            return layout.refused_members[member]
        if member in layout.duplicates:
            notes.append(("warning", None, f"the file holds more than one part named {member} "
                          "(damaged or tampered); the last one was read"))
        why_not, strays_seen = _why_not_dense(zf, layout, member, prefetch)
        if why_not is not None and why_not.startswith(extent.REFUSED):
            return f"{why_not[len(extent.REFUSED):]}; not loaded"
        if why_not is not None:
            if member is None or safe is None:
                return f"{why_not}; not loaded"
            return _safe_sheet(safe, name, member, notes, why_not)
    removed: list[tuple[int, int, object]] = list(set_aside)
    try:
        if len(books) > 1:
            grid, merges = sheet_pieces.read_pieces(books, name)
        else:
            sheet = books[0].get_sheet_by_name(name)
            merges = merged_headers.merges_of(sheet)
            end = sheet.end or (-1, -1)
            if layout is None and (end[0] + 1) * (end[1] + 1) > extent.DENSE_FLOOR:
                rows, removed = extent.sparse_rows(sheet)  # .xls: its box was not bounded before
            else:
                rows = sheet.to_python(skip_empty_area=False)
            del sheet
            grid = rows_to_grid(rows)
            del rows
    except BaseException as exc:
        if not is_input_failure(exc):
            raise
        if member is None or safe is None:
            return f"sheet cannot be read ({describe(exc)}); skipped"
        return _safe_sheet(safe, name, member, notes, f"the fast reader failed ({describe(exc)})")
    if (member is not None and safe is not None and not grid.size
            and layout.member_sizes.get(member, 0) > 4096):
        return _safe_sheet(safe, name, member, notes, "the fast reader found no cells in "
                           f"{layout.member_sizes[member]:,} bytes of sheet XML")
    if merges and grid.size:
        merged_headers.spread_group_labels(grid, merges)
    if not strays_seen:
        grid, trimmed = extent.trim_strays(grid)
        removed += trimmed
    notes.extend(stray_notes(removed, grid.shape))
    return RawSheet(name, grid, notes)


def stray_notes(removed: list[tuple[int, int, object]], shape: tuple[int, int]) -> list[Note]:
    where = f"rows 1-{shape[0]}, columns A-{column_letter(max(shape[1] - 1, 0))}"
    return [("info", cell_name(r, c), ("lone cell" if v is None else f"lone cell ({v!r})")
             + f" far outside the table ({where}); ignored as stray input, not data")
            for r, c, v in removed]


def _why_not_dense(zf: zipfile.ZipFile, layout: container.XlsxLayout, member: str | None,
                   prefetch: extent.PartPrefetch | None = None) -> tuple[str | None, bool]:
    """(None when calamine may read the sheet, else why the safe reader must -- or, when
    it starts with ``extent.REFUSED``, why the sheet is not read at all; whether every cell
    reference was scanned)."""
    members = [member] if member is not None else [
        m for m in layout.worksheet_members() if m not in set(layout.sheet_members.values())]
    scanned = bool(members)
    for m in members:
        try:
            ext = extent.sheet_extent(zf, m, prefetch)
        except BaseException as exc:
            if not is_input_failure(exc):
                raise
            if layout.member_sizes.get(m, 0) > extent.FULL_SCAN_BYTES:
                # An unproven big part must not reach calamine's dense grid.
                return f"its XML cannot be read through ({describe(exc)})", False
            scanned = False  # a small damaged member: calamine will say what is wrong
            continue
        scanned = scanned and ext.scanned
        if ext.refuse is not None:
            return extent.REFUSED + ext.refuse, scanned
        if ext.utf16:
            return "the sheet XML is UTF-16 encoded", scanned
        if ext.why is not None:
            return ext.why, scanned
        if ext.strays:
            return f"lone cells far outside the table ({', '.join(ext.stray_names()[:3])})", scanned
        if not ext.dense_ok():
            return (f"its cells span A1:{cell_name(ext.rows - 1, ext.cols - 1)} "
                    f"({ext.box:,} cells)"), scanned
    return None, scanned


def _safe_sheet(safe: SafeXlsxReader, name: str, member: str, notes: list[Note],
                why: str) -> RawSheet | str:
    try:
        grid, cell_notes = safe.read_sheet(member)
    except SheetRefused as exc:
        return f"{why}; {exc}; not loaded"
    except BaseException as exc:
        if not is_input_failure(exc):
            raise
        return (f"sheet cannot be read: {why}, and the safe XML reader failed too "
                f"({describe(exc)}); skipped")
    notes = [*notes, ("info", None, f"read with the safe XML reader: {why}"), *cell_notes]
    return RawSheet(name, grid, notes)


def _safe_book(zf: zipfile.ZipFile, layout: container.XlsxLayout, names: list[str],
               notes: list[str]) -> OpenedBook:
    safe = SafeXlsxReader(zf, layout)

    def sheets() -> Iterator[tuple[str, RawSheet | str]]:
        for name in names:
            member = layout.sheet_members[name]
            if member in layout.refused_members:
                yield name, layout.refused_members[member]
                continue
            try:
                grid, cell_notes = safe.read_sheet(member)
            except SheetRefused as exc:
                yield name, f"{exc}; not loaded"
                continue
            except BaseException as exc:
                if not is_input_failure(exc):
                    raise
                yield name, f"sheet cannot be read ({describe(exc)}); skipped"
                continue
            yield name, RawSheet(name, grid, cell_notes)

    return OpenedBook(names, sheets(), notes)


def rows_to_grid(rows: list[list]) -> np.ndarray:
    """Rectangular 2-d object array of a list of rows (padding short rows with '')."""
    if not rows:
        return np.empty((0, 0), dtype=object)
    lengths = set(map(len, rows))
    width = max(lengths)
    if width == 0:
        return np.empty((len(rows), 0), dtype=object)
    if len(lengths) > 1:
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    # One flat pass over the cells: 3x faster than numpy's nested-sequence assignment.
    flat = np.fromiter(chain.from_iterable(rows), dtype=object, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def read_text_table(data: bytes) -> RawSheet:
    """A delimited text file's bytes as one sheet named ``csv``."""
    if len(data) > delimited_text.MAX_TEXT_BYTES:
        raise ReadError(f"is {len(data) / 1e6:.0f} MB of text; text tables above "
                        f"{delimited_text.MAX_TEXT_BYTES / 1e6:.0f} MB are refused (split the file)")
    text = decode_text(data)
    delim = sniff_delimiter(text)
    rows, notes = delimited_text.read_rows(text, delim)
    return RawSheet(CSV_SHEET, rows_to_grid(rows), notes, decimal_comma=delim == ";")


def read_path_sheets(path: Path) -> list[tuple[str, RawSheet | str]]:
    """Every sheet of a file on disk (for templates); ``ReadError`` if it cannot be read."""
    from core.ingest.source import SourceRefused, read_source

    try:
        data, _ = read_source(path)
    except SourceRefused as exc:
        raise ReadError(str(exc)) from exc
    fmt = sniff_format(data, path.suffix)
    if fmt == "text":
        return [(CSV_SHEET, read_text_table(data))]
    if fmt not in ("xlsx", "xls"):
        raise ReadError(f"is not a readable spreadsheet ({fmt})")
    return list(open_workbook(data, fmt).sheets)

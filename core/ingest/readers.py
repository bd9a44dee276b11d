"""Bytes -> sheets of cells. The format is sniffed from content, never the extension:
CSV text saved as ``.xls`` loads as CSV, an encrypted workbook (an OLE container with an
``.xlsx`` name) is named as such. Workbooks are read with python-calamine; each sheet is
returned as a rectangular 2-d object array (row 0 = Excel row 1, col 0 = column A).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024
"""Zip-bomb guard: refuse > 500 MB uncompressed, or a member > 10 MB inflating > 200x."""

CSV_SHEET = "csv"


class ReadError(Exception):
    """The file cannot be read at all; the text says why and what to do."""


@dataclass
class RawSheet:
    name: str
    grid: np.ndarray  # 2-d object array; '' for empty cells


def sniff_format(path: Path) -> str:
    """``xlsx`` (zip container), ``xls`` (OLE/BIFF), ``encrypted``, ``text`` or ``binary``."""
    with open(path, "rb") as fh:
        head = fh.read(8192)
    if not head:
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        if path.suffix.lower() in (".xlsx", ".xlsm", ".xltx", ".xltm"):
            return "encrypted"  # Excel stores password-protected xlsx as an OLE container
        with open(path, "rb") as fh:  # an encrypted xlsx renamed .xls: same container
            if "EncryptionInfo".encode("utf-16-le") in fh.read(1 << 16):
                return "encrypted"
        return "xls"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 text has NUL bytes but a BOM
    if b"\x00" in head:
        return "binary"
    return "text"


def check_zip(path: Path) -> str | None:
    """None if the xlsx container is within the size limits, else why it is refused."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        return f"not a valid xlsx/zip file ({exc}); the file may be damaged or truncated"
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return (f"refused: it would expand to {total / 1e6:.0f} MB "
                f"(limit {MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB); not loaded")
    for info in infos:
        if info.file_size > RATIO_CHECK_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                return (f"refused: member {info.filename} expands {ratio:.0f}x "
                        f"(limit {MAX_RATIO}x), which looks like a zip bomb; not loaded")
    if not any(i.filename.lower() == "xl/workbook.xml" for i in infos) and not any(
        i.filename == "content.xml" for i in infos
    ):
        return "a zip file but not an Excel workbook (no xl/workbook.xml)"
    return None


def workbook_sheets(path: Path) -> tuple[list[str], Iterator[tuple[str, RawSheet | str]]]:
    """Sheet names and a lazy iterator of (name, RawSheet or error text) per sheet.

    One unreadable sheet yields its error text and the others still load."""
    import python_calamine

    try:
        wb = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError as exc:
        raise ReadError("the workbook is password-protected/encrypted; save an unprotected copy") from exc
    except Exception as exc:  # calamine raises its own and OS errors for damaged files
        raise ReadError(f"cannot be read as a workbook ({type(exc).__name__}: {exc}); "
                        "it may be damaged or not really an Excel file") from exc
    names = list(wb.sheet_names)

    def sheets() -> Iterator[tuple[str, RawSheet | str]]:
        try:
            for name in names:
                try:
                    rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
                except Exception as exc:
                    yield name, f"sheet cannot be read ({type(exc).__name__}: {exc}); skipped"
                    continue
                yield name, RawSheet(name, rows_to_grid(rows))
        finally:
            wb.close()

    return names, sheets()


def rows_to_grid(rows: list[list]) -> np.ndarray:
    """Rectangular 2-d object array of a list of rows (padding short rows with '')."""
    if not rows:
        return np.empty((0, 0), dtype=object)
    lengths = set(map(len, rows))
    width = max(lengths)
    if len(lengths) > 1:
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    grid = np.empty((len(rows), width), dtype=object)
    grid[:] = rows
    return grid


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one splitting most sample lines into the same
    number (> 1) of fields. Ties go to comma."""
    lines = [ln for ln in text.splitlines()[:200] if ln.strip()][:100]
    best, best_score = ",", -1
    for delim in (",", "\t", ";"):
        counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        modal = max(set(wide), key=wide.count)
        score = wide.count(modal) * 1000 + modal
        if score > best_score:
            best, best_score = delim, score
    return best


def read_text_table(path: Path) -> RawSheet:
    """A delimited text file as one sheet named ``csv``."""
    text = decode_text(path.read_bytes())
    delim = sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    return RawSheet(CSV_SHEET, rows_to_grid(rows))

"""Delimited text (CSV/TSV/semicolon, any common encoding) -> one sheet of cells.

A record the csv module cannot take (a field beyond its 128 KB limit, e.g. a 20 MB line
of digits) is skipped with a note naming its row; the records around it still load.
Row numbers in notes and messages are record numbers (row 0 = the first record), which
is what a spreadsheet shows when the file is opened in Excel.
"""

from __future__ import annotations

import csv
import io
from itertools import islice

MAX_TEXT_BYTES = 256 * 1024 * 1024
"""Text tables above this are refused: parsing would take far longer than a user waits."""
SNIFF_LINES = 200
SNIFF_MAX_LINE = 64 * 1024
MAX_SKIP_NOTES = 5

Note = tuple[str, str | None, str]


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16/32 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one splitting most sample lines into the same
    number (> 1) of fields. Ties go to comma. Overlong lines are not sampled."""
    lines = [ln for ln in islice(io.StringIO(text), SNIFF_LINES)
             if ln.strip() and len(ln) <= SNIFF_MAX_LINE][:100]
    best, best_score = ",", -1
    for delim in (",", "\t", ";"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        modal = max(set(wide), key=wide.count)
        score = wide.count(modal) * 1000 + modal
        if score > best_score:
            best, best_score = delim, score
    return best


def read_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[Note]]:
    """All records; one the csv module rejects becomes an empty row and a note."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    notes: list[Note] = []
    skipped = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            skipped += 1
            if skipped <= MAX_SKIP_NOTES:
                notes.append(("warning", f"A{len(rows) + 1}", f"record {len(rows) + 1} (line "
                              f"{reader.line_num}) cannot be read ({exc}); row skipped"))
            rows.append([])
            continue
        rows.append(row)
    if skipped > MAX_SKIP_NOTES:
        notes.append(("warning", None,
                      f"{skipped - MAX_SKIP_NOTES} more unreadable records skipped"))
    return rows, notes

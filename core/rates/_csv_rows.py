"""Reading the small editable CSV files of core.rates (FOMC calendar, target range history).

The user edits these by hand, so every bad cell becomes a Message naming file and A1
cell and the row is skipped; nothing raises.
"""

from __future__ import annotations

import csv
import datetime as _dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from core.messages import Message, cell_name

_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d")


def parse_day(text: str) -> np.datetime64 | None:
    """Calendar day from ISO (``2025-09-17``), US (``9/17/2025``) or dotted text."""
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return np.datetime64(_dt.datetime.strptime(text, fmt).date(), "D")
        except ValueError:
            continue
    return None


def parse_number(text: str) -> float | None:
    """Finite float from text such as ``4.25`` or ``4.25%``; None otherwise."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def read_rows(
    path: Path, expected_header: tuple[str, ...], messages: list[Message]
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row0, cells)`` for each data row; blank rows and ``#`` lines are skipped.

    The header must start with ``expected_header`` (case-insensitive); otherwise one
    error message is added and nothing is yielded.
    """
    file = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        messages.append(Message("error", file, None, None, f"cannot read the file: {exc}"))
        return
    body = [(i, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    body = [(i, r) for i, r in body if not r[0].lstrip().startswith("#")]
    if not body:
        messages.append(Message("error", file, None, None, "the file has no rows"))
        return
    header_row0, header = body[0]
    names = tuple(c.strip().lower() for c in header[: len(expected_header)])
    if names != expected_header:
        messages.append(
            Message(
                "error",
                file,
                None,
                cell_name(header_row0, 0),
                f"expected the header {','.join(expected_header)}, found {','.join(header)}",
            )
        )
        return
    for row0, cells in body[1:]:
        padded = list(cells) + [""] * (len(expected_header) - len(cells))
        yield row0, padded

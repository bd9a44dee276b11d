"""Writing cells safely: user text stays text, numbers stay numbers, widths fit.

Series names, sheet names and file paths come from the user's files and can be
hostile: openpyxl stores any string starting with ``=`` as a formula, so every string
goes through :func:`put_text`, which forces the string type (written as an inline
string, never an ``<f>`` element). Text that *looks* like a formula (``= + - @``, tab,
CR first) also gets Excel's quote prefix, so it stays text if the recipient edits it.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

EXCEL_MAX_TEXT = 32_767
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDE4EE", end_color="DDE4EE")
CENTRE = Alignment(horizontal="center", vertical="center")


def clean_text(value: object) -> str:
    """``str(value)`` minus the control characters XML cannot hold, cut to Excel's limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    return text[:EXCEL_MAX_TEXT]


def put_text(ws: Worksheet, row: int, col: int, value: object, *, bold: bool = False) -> Cell:
    """Write ``value`` as a plain string cell, whatever characters it starts with."""
    text = clean_text(value)
    cell = ws.cell(row=row, column=col)
    cell.value = text
    cell.data_type = "s"  # after assignment: the setter has just made "=..." a formula
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    if bold:
        cell.font = BOLD
    return cell


def put_number(
    ws: Worksheet, row: int, col: int, value: float | dt.date | None, number_format: str
) -> Cell:
    """Write a number or date with its format; None/NaN/inf leave the cell blank."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, float) and not math.isfinite(value):
        value = None
    cell.value = value
    if value is not None:
        cell.number_format = number_format
    return cell


class ColumnWidths:
    """Track the widest content per column and apply it (Excel widths are in characters)."""

    def __init__(self, minimum: float = 6, maximum: float = 60) -> None:
        self._widest: dict[int, float] = {}
        self._minimum = minimum
        self._maximum = maximum

    def see(self, col: int, chars: float) -> None:
        self._widest[col] = max(self._widest.get(col, 0.0), chars)

    def see_text(self, col: int, text: str) -> None:
        longest_line = max((len(line) for line in text.splitlines()), default=0)
        self.see(col, longest_line)

    def apply(self, ws: Worksheet) -> None:
        for col, chars in self._widest.items():
            width = min(max(chars + 2, self._minimum), self._maximum)
            ws.column_dimensions[get_column_letter(col)].width = width

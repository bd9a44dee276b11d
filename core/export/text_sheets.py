"""The "Desk note" and "Definitions & provenance" sheets: text only, all user text safe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

import core
from core.export.cells import HEADER_FILL, ColumnWidths, put_text
from core.export.contracts import ComparisonLike, FigureSpecLike
from core.export.formats import iso_date, window_text
from core.series import Series

PERCENT_NOTE = (
    "Percent figures are stored as Excel percentages (26.1% is the number 0.261); "
    "A − B of a percent figure is the difference in percentage points, shown with a % sign."
)
DATE_NOTE = "Date figures are Excel dates; A − B is not given for them."
SERIES_COLUMNS = (
    "ID", "Name", "Unit", "Frequency", "File", "Sheet", "Column", "First date", "Last date"
)
WINDOW_NOTE = "A window is the closed calendar interval [start, end]: observations dated within it."


def write_note_sheet(ws: Worksheet, sentences: Sequence[str], windows: str) -> None:
    """Row 1 a title with the windows, then one sentence per row from row 2."""
    put_text(ws, 1, 1, f"Desk note ({windows})", bold=True)
    widths = ColumnWidths(maximum=140)
    for row, sentence in enumerate(sentences, start=2):
        text = " ".join(str(sentence).split())  # one sentence, one line
        put_text(ws, row, 1, text)
        widths.see_text(1, text)
    widths.apply(ws)


def write_definitions_sheet(
    ws: Worksheet,
    comparisons: Sequence[ComparisonLike],
    series_by_id: Mapping[str, Series],
    specs: Sequence[FigureSpecLike],
    provenance: Mapping[str, object],
    generated_at: dt.datetime,
) -> None:
    """Windows, provenance (lookback, alignment, files, ...), series and figure definitions."""
    sheet = _Sheet(ws)
    sheet.heading("Gapwatch statistics export")
    sheet.pair("Generated", generated_at.isoformat(timespec="seconds"))
    sheet.pair("Gapwatch version", core.__version__)

    sheet.heading("Windows")
    for i, comparison in enumerate(comparisons, start=1):
        suffix = "" if len(comparisons) == 1 else f" (pair {i})"
        sheet.pair(f"Window A{suffix}", window_text(comparison.a.window))
        if comparison.b is not None:
            sheet.pair(f"Window B{suffix}", window_text(comparison.b.window))
    sheet.pair("Definition", WINDOW_NOTE)

    if provenance:
        sheet.heading("Provenance")
        for key, value in provenance.items():
            sheet.pair_lines(_humanise(key), _lines(value))

    sheet.heading("Series")
    sheet.row(SERIES_COLUMNS, bold=True)
    shown = _series_order(comparisons, series_by_id)
    for sid in shown:
        s = series_by_id.get(sid)
        if s is None:
            sheet.row((sid,))
            continue
        sheet.row(
            (
                sid,
                s.name,
                s.unit,
                s.frequency.value,
                s.source.file,
                s.source.sheet or "",
                s.source.column or "",
                iso_date(s.first_date) if len(s) else "",
                iso_date(s.last_date) if len(s) else "",
            )
        )

    sheet.heading("Figures")
    sheet.row(("Figure", "Column label", "Kind", "Definition"), bold=True)
    for spec in specs:
        sheet.row((spec.name, spec.label, spec.fmt, spec.description))
    sheet.pair("Percent figures", PERCENT_NOTE)
    sheet.pair("Date figures", DATE_NOTE)
    sheet.finish()


class _Sheet:
    """Appends rows of text, tracking widths."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.next_row = 1
        self.widths = ColumnWidths(maximum=80)

    def heading(self, text: str) -> None:
        if self.next_row > 1:
            self.next_row += 1  # blank line between sections
        cell = put_text(self.ws, self.next_row, 1, text, bold=True)
        cell.fill = HEADER_FILL
        self.next_row += 1

    def pair(self, key: str, value: str) -> None:
        self.row((key, value))

    def pair_lines(self, key: str, values: list[str]) -> None:
        for i, value in enumerate(values or [""]):
            self.row((key if i == 0 else "", value))

    def row(self, texts: Sequence[object], *, bold: bool = False) -> None:
        for col, text in enumerate(texts, start=1):
            cell = put_text(self.ws, self.next_row, col, text, bold=bold)
            cell.alignment = Alignment(vertical="top", wrap_text=len(cell.value) > 80)
            self.widths.see_text(col, cell.value)
        self.next_row += 1

    def finish(self) -> None:
        self.widths.apply(self.ws)


def _humanise(key: object) -> str:
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


def _lines(value: object) -> list[str]:
    """Provenance values: lists and dicts one entry per line, dates as ISO, the rest as text."""
    if isinstance(value, Mapping):
        return [f"{k}: {_scalar(v)}" for k, v in value.items()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_scalar(v) for v in value]
    return [_scalar(value)]


def _scalar(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(_scalar(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
    if isinstance(value, np.datetime64):
        return iso_date(value)
    return str(value)


def _series_order(
    comparisons: Sequence[ComparisonLike], series_by_id: Mapping[str, Series]
) -> list[str]:
    ids: list[str] = []
    for comparison in comparisons:
        for sid in comparison.a.series_ids:
            if sid not in ids:
                ids.append(sid)
    return ids or list(series_by_id)

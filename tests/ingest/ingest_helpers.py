"""Helpers shared by the ingest tests (imported by name; tests/ingest is on sys.path)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from core.catalog import LoadResult
from core.series import Series


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry; rows as lists (None = blank cell)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def by_id(result: LoadResult) -> dict[str, Series]:
    return {s.id: s for s in result.series}


def as_pairs(s: Series) -> list[tuple[str, float]]:
    return [(str(d), float(v)) for d, v in zip(s.dates, s.values, strict=True)]


def cells(result: LoadResult, level: str | None = None, sheet: str | None = None) -> list[str | None]:
    return [m.cell for m in result.messages
            if (level is None or m.level == level) and (sheet is None or m.sheet == sheet)]


def find(result: LoadResult, text: str) -> list:
    return [m for m in result.messages if text in m.text]


def value_at(s: Series, day: str) -> float:
    idx = np.flatnonzero(s.dates == np.datetime64(day, "D"))
    assert len(idx) == 1, f"{s.id} has no observation on {day}"
    return float(s.values[idx[0]])

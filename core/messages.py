"""Structured load/analysis messages: what was wrong, where (file, sheet, cell), what was done."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Message:
    """One problem or notice, always locatable.

    ``cell`` is A1 style (``"B7"``), a column (``"B"``), a row (``"7"``) or ``None``
    when the message concerns the whole sheet or file.
    """

    level: Level
    file: str
    sheet: str | None
    cell: str | None
    text: str

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.cell:
            where += f" {self.cell}"
        return f"{self.level}: {where}: {self.text}"


def cell_name(row0: int, col0: int) -> str:
    """A1 name of a zero-based (row, column): ``cell_name(0, 0) == "A1"``."""
    return f"{column_letter(col0)}{row0 + 1}"


def column_letter(col0: int) -> str:
    """Excel column letters of a zero-based column index: 0 -> A, 26 -> AA."""
    if col0 < 0:
        raise ValueError(f"negative column index {col0}")
    letters = ""
    n = col0 + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters

"""The user's corrections to automatic layout detection, as plain data.

A ``SheetMapping`` says which row is the header, which column holds the dates, which
day/month order applies and which columns to skip (Excel's own row numbers and column
letters, as the user sees them). A ``FileMapping`` holds one per sheet. The
``TemplateStore`` persists mappings as JSON under ``user_config_dir()/templates`` keyed
by the file's *template* -- its sheet names and header texts -- so next month's export
of the same report is read the same way without asking again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core import paths

DATE_ORDERS = ("MDY", "DMY", "YMD")


@dataclass
class SheetMapping:
    header_row: int | None = None  # 1-based, as Excel shows it
    date_column: str | None = None  # column letter, e.g. "A"
    date_order: str | None = None  # "MDY" | "DMY" | "YMD"
    skip_columns: list[str] = field(default_factory=list)
    skip_sheet: bool = False

    def __post_init__(self) -> None:
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ValueError(f"date_order must be one of {DATE_ORDERS}, not {self.date_order!r}")
        if self.header_row is not None and self.header_row < 1:
            raise ValueError("header_row is 1-based (Excel row number)")
        if self.date_column is not None:
            self.date_column = _letters(self.date_column)
        self.skip_columns = [_letters(c) for c in self.skip_columns]

    @property
    def header_row0(self) -> int | None:
        return None if self.header_row is None else self.header_row - 1

    @property
    def date_col0(self) -> int | None:
        return None if self.date_column is None else column_index(self.date_column)

    @property
    def skip_col0(self) -> set[int]:
        return {column_index(c) for c in self.skip_columns}


@dataclass
class FileMapping:
    """Per-sheet mappings plus the template signature they were saved against
    (sheet name -> header texts), filled in by ``TemplateStore.save``."""

    sheets: dict[str, SheetMapping] = field(default_factory=dict)
    signature: dict[str, list[str]] = field(default_factory=dict)

    def for_sheet(self, name: str) -> SheetMapping | None:
        return self.sheets.get(name)

    def to_dict(self) -> dict:
        return {"sheets": {k: asdict(v) for k, v in self.sheets.items()},
                "signature": self.signature}

    @classmethod
    def from_dict(cls, data: dict) -> FileMapping:
        return cls({k: SheetMapping(**v) for k, v in data.get("sheets", {}).items()},
                   {k: list(v) for k, v in data.get("signature", {}).items()})

    def digest(self) -> str:
        text = json.dumps(self.to_dict(), sort_keys=True)
        return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def column_index(letters: str) -> int:
    """Zero-based index of Excel column letters: A -> 0, AA -> 26."""
    n = 0
    for ch in _letters(letters):
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _letters(text: str) -> str:
    t = text.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,3}", t):
        raise ValueError(f"not a column letter: {text!r}")
    return t


def template_key(signature: dict[str, list[str]]) -> str:
    text = json.dumps(signature, sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


class TemplateStore:
    """Saved mappings, one JSON file per template under ``root``."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else paths.user_config_dir() / "templates"

    def save(self, mapping: FileMapping, signature: dict[str, list[str]]) -> Path:
        """Persist ``mapping`` for files whose sheets' header texts equal ``signature``
        (sheet -> header texts, see ``core.ingest.template_signature``)."""
        stored = FileMapping(dict(mapping.sheets), {k: list(v) for k, v in signature.items()})
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / f"{template_key(stored.signature)}.json"
        atomic_write_text(target, json.dumps(stored.to_dict(), indent=1, ensure_ascii=False))
        return target

    def load(self, key: str) -> FileMapping | None:
        try:
            return FileMapping.from_dict(json.loads((self.root / f"{key}.json").read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def all(self) -> list[FileMapping]:
        if not self.root.is_dir():
            return []
        out = []
        for p in sorted(self.root.glob("*.json")):
            m = self.load(p.stem)
            if m is not None:
                out.append(m)
        return out

    def match(self, sheet_names: list[str],
              texts_for: Callable[[str, SheetMapping | None], list[str] | None]) -> FileMapping | None:
        """The saved mapping whose sheets all exist in the file with the same header
        texts. ``texts_for(sheet, sheet_mapping)`` gives a sheet's header texts as that
        mapping would read them (see ``core.ingest.template_signature``)."""
        for m in self.all():
            if not m.signature or set(m.signature) - set(sheet_names):
                continue
            if all(texts_for(s, m.sheets.get(s)) == texts for s, texts in m.signature.items()):
                return m
        return None

    def digest(self) -> str:
        """Changes whenever a template is added/changed (part of the cache key)."""
        if not self.root.is_dir():
            return "none"
        parts = [f"{p.name}:{p.stat().st_mtime_ns}:{p.stat().st_size}"
                 for p in sorted(self.root.glob("*.json"))]
        return hashlib.blake2b("|".join(parts).encode(), digest_size=8).hexdigest()


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Temp file in the same folder then ``os.replace``: readers never see half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

"""Formula cells with no cached value in an xlsx (saved by a tool that never calculated,
e.g. openpyxl or a script): readers see an empty cell where the sheet shows a number.

Parsed straight from the sheet XML with defusedxml (never the stdlib parser on untrusted
input). A sheet without any ``<f>`` element is skipped after a byte search, so the common
case costs one decompression and no XML parsing.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from defusedxml import ElementTree as SafeET

MAX_PROBE_BYTES = 64 * 1024 * 1024
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def sheet_xml_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> member path of its XML, from workbook.xml and its rels."""
    wb = SafeET.fromstring(zf.read("xl/workbook.xml"))
    rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_NS_PKG_REL}Relationship")}
    out: dict[str, str] = {}
    for sheet in wb.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        out[sheet.get("name", "")] = path
    return out


class FormulaProbe:
    """Finds formula cells without a cached value, one sheet at a time and only when
    asked: the parser asks only for sheets where some expected value was missing, so a
    clean 150 MB sheet XML is never decompressed twice."""

    def __init__(self, source: Path | bytes, members: dict[str, str] | None = None) -> None:
        self.source = source
        self._members = members

    def cells(self, sheet: str) -> list[str]:
        source = io.BytesIO(self.source) if isinstance(self.source, bytes) else self.source
        try:
            with zipfile.ZipFile(source) as zf:
                if self._members is None:
                    self._members = sheet_xml_paths(zf)
                member = self._members.get(sheet)
                if member is None or zf.getinfo(member).file_size > MAX_PROBE_BYTES:
                    return []  # a tree of a huge sheet would cost more than the hint is worth
                data = zf.read(member)
        except Exception:  # damaged or hostile parts: the main reader reports them
            return []
        if b"<f" not in data and b":f" not in data:
            return []
        try:
            return _scan(data)
        except Exception:
            return []


def uncached_formula_cells(path: Path) -> dict[str, list[str]]:
    """Sheet name -> A1 names of formula cells whose cached value is missing."""
    probe = FormulaProbe(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = list(sheet_xml_paths(zf))
    except (zipfile.BadZipFile, KeyError, SafeET.ParseError, OSError):
        return {}
    return {n: c for n in names if (c := probe.cells(n))}


def _scan(data: bytes) -> list[str]:
    cells: list[str] = []
    root = SafeET.fromstring(data)
    for c in root.iter(f"{_NS_MAIN}c"):
        f = c.find(f"{_NS_MAIN}f")
        if f is None:
            continue
        v = c.find(f"{_NS_MAIN}v")
        is_ = c.find(f"{_NS_MAIN}is")
        if (v is None or v.text is None or v.text == "") and is_ is None:
            cells.append(c.get("r", "?"))
    return cells

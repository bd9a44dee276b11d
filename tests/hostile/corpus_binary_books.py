""".xlsb and .ods cases (issue 15): both go to python-calamine without an XML pre-scan,
so a far-away cell, a damaged part or a huge repeated area must end as a message, never
an aborted process. Written by ``tests/ingest/binary_books.py`` (no tool here writes
these formats)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import zipfile
from pathlib import Path

from .make_corpus import CaseSpec

_spec = importlib.util.spec_from_file_location(
    "binary_books", Path(__file__).resolve().parent.parent / "ingest" / "binary_books.py")
books = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(books)


def _rows(n: int = 40) -> list[list]:
    return [["Date", "RTY", "SPX"]] + [
        [dt.date(2024, 1, 2) + dt.timedelta(days=i), 2000.0 + i, 5000.0 - i] for i in range(n)]


def _xlsb(strays=None, sheets=("Prices",)):
    def write(path: Path) -> None:
        books.write_xlsb(path, {s: _rows() for s in sheets}, strays)
    return write


def _ods(edit=None):
    def write(path: Path) -> None:
        books.write_ods(path, {"Prices": _rows()})
        if edit is not None:
            with zipfile.ZipFile(path) as zf:
                parts = {i.filename: zf.read(i) for i in zf.infolist()}
            parts["content.xml"] = edit(parts["content.xml"].decode()).encode()
            with zipfile.ZipFile(path, "w") as zf:
                for name, data in parts.items():
                    zf.writestr(books._member(name, zipfile.ZIP_STORED if name == "mimetype"
                                              else zipfile.ZIP_DEFLATED), data)
    return write


def _cut(write, keep: float):
    def cut(path: Path) -> None:
        write(path)
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])
    return cut


def _far_area(rows: int, cols: int):
    far = (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell/></table:table-row>'
           f'<table:table-row><table:table-cell table:number-columns-repeated="{cols}"/>'
           '<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p>'
           "</table:table-cell></table:table-row>")
    return lambda content: content.replace("</table:table>", far + "</table:table>")


def specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, filename: str, expect: str, write, **kw) -> None:
        s.append(CaseSpec(name, "binary_books", filename, expect, write, **kw))  # type: ignore[arg-type]

    add("xlsb_good", "good.xlsb", "series", _xlsb())
    add("xlsb_far_cell_xfd1048576", "far_cell.xlsb", "series",
        _xlsb({"Bad": (1_048_575, 16_383, 7.0)}, ("Good", "Bad")), good_sheets=("Good",), where_sheet="Bad")
    add("xlsb_far_row_only", "far_row.xlsb", "series", _xlsb({"Prices": (1_048_575, 0, 7.0)}))
    add("xlsb_far_column_only", "far_col.xlsb", "series", _xlsb({"Prices": (10, 16_383, 7.0)}))
    add("xlsb_truncated_half", "truncated_half.xlsb", "message", _cut(_xlsb(), 0.5))
    add("xlsb_truncated_tail", "truncated_tail.xlsb", "either", _cut(_xlsb(), 0.97))
    add("ods_good", "good.ods", "series", _ods())
    add("ods_far_area_set_aside", "far_area.ods", "series", _ods(_far_area(1_000, 16_000)))
    add("ods_huge_repeated_area", "huge_area.ods", "message", _ods(_far_area(1_048_000, 16_000)))
    add("ods_truncated_half", "truncated_half.ods", "message", _cut(_ods(), 0.5))
    return s

"""Writers of minimal but valid ``.xlsb`` (Excel binary, MS-XLSB records) and ``.ods``
(OpenDocument) workbooks, for tests: no tool on this machine writes either format
(no LibreOffice, no odfpy). Only what a reader needs: sheets of numbers, texts, dates
(a date style in xlsb, ``office:date-value`` in ods) and, in xlsb, Excel error cells.
Checked against python-calamine, which reads files Excel and LibreOffice write."""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

EXCEL_ERRORS = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D,
                "#NUM!": 0x24, "#N/A": 0x2A}
_EPOCH = dt.date(1899, 12, 30)


class ExcelError(str):
    """A cell that holds an Excel error value (``ExcelError("#N/A")``), not text."""


def _varint(n: int, max_bytes: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            break
    assert len(out) <= max_bytes
    return bytes(out)


def _record(rtype: int, body: bytes = b"") -> bytes:
    return _varint(rtype, 2) + _varint(len(body), 4) + body


def _member(name: str, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A zip member with a fixed time, so the same rows always give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = compress
    return info


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def _xlsb_sheet(rows: list[list], stray: tuple[int, int, float] | None = None) -> bytes:
    width = max((len(r) for r in rows), default=1)
    out = [_record(0x81), _record(0x94, struct.pack("<4I", 0, max(len(rows) - 1, 0), 0, width - 1)),
           _record(0x91)]
    for r, row in enumerate(rows):
        out.append(_record(0x00, struct.pack("<IIH", r, 0, 0) + b"\x00" * 7))
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, ExcelError):
                out.append(_record(0x03, struct.pack("<II", c, 0) + bytes([EXCEL_ERRORS[v]])))
            elif isinstance(v, str):
                out.append(_record(0x06, struct.pack("<II", c, 0) + _wide(v)))
            elif isinstance(v, dt.date):
                serial = float((v - _EPOCH).days)
                out.append(_record(0x05, struct.pack("<IId", c, 1, serial)))  # style 1: a date
            else:
                out.append(_record(0x05, struct.pack("<IId", c, 0, float(v))))
    if stray is not None:  # one cell far below/right of the table (a typo at XFD1048576)
        r, c, v = stray
        out += [_record(0x00, struct.pack("<IIH", r, 0, 0) + b"\x00" * 7),
                _record(0x05, struct.pack("<IId", c, 0, float(v)))]
    out += [_record(0x92), _record(0x82)]
    return b"".join(out)


def write_xlsb(path: Path, sheets: dict[str, list[list]],
               strays: dict[str, tuple[int, int, float]] | None = None) -> Path:
    """An .xlsb with one worksheet per entry (rows as lists, None = blank); ``strays``:
    sheet -> one (row, col, value) cell (0-based) written after the table."""
    bundle = b"".join(_record(0x9C, struct.pack("<II", 0, i + 1) + _wide(f"rId{i + 1}") + _wide(name))
                      for i, name in enumerate(sheets))
    workbook = _record(0x83) + _record(0x8F) + bundle + _record(0x90) + _record(0x84)
    xf = struct.pack("<HH", 0, 0) + b"\x00" * 12, struct.pack("<HH", 0, 14) + b"\x00" * 12
    styles = _record(0x269, struct.pack("<I", 2)) + _record(0x2F, xf[0]) + _record(0x2F, xf[1])
    rels = "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/'
                   f'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i + 1}.bin"/>'
                   for i in range(len(sheets)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_member("[Content_Types].xml"), '<?xml version="1.0"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"><Default Extension="bin" '
                    'ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        zf.writestr(_member("xl/workbook.bin"), workbook)
        zf.writestr(_member("xl/styles.bin"), styles)
        zf.writestr(_member("xl/_rels/workbook.bin.rels"), '<?xml version="1.0"?><Relationships xmlns="http://'
                    f'schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (name, rows) in enumerate(sheets.items()):
            zf.writestr(_member(f"xl/worksheets/sheet{i + 1}.bin"), _xlsb_sheet(rows, (strays or {}).get(name)))
    return path


def _ods_cell(v) -> str:
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, str):
        return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
    if isinstance(v, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{v.isoformat()}">'
                f"<text:p>{v.isoformat()}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="float" office:value="{float(v)!r}">'
            f"<text:p>{v}</text:p></table:table-cell>")


def write_ods(path: Path, sheets: dict[str, list[list]]) -> Path:
    """An .ods with one table per entry (rows as lists, None = blank)."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
                  for row in rows) + "</table:table>"
        for name, rows in sheets.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
                'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
                'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                'manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(_member("mimetype", zipfile.ZIP_STORED),
                    "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(_member("content.xml"), content)
        zf.writestr(_member("META-INF/manifest.xml"), manifest)
    return path

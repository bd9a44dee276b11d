"""Raw SpreadsheetML parts and zip writing for the hostile corpus.

Hostile workbooks are written part by part instead of through openpyxl, because most of
them are things openpyxl refuses to write (dangling shared-string indices, absurd
dimensions, entity bombs) or would take minutes to write (a million rows). Everything is
deterministic: fixed zip timestamps, no clocks, no randomness without a seed.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from core.messages import column_letter as col_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DATE_STYLE = 1  # cellXfs index of the yyyy-mm-dd style written by styles_xml()


@dataclass(frozen=True)
class Err:
    """An Excel error cell (t="e"): ``#DIV/0!``, ``#N/A``..."""

    code: str


@dataclass(frozen=True)
class Formula:
    """A formula cell without a cached value: what openpyxl and scripts write."""

    text: str


@dataclass(frozen=True)
class SharedRef:
    """A t="s" cell pointing at a shared-string index (possibly a dangling one)."""

    index: str


@dataclass(frozen=True)
class RawCell:
    """A cell written verbatim (attributes and children are the caller's business)."""

    xml: str


@dataclass(frozen=True)
class Serial:
    """A number cell carrying the date style: what Excel writes for a date."""

    value: float


@dataclass
class Sheet:
    name: str
    rows: Sequence[Sequence[object]] = ()
    state: str | None = None  # "hidden" / "veryHidden"
    merges: Sequence[str] = ()
    dimension: str | None = None
    body: bytes | None = None  # full sheet XML, overrides rows


@dataclass
class Workbook:
    sheets: list[Sheet]
    shared_strings: list[str] | None = None
    extra_parts: dict[str, bytes] = field(default_factory=dict)
    drop_parts: set[str] = field(default_factory=set)
    replace_parts: dict[str, bytes] = field(default_factory=dict)


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def cell_xml(ref: str, value: object) -> str:
    """One <c> element; None means no element at all (a blank cell)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{excel_serial(value)}</v></c>'
    if isinstance(value, Serial):
        return f'<c r="{ref}" s="{DATE_STYLE}"><v>{value.value}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, Err):
        return f'<c r="{ref}" t="e"><v>{escape(value.code)}</v></c>'
    if isinstance(value, Formula):
        return f'<c r="{ref}"><f>{escape(value.text)}</f></c>'
    if isinstance(value, SharedRef):
        return f'<c r="{ref}" t="s"><v>{escape(value.index)}</v></c>'
    if isinstance(value, RawCell):
        return value.xml
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(sheet: Sheet) -> bytes:
    if sheet.body is not None:
        return sheet.body
    out = [XML_DECL, f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">']
    if sheet.dimension is not None:
        out.append(f"<dimension ref={quoteattr(sheet.dimension)}/>")
    out.append("<sheetData>")
    for r0, row in enumerate(sheet.rows):
        cells = "".join(
            cell_xml(f"{col_letter(c0)}{r0 + 1}", v) for c0, v in enumerate(row) if v is not None
        )
        out.append(f'<row r="{r0 + 1}">{cells}</row>')
    out.append("</sheetData>")
    if sheet.merges:
        out.append(f'<mergeCells count="{len(sheet.merges)}">')
        out.extend(f'<mergeCell ref="{m}"/>' for m in sheet.merges)
        out.append("</mergeCells>")
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


def content_types_xml(n_sheets: int, with_sst: bool) -> bytes:
    parts = [
        XML_DECL,
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>',
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>',
    ]
    for i in range(1, n_sheets + 1):
        parts.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    if with_sst:
        parts.append(
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
    parts.append("</Types>")
    return "".join(parts).encode()


def root_rels_xml() -> bytes:
    return (
        f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{DOC_REL}" Target="xl/workbook.xml"/></Relationships>'
    ).encode()


def workbook_xml(sheets: Sequence[Sheet]) -> bytes:
    entries = []
    for i, s in enumerate(sheets, start=1):
        state = f' state="{s.state}"' if s.state else ""
        entries.append(f'<sheet name={quoteattr(s.name)} sheetId="{i}"{state} r:id="rId{i}"/>')
    return (
        f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
        + "".join(entries)
        + "</sheets></workbook>"
    ).encode("utf-8")


def workbook_rels_xml(n_sheets: int, with_sst: bool, targets: Sequence[str] | None = None) -> bytes:
    rels = []
    for i in range(1, n_sheets + 1):
        target = targets[i - 1] if targets else f"worksheets/sheet{i}.xml"
        rels.append(f'<Relationship Id="rId{i}" Type="{SHEET_REL}" Target={quoteattr(target)}/>')
    rels.append(f'<Relationship Id="rId{n_sheets + 1}" Type="{STYLES_REL}" Target="styles.xml"/>')
    if with_sst:
        rels.append(f'<Relationship Id="rId{n_sheets + 2}" Type="{SST_REL}" '
                    'Target="sharedStrings.xml"/>')
    body = "".join(rels)
    return f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{body}</Relationships>'.encode()


def styles_xml() -> bytes:
    """Two cell formats: 0 = General, 1 = built-in date format 14 (what Excel uses)."""
    return (
        f'{XML_DECL}<styleSheet xmlns="{MAIN_NS}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ).encode()


def shared_strings_xml(strings: Sequence[str], count: str | None = None) -> bytes:
    n = count if count is not None else str(len(strings))
    items = "".join(f'<si><t xml:space="preserve">{escape(s)}</t></si>' for s in strings)
    head = f'{XML_DECL}<sst xmlns="{MAIN_NS}" count="{n}" uniqueCount="{n}">'
    return f"{head}{items}</sst>".encode()


def workbook_parts(book: Workbook) -> dict[str, bytes]:
    """Every part of a minimal valid package, then the book's drops/replacements."""
    with_sst = book.shared_strings is not None
    parts: dict[str, bytes] = {
        "[Content_Types].xml": content_types_xml(len(book.sheets), with_sst),
        "_rels/.rels": root_rels_xml(),
        "xl/workbook.xml": workbook_xml(book.sheets),
        "xl/_rels/workbook.xml.rels": workbook_rels_xml(len(book.sheets), with_sst),
        "xl/styles.xml": styles_xml(),
    }
    for i, s in enumerate(book.sheets, start=1):
        parts[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(s)
    if with_sst:
        parts["xl/sharedStrings.xml"] = shared_strings_xml(book.shared_strings or [])
    parts.update(book.extra_parts)
    parts.update(book.replace_parts)
    for name in book.drop_parts:
        parts.pop(name, None)
    return parts


def write_zip(path: Path, parts: dict[str, bytes] | Iterable[tuple[str, bytes]], *,
              method: int = zipfile.ZIP_DEFLATED, level: int = 6) -> None:
    """Deterministic zip: fixed timestamps, members in the given order."""
    items = parts.items() if isinstance(parts, dict) else parts
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore", UserWarning)  # duplicate member names are deliberate
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = method
            zf.writestr(info, data, compress_type=method, compresslevel=level)


def zip_bytes(parts: dict[str, bytes], **kw: object) -> bytes:
    buf = io.BytesIO()
    write_zip(buf, parts, **kw)  # type: ignore[arg-type]
    return buf.getvalue()


def write_workbook(path: Path, book: Workbook, **kw: object) -> None:
    write_zip(path, workbook_parts(book), **kw)  # type: ignore[arg-type]


@dataclass
class RawMember:
    """A zip member whose compressed bytes the caller made (bombs, lying headers)."""

    name: str
    data: bytes  # already compressed with ``method``
    crc: int
    size: int  # uncompressed size written in the headers
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def stored_member(name: str, payload: bytes) -> RawMember:
    return RawMember(name, payload, zlib.crc32(payload), len(payload), zipfile.ZIP_STORED)


def deflated_member(name: str, payload: bytes, level: int = 6) -> RawMember:
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = comp.compress(payload) + comp.flush()
    return RawMember(name, data, zlib.crc32(payload), len(payload))


def repeated_deflate_member(name: str, chunk: bytes, repeats: int, head: bytes = b"",
                            tail: bytes = b"") -> RawMember:
    """``head + chunk * repeats + tail`` deflated without ever building it.

    The chunk is compressed once with a full flush (no back-references across the
    boundary), so its compressed bytes can be repeated verbatim; the CRC is computed by
    streaming the chunk ``repeats`` times (about 1 s per GB).
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    last = comp.compress(tail) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    big = chunk * max(1, (1 << 20) // max(1, len(chunk)))  # stream the CRC in ~1 MB steps
    full, rest = divmod(repeats, max(1, len(big) // len(chunk)))
    for _ in range(full):
        crc = zlib.crc32(big, crc)
    for _ in range(rest):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(chunk) * repeats + len(tail)
    return RawMember(name, first + block * repeats + last, crc & 0xFFFFFFFF, size)


def write_raw_zip(path: Path, members: Sequence[RawMember], prefix: bytes = b"",
                  comment: bytes = b"") -> None:
    """A classic (non-zip64) zip written by hand so headers can say anything."""
    out = bytearray(prefix)
    central = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        flags = m.flags | 0x800  # names are UTF-8
        offset = len(out)
        size = m.size & 0xFFFFFFFF
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, m.method, 0, 0x21,
                           m.crc, len(m.data), size, len(name), 0)
        out += name + m.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, m.method, 0,
                               0x21, m.crc, len(m.data), size, len(name), 0, 0, 0, 0, 0,
                               offset)
        central += name
    cd_offset = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                       len(central), cd_offset, len(comment))
    out += comment
    path.write_bytes(bytes(out))

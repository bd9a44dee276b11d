"""The xlsx zip container, inspected before any XML parser sees it.

Only the zip directory and a few small parts (workbook.xml, its rels, the head of
sharedStrings.xml) are read here. Decided here:

- zip-bomb limits: a sheet part that would inflate beyond ``MAX_SHEET_XML_BYTES`` (or by
  a bomb-like ratio) is refused on its own, so the other sheets still load; any other
  oversized part, or everything together beyond ``MAX_UNCOMPRESSED_BYTES``, refuses the file;
- which zip member holds each sheet (names matched ignoring the XML namespace, so strict
  OOXML files resolve too), and members stored twice under one name;
- whether sharedStrings.xml declares an absurd ``uniqueCount`` (python-calamine reserves
  memory for that many strings up front and aborts the process on a failed allocation).

All XML here is parsed with defusedxml.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from defusedxml import ElementTree as SafeET

MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_SHEET_XML_BYTES = 400 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024
"""Zip-bomb guard: a member > 10 MB inflating > 200x, a sheet part > 400 MB, or all kept
members together > 500 MB are refused (sheet parts one by one, other parts with the file)."""

MAX_SMALL_PART_BYTES = 32 * 1024 * 1024
"""workbook.xml / rels are tiny in real files; bigger ones are not parsed into a tree."""

SST_MIN_BYTES_PER_STRING = 4
"""``<si/>`` is 5 bytes: a part cannot hold more strings than its size / 4."""


@dataclass
class XlsxLayout:
    """What the container says about a workbook, before reading any sheet."""

    sheet_members: dict[str, str] = field(default_factory=dict)  # sheet name -> member
    member_sizes: dict[str, int] = field(default_factory=dict)  # member -> uncompressed bytes
    refused_members: dict[str, str] = field(default_factory=dict)  # member -> why
    duplicates: set[str] = field(default_factory=set)  # members stored more than once
    shared_strings: str | None = None  # member path
    styles: str | None = None
    date1904: bool = False
    notes: list[str] = field(default_factory=list)  # file-level notices (info)
    safe_reader_only: bool = False  # calamine must not open this workbook

    def worksheet_members(self) -> list[str]:
        return [m for m in self.member_sizes
                if m.startswith("xl/worksheets/") and m.endswith(".xml")]


class ContainerRefused(Exception):
    """The whole file is refused; the text says why."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _resolve(base_dir: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(base_dir, target))


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def workbook_kind(zf: zipfile.ZipFile) -> str:
    """``xlsb`` (Excel binary workbook), ``ods`` / ``ods-encrypted`` (OpenDocument
    spreadsheet, password-protected) or ``xlsx``
    (everything else: xlsx/xlsm, or a zip that ``inspect_xlsx`` will refuse). Decided from
    the zip directory (and the tiny ``mimetype`` member), never the extension."""
    names = {n.lower() for n in zf.namelist()}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names and "content.xml" in names:
        try:
            info = zf.getinfo("mimetype")
            mime = zf.read(info).strip() if info.file_size < 256 else b""
        except Exception:  # damaged member: not an ods we can vouch for
            mime = b""
        if mime.startswith(ODS_MIMETYPE):  # also ...spreadsheet-template (.ots)
            return "ods-encrypted" if _ods_encrypted(zf) else "ods"
    return "xlsx"


def _ods_encrypted(zf: zipfile.ZipFile) -> bool:
    """A password-protected .ods lists ``encryption-data`` for its parts in the manifest."""
    try:
        info = zf.getinfo("META-INF/manifest.xml")
        return info.file_size < MAX_SMALL_PART_BYTES and b"encryption-data" in zf.read(info)
    except Exception:  # no or damaged manifest: calamine decides
        return False


def check_other_workbook(zf: zipfile.ZipFile) -> None:
    """The zip-bomb limits for an .xlsb/.ods container (calamine reads its parts): any
    part beyond the limits refuses the whole file (``ContainerRefused``)."""
    _check_sizes(zf, XlsxLayout())


def inspect_xlsx(zf: zipfile.ZipFile) -> XlsxLayout:
    """The layout of an xlsx/xlsm container, or ``ContainerRefused`` for the whole file."""
    infos = zf.infolist()
    layout = XlsxLayout()
    counts = Counter(i.filename for i in infos)
    layout.duplicates = {n for n, k in counts.items() if k > 1}
    for info in infos:  # the last entry of a name wins, as in zipfile and calamine
        layout.member_sizes[info.filename] = info.file_size
    names = {n.lower(): n for n in layout.member_sizes}
    if "xl/workbook.xml" not in names:
        if "content.xml" in layout.member_sizes:
            raise ContainerRefused("an OpenDocument file but not a spreadsheet (a text "
                                   "document or drawing?); not loaded")
        raise ContainerRefused("a zip file but not a workbook (no xl/workbook.xml, "
                               "xl/workbook.bin or OpenDocument spreadsheet content)")
    workbook_part = names["xl/workbook.xml"]
    _map_parts(zf, layout, workbook_part)
    _check_sizes(zf, layout)
    _check_shared_strings(zf, layout)
    return layout


def _read_small(zf: zipfile.ZipFile, member: str) -> bytes:
    size = zf.getinfo(member).file_size
    if size > MAX_SMALL_PART_BYTES:
        raise ContainerRefused(f"refused: part {member} is {size / 1e6:.0f} MB, far larger "
                               "than any real workbook's")
    return zf.read(member)


def _map_parts(zf: zipfile.ZipFile, layout: XlsxLayout, workbook_part: str) -> None:
    """Sheet name -> member, shared strings and styles members, the 1904 date flag."""
    try:
        wb = SafeET.fromstring(_read_small(zf, workbook_part))
    except ContainerRefused:
        raise
    except Exception:  # damaged or hostile XML (DTD entities): calamine reports it better
        return
    rels_part = posixpath.join(posixpath.dirname(workbook_part), "_rels",
                               posixpath.basename(workbook_part) + ".rels")
    targets: dict[str, tuple[str, str]] = {}
    if rels_part in layout.member_sizes:
        try:
            rels = SafeET.fromstring(_read_small(zf, rels_part))
        except ContainerRefused:
            raise
        except Exception:
            rels = None
        if rels is not None:
            base = posixpath.dirname(workbook_part)
            for rel in rels.iter():
                if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
                    targets[rel.get("Id", "")] = (rel.get("Type", ""),
                                                  _resolve(base, rel.get("Target", "")))
    for el in wb.iter():
        tag = _local(el.tag)
        if tag == "workbookPr":
            layout.date1904 = el.get("date1904", "").lower() in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), "")
            member = targets.get(rid, ("", ""))[1]
            if member in layout.member_sizes:
                layout.sheet_members[el.get("name", "")] = member
    for kind, member in targets.values():
        if member not in layout.member_sizes:
            continue
        if kind.endswith("/sharedStrings"):
            layout.shared_strings = member
        elif kind.endswith("/styles"):
            layout.styles = member
    for default, attr in (("xl/sharedStrings.xml", "shared_strings"), ("xl/styles.xml", "styles")):
        if getattr(layout, attr) is None and default in layout.member_sizes:
            setattr(layout, attr, default)


def _check_sizes(zf: zipfile.ZipFile, layout: XlsxLayout) -> None:
    sheet_parts = set(layout.sheet_members.values())  # an orphan part refuses the whole file
    kept_total = 0
    for info in zf.infolist():
        name, size = info.filename, info.file_size
        why = None
        if size > RATIO_CHECK_MIN_BYTES and size / max(info.compress_size, 1) > MAX_RATIO:
            why = (f"refused: part {name} expands {size / max(info.compress_size, 1):.0f}x "
                   f"(limit {MAX_RATIO}x), which looks like a zip bomb; not loaded")
        elif name in sheet_parts and size > MAX_SHEET_XML_BYTES:
            why = (f"refused: the sheet's XML would expand to {size / 1e6:.0f} MB "
                   f"(limit {MAX_SHEET_XML_BYTES / 1e6:.0f} MB); not loaded")
        if why is None:
            kept_total += size
        elif name in sheet_parts:
            layout.refused_members[name] = why
        else:
            raise ContainerRefused(why)
    if kept_total > MAX_UNCOMPRESSED_BYTES:
        raise ContainerRefused(f"refused: it would expand to {kept_total / 1e6:.0f} MB "
                               f"(limit {MAX_UNCOMPRESSED_BYTES / 1e6:.0f} MB); not loaded")


_UNIQUE_COUNT = re.compile(rb"""\suniqueCount\s*=\s*["']\s*(\d+)""")


def _check_shared_strings(zf: zipfile.ZipFile, layout: XlsxLayout) -> None:
    member = layout.shared_strings
    if member is None:
        return
    size = layout.member_sizes[member]
    try:
        with zf.open(member) as fh:
            head = fh.read(2048)
    except Exception:  # damaged member: the readers report it
        return
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    m = _UNIQUE_COUNT.search(head)
    if m is None:
        return
    declared = int(m.group(1))
    if declared > size // SST_MIN_BYTES_PER_STRING + 16:
        layout.safe_reader_only = True
        layout.notes.append(f"{member} declares {declared:,} shared strings in {size:,} bytes "
                            "(a damaged or tampered count); read with the safe XML reader")

# ruff: noqa: E501
# (corpus tables: XML literals and one case per line read best unwrapped)
"""Attacks and extremes: zip bombs, XML entity attacks (XXE, billion laughs, quadratic
blow-up) in every part a reader parses, and sheets at Excel's size limits."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .make_corpus import CaseSpec
from .ooxml import (
    MAIN_NS,
    XML_DECL,
    RawMember,
    SharedRef,
    Sheet,
    Workbook,
    col_letter,
    deflated_member,
    repeated_deflate_member,
    workbook_parts,
    write_raw_zip,
    write_workbook,
    write_zip,
)
from .samples import good_sheet, price_rows

LEAK_MARKER = "root:x:0:0"
SHEET_HEAD = f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
SHEET_TAIL = b"</sheetData></worksheet>"


# -- zip bombs ---------------------------------------------------------------------
def _bomb_rows(megabytes: int) -> tuple[bytes, int]:
    row = b'<row><c s="1"><v>45000</v></c><c><v>1.5</v></c></row>'
    chunk = row * ((1 << 20) // len(row))  # ~1 MB, compresses to ~1 KB
    return chunk, (megabytes << 20) // len(chunk)


def _bomb_book(sheet_member: RawMember, with_good_sheet: bool = False) -> list[RawMember]:
    sheets = [Sheet("Bomb")] if not with_good_sheet else [good_sheet("Prices"), Sheet("Bomb")]
    parts = workbook_parts(Workbook(sheets))
    bomb_name = f"xl/worksheets/sheet{len(sheets)}.xml"
    members = [deflated_member(n, b) for n, b in parts.items() if n != bomb_name]
    sheet_member.name = bomb_name
    return [*members, sheet_member]


def _write_bomb(megabytes: int, lie: bool = False, with_good_sheet: bool = False):
    def write(path: Path) -> None:
        chunk, reps = _bomb_rows(megabytes)
        member = repeated_deflate_member("", chunk, reps, SHEET_HEAD, SHEET_TAIL)
        if lie:
            member.size = 5000
        write_raw_zip(path, _bomb_book(member, with_good_sheet))

    return write


def _write_sst_bomb(path: Path) -> None:
    head = f'{XML_DECL}<sst xmlns="{MAIN_NS}">'.encode()
    si = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>"
    chunk = si * ((1 << 20) // len(si))
    member = repeated_deflate_member("xl/sharedStrings.xml", chunk, 1024, head, b"</sst>")
    parts = workbook_parts(Workbook([good_sheet("Prices")], shared_strings=[]))
    members = [deflated_member(n, b) for n, b in parts.items() if n != "xl/sharedStrings.xml"]
    write_raw_zip(path, [*members, member])


def _write_many_members(path: Path) -> None:
    parts = list(workbook_parts(Workbook([good_sheet("Prices")])).items())
    parts += [(f"junk/m{i:05d}.bin", b"x") for i in range(20_000)]
    write_zip(path, parts, method=zipfile.ZIP_STORED)


def _write_deep_nesting(path: Path) -> None:
    depth = 200_000
    body = SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is>' + b"<r>" * depth
    body += b"<t>x</t>" + b"</r>" * depth + b"</is></c></row>" + SHEET_TAIL
    book = Workbook([Sheet("Deep", body=body)])
    write_workbook(path, book)


# -- XML entity attacks ------------------------------------------------------------
ATTACK_DTDS = {
    "xxe_file": ('<!ENTITY e SYSTEM "file:///etc/passwd">', "&e;"),
    "xxe_http": ('<!ENTITY e SYSTEM "http://127.0.0.1:9/gapwatch-xxe">', "&e;"),
    "xxe_parameter": ('<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext; <!ENTITY e "x">', "&e;"),
    "billion_laughs": (
        '<!ENTITY l0 "lol">'
        + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        + '<!ENTITY e "&l9;">',
        "&e;",
    ),
    "quadratic_blowup": (f'<!ENTITY a "{"A" * 100_000}">', "&a;" * 20_000),
    "harmless_dtd": ('<!ENTITY e "Russell 2000">', "&e;"),
}
ATTACK_PARTS = {
    # part name -> (literal to replace with the entity reference, or None = text after root tag)
    "xl/worksheets/sheet1.xml": (b'<c r="B1" t="s"><v>1</v></c>',
                                 b'<c r="B1" t="inlineStr"><is><t>@REF@</t></is></c>'),
    "xl/sharedStrings.xml": (b">RTY<", b">@REF@<"),
    "xl/workbook.xml": (b"</sheets>", b'</sheets><definedNames><definedName name="leak">@REF@'
                                      b"</definedName></definedNames>"),
    "[Content_Types].xml": None,
    "xl/_rels/workbook.xml.rels": None,
    "xl/styles.xml": None,
}
PART_SLUG = {
    "xl/worksheets/sheet1.xml": "sheet1",
    "xl/sharedStrings.xml": "shared_strings",
    "xl/workbook.xml": "workbook",
    "[Content_Types].xml": "content_types",
    "xl/_rels/workbook.xml.rels": "workbook_rels",
    "xl/styles.xml": "styles",
}


def shared_string_book() -> Workbook:
    """A valid two-sheet book whose header texts live in sharedStrings.xml."""
    rows = price_rows(60)
    rows[0] = [SharedRef("0"), SharedRef("1"), SharedRef("2")]
    return Workbook([Sheet("Prices", rows), good_sheet("More", 30, seed=1)],
                    shared_strings=["Date", "RTY", "SPX"])


def inject_dtd(xml: bytes, dtd: str, ref: str, replace: tuple[bytes, bytes] | None) -> bytes:
    root = re.search(rb"<([A-Za-z_][\w:.-]*)[\s>]", xml[len(XML_DECL):]).group(1).decode()
    doctype = f"<!DOCTYPE {root} [{dtd}]>\n".encode()
    body = xml[len(XML_DECL):]
    if replace is None:
        body = re.sub(rb"^(<[^>]*>)", lambda m: m.group(1) + ref.encode(), body, count=1)
    else:
        old, new = replace
        if old not in body:
            raise ValueError(f"marker {old!r} not found")
        body = body.replace(old, new.replace(b"@REF@", ref.encode()), 1)
    return XML_DECL.encode() + doctype + body


def _write_attack(part: str, kind: str):
    def write(path: Path) -> None:
        parts = workbook_parts(shared_string_book())
        dtd, ref = ATTACK_DTDS[kind]
        parts[part] = inject_dtd(parts[part], dtd, ref, ATTACK_PARTS[part])
        write_zip(path, parts)

    return write


# -- extremes ----------------------------------------------------------------------
def _write_max_rows(path: Path) -> None:
    """1,048,576 rows (Excel's limit): a header and 1,048,575 daily serial dates."""
    n_rows = 1_048_576
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in workbook_parts(Workbook([Sheet("Max rows", body=b"")])).items():
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as out:
            out.write(SHEET_HEAD.replace(b"<sheetData>", f'<dimension ref="A1:B{n_rows}"/><sheetData>'.encode()))
            out.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
                      b'<c r="B1" t="inlineStr"><is><t>Value</t></is></c></row>')
            step = 65_536
            for lo in range(2, n_rows + 1, step):
                hi = min(lo + step, n_rows + 1)
                out.write("".join(
                    f'<row r="{r}"><c r="A{r}" s="1"><v>{r - 1}</v></c><c r="B{r}"><v>{r % 997}.25</v></c></row>'
                    for r in range(lo, hi)).encode())
            out.write(SHEET_TAIL)


def _write_max_cols(path: Path) -> None:
    """16,384 columns (A..XFD): a date column and 16,383 numeric columns, 25 rows."""
    n_cols, n_rows = 16_384, 25
    letters = [col_letter(c) for c in range(n_cols)]
    out = [SHEET_HEAD.replace(b"<sheetData>", b'<dimension ref="A1:XFD26"/><sheetData>').decode()]
    out.append('<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>')
    out.extend(f'<c r="{letters[c]}1" t="inlineStr"><is><t>S{c}</t></is></c>' for c in range(1, n_cols))
    out.append("</row>")
    for r in range(2, n_rows + 2):
        out.append(f'<row r="{r}"><c r="A{r}" s="1"><v>{45290 + r}</v></c>')
        out.extend(f'<c r="{letters[c]}{r}"><v>{(c * r) % 1000}</v></c>' for c in range(1, n_cols))
        out.append("</row>")
    out.append(SHEET_TAIL.decode())
    write_workbook(path, Workbook([Sheet("Wide", body="".join(out).encode())]), level=1)


def _write_many_sheets(path: Path) -> None:
    write_workbook(path, Workbook([good_sheet(f"S{i:04d}", 5, seed=i) for i in range(1000)]))


def _write_long_text(path: Path) -> None:
    rows = price_rows(30)
    for row in rows[1:]:
        row.append("x" * 32_767)
    rows[0].append("Notes")
    write_workbook(path, Workbook([Sheet("Prices", rows)]))


def _write_wide_csv(path: Path) -> None:
    n_cols = 5000
    lines = ["Date," + ",".join(f"S{c}" for c in range(n_cols))]
    for i, row in enumerate(price_rows(100)[1:]):
        lines.append(row[0].isoformat() + "," + ",".join(str((c + i) % 97) for c in range(n_cols)))
    path.write_text("\n".join(lines) + "\n")


def specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, cat: str, filename: str, expect: str, write, **kw) -> None:
        s.append(CaseSpec(name, cat, filename, expect, write, **kw))  # type: ignore[arg-type]

    add("zip_bomb_sheet_2gb", "zip_bomb", "bomb_sheet_2gb.xlsx", "either", _write_bomb(2048))
    add("zip_bomb_lying_size", "zip_bomb", "bomb_lying_size.xlsx", "either", _write_bomb(1024, lie=True))
    add("zip_bomb_shared_strings_1gb", "zip_bomb", "bomb_sst_1gb.xlsx", "either", _write_sst_bomb)
    add("zip_bomb_second_sheet", "zip_bomb", "bomb_second_sheet.xlsx", "series",
        _write_bomb(1024, with_good_sheet=True), good_sheets=("Prices",))
    add("zip_20000_members", "zip_bomb", "many_members.xlsx", "series", _write_many_members)
    add("xml_deep_nesting", "zip_bomb", "deep_nesting.xlsx", "either", _write_deep_nesting)

    for part, slug in PART_SLUG.items():
        for kind in ATTACK_DTDS:
            add(f"{kind}_in_{slug}", "xml_attack", f"{kind}_{slug}.xlsx", "either",
                _write_attack(part, kind))

    add("rows_1048576", "huge", "rows_1048576.xlsx", "either", _write_max_rows)
    add("cols_16384", "huge", "cols_16384.xlsx", "either", _write_max_cols)
    add("sheets_1000", "huge", "sheets_1000.xlsx", "series", _write_many_sheets)
    add("text_cells_32767_chars", "huge", "long_text_cells.xlsx", "series", _write_long_text)
    add("csv_5000_columns", "huge", "wide_5000.csv", "series", _write_wide_csv)
    add("csv_line_20mb", "huge", "line_20mb.csv", "either",
        lambda p: p.write_text("Date,RTY\n2024-01-02," + "9" * 20_000_000 + "\n2024-01-03,2001\n"))
    return s

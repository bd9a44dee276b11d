# ruff: noqa: E501
# (corpus tables: XML literals and one case per line read best unwrapped)
"""Broken package structure (missing parts and relationships, dangling shared strings,
absurd dimensions, odd zip encodings) and partly bad workbooks: one good sheet next to
a bad one, where the good sheet must still load."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from .corpus_attack import ATTACK_DTDS, inject_dtd
from .make_corpus import CaseSpec
from .ooxml import (
    MAIN_NS,
    XML_DECL,
    Err,
    Formula,
    RawMember,
    SharedRef,
    Sheet,
    Workbook,
    deflated_member,
    stored_member,
    workbook_parts,
    workbook_rels_xml,
    write_raw_zip,
    write_zip,
)
from .samples import good_sheet, price_rows


def _sst_sheet(name: str = "Prices", header_refs: tuple[str, str, str] = ("0", "1", "2")) -> Sheet:
    rows = price_rows(40)
    rows[0] = [SharedRef(i) for i in header_refs]
    return Sheet(name, rows)


def _sst_book(**kw) -> Workbook:
    return Workbook([_sst_sheet()], shared_strings=["Date", "RTY", "SPX"], **kw)


def _parts_writer(book_fn, edit=None, **zip_kw):
    def write(path: Path) -> None:
        parts = workbook_parts(book_fn())
        if edit is not None:
            edit(parts)
        write_zip(path, parts, **zip_kw)

    return write


def _drop(*names: str):
    def edit(parts: dict[str, bytes]) -> None:
        for n in names:
            del parts[n]

    return edit


def _sub(part: str, old: bytes, new: bytes):
    def edit(parts: dict[str, bytes]) -> None:
        if old not in parts[part]:
            raise ValueError(f"{old!r} not in {part}")
        parts[part] = parts[part].replace(old, new)

    return edit


def _set(part: str, data: bytes):
    def edit(parts: dict[str, bytes]) -> None:
        parts[part] = data

    return edit


def _good():
    return Workbook([good_sheet("Prices")])


def _raw_members(edit_member):
    """The good book as hand-written zip members, one of them edited."""
    def write(path: Path) -> None:
        members = [deflated_member(n, b) for n, b in workbook_parts(_good()).items()]
        for m in members:
            if m.name == "xl/worksheets/sheet1.xml":
                edit_member(m)
        write_raw_zip(path, members)

    return write


def structure_specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, expect: str, write, **kw) -> None:
        s.append(CaseSpec(name, "structure", f"{name}.xlsx", expect, write, **kw))  # type: ignore[arg-type]

    sheet1 = "xl/worksheets/sheet1.xml"
    add("missing_shared_strings_part", "either", _parts_writer(_sst_book, _drop("xl/sharedStrings.xml")))
    add("missing_workbook_rels", "either", _parts_writer(_good, _drop("xl/_rels/workbook.xml.rels")))
    add("missing_workbook_xml", "message", _parts_writer(_good, _drop("xl/workbook.xml")))
    add("missing_content_types", "either", _parts_writer(_good, _drop("[Content_Types].xml")))
    add("missing_root_rels", "either", _parts_writer(_good, _drop("_rels/.rels")))
    add("missing_styles", "either", _parts_writer(_good, _drop("xl/styles.xml")))
    add("missing_sheet_part", "message", _parts_writer(_good, _drop(sheet1)))
    add("shared_string_index_out_of_range", "either", _parts_writer(
        lambda: Workbook([_sst_sheet(header_refs=("0", "99", "2"))], shared_strings=["Date", "RTY", "SPX"])),
        where_sheet="Prices", where_cell="B1")
    add("shared_string_index_negative", "either", _parts_writer(
        lambda: Workbook([_sst_sheet(header_refs=("0", "-1", "2"))], shared_strings=["Date", "RTY", "SPX"])))
    add("shared_string_index_not_a_number", "either", _parts_writer(
        lambda: Workbook([_sst_sheet(header_refs=("0", "one", "2"))], shared_strings=["Date", "RTY", "SPX"])))
    add("shared_string_index_huge", "either", _parts_writer(
        lambda: Workbook([_sst_sheet(header_refs=("0", "18446744073709551617", "2"))],
                         shared_strings=["Date", "RTY", "SPX"])))
    add("shared_strings_count_absurd", "series", _parts_writer(_sst_book, _sub(
        "xl/sharedStrings.xml", b'count="3" uniqueCount="3"', b'count="999999999999" uniqueCount="999999999999"')))
    add("shared_strings_unique_count_absurd", "series", _parts_writer(_sst_book, _sub(
        "xl/sharedStrings.xml", b'count="3" uniqueCount="3"', b'count="3" uniqueCount="999999999999"')))
    add("shared_strings_total_count_absurd", "series", _parts_writer(_sst_book, _sub(
        "xl/sharedStrings.xml", b'count="3" uniqueCount="3"', b'count="999999999999" uniqueCount="3"')))
    for ref in ("XFD1048576", "A1048576", "XFD5", "ZZ200000"):
        # one stray cell far from the data (someone typed in the last cell): a dense
        # reader allocates rows x columns for the whole rectangle
        add(f"stray_cell_at_{ref.lower()}", "series", _parts_writer(_good, _stray_cell(ref)))
    add("row_number_u32_overflow", "either", _parts_writer(
        _good, _sub(sheet1, b'<row r="41">', b'<row r="4294967297">')))
    add("cell_row_u64_overflow", "either", _parts_writer(
        _good, _sub(sheet1, b'<c r="C5">', b'<c r="C18446744073709551621">')))
    add("merge_whole_sheet", "series", _parts_writer(
        lambda: Workbook([Sheet("Prices", price_rows(40), merges=["A1:XFD1048576"])])))
    for case, ref in {"dimension_whole_sheet": "A1:XFD1048576", "dimension_negative": "A-5:B-3",
                      "dimension_garbage": "ZZZZZZZZ99999999999", "dimension_reversed": "C100:A1",
                      "dimension_empty": ""}.items():
        add(case, "series", _parts_writer(lambda ref=ref: Workbook([Sheet("Prices", price_rows(40), dimension=ref)])))
    add("row_number_zero", "either", _parts_writer(_good, _sub(sheet1, b'<row r="2">', b'<row r="0">')))
    add("row_number_negative", "either", _parts_writer(_good, _sub(sheet1, b'<row r="2">', b'<row r="-7">')))
    add("row_number_beyond_limit", "either", _parts_writer(
        _good, _sub(sheet1, b'<row r="41">', b'<row r="2000000">')))
    add("cell_column_beyond_xfd", "either", _parts_writer(
        _good, _sub(sheet1, b'<c r="C5">', b'<c r="XFE5">')))
    add("cell_reference_garbage", "either", _parts_writer(
        _good, _sub(sheet1, b'<c r="C5">', b'<c r="5C!">')))
    add("cells_out_of_order", "series", _parts_writer(lambda: Workbook([Sheet("Prices", body=_shuffled_sheet())])))
    add("cells_without_r_attribute", "series", _parts_writer(lambda: Workbook([Sheet("Prices", body=_no_r_sheet())])))
    add("duplicate_cell_references", "either", _parts_writer(
        _good, _sub(sheet1, b'<c r="C5">', b'<c r="B5">')))
    add("malformed_sheet_xml", "message", _parts_writer(
        _good, _sub(sheet1, b"</sheetData>", b"<row><c><v>1</v></sheetData>")))
    add("empty_sheet_part", "message", _parts_writer(_good, _set(sheet1, b"")))
    add("invalid_utf8_in_sheet", "either", _parts_writer(_good, _sub(sheet1, b">RTY<", b">R\xff\xfeTY<")))
    add("sheet_utf16_with_bom", "either", _parts_writer(_good, lambda p: p.__setitem__(
        sheet1, p[sheet1].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))))
    add("encoding_declaration_lies", "either", _parts_writer(
        _good, _sub(sheet1, b'encoding="UTF-8"', b'encoding="ISO-2022-JP"')))
    add("wrong_main_namespace", "either", _parts_writer(_good, _sub(sheet1, MAIN_NS.encode(), b"urn:nothing")))
    add("strict_ooxml_namespace", "either", _parts_writer(_good, lambda p: [p.__setitem__(k, v.replace(
        MAIN_NS.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")) for k, v in list(p.items())]))
    add("workbook_without_sheets", "message", _parts_writer(
        _good, _sub("xl/workbook.xml", b'<sheet name="Prices" sheetId="1" r:id="rId1"/>', b"")))
    add("rels_path_traversal", "message", _parts_writer(_good, _set(
        "xl/_rels/workbook.xml.rels", workbook_rels_xml(1, False, ["../../../../../../etc/passwd"]))))
    add("rels_absolute_target", "series", _parts_writer(_good, _set(
        "xl/_rels/workbook.xml.rels", workbook_rels_xml(1, False, ["/xl/worksheets/sheet1.xml"]))))
    add("rels_external_url", "either", _parts_writer(_good, _set(
        "xl/_rels/workbook.xml.rels", workbook_rels_xml(1, False, ["http://127.0.0.1:9/sheet1.xml"]).replace(
            b'Target="http', b'TargetMode="External" Target="http'))))
    add("zip_backslash_member_names", "either", lambda p: write_zip(
        p, {k.replace("/", "\\"): v for k, v in workbook_parts(_good()).items()}))
    add("zip_slip_member_name", "series", _parts_writer(
        _good, lambda p: p.__setitem__("../../../../tmp/gapwatch_zip_slip.txt", b"owned")))
    add("zip_duplicate_sheet_member", "either", lambda p: write_zip(p, [
        *workbook_parts(_good()).items(), ("xl/worksheets/sheet1.xml", b"<worksheet/>")]))
    add("zip_stored_no_compression", "series", _parts_writer(_good, method=zipfile.ZIP_STORED))
    add("zip_lzma_members", "either", _parts_writer(_good, method=zipfile.ZIP_LZMA))
    add("zip_bzip2_members", "either", _parts_writer(_good, method=zipfile.ZIP_BZIP2))
    add("zip_comment_64k", "series", lambda p: write_raw_zip(
        p, [deflated_member(n, b) for n, b in workbook_parts(_good()).items()], comment=b"c" * 65535))
    add("zip_prepended_garbage", "either", lambda p: write_raw_zip(
        p, [deflated_member(n, b) for n, b in workbook_parts(_good()).items()], prefix=b"MZ" + b"\x90" * 4094))
    add("zip_member_method_99", "either", _raw_members(lambda m: setattr(m, "method", 99)))
    add("zip_member_encrypted_flag", "either", _raw_members(lambda m: setattr(m, "flags", 1)))
    add("zip_member_bad_crc", "either", _raw_members(lambda m: setattr(m, "crc", m.crc ^ 0xDEADBEEF)))
    add("zip_member_garbage_deflate", "either", _raw_members(
        lambda m: setattr(m, "data", bytes(b ^ 0x5A for b in m.data))))
    return s


def _stray_cell(ref: str):
    row = "".join(ch for ch in ref if ch.isdigit())
    return _sub("xl/worksheets/sheet1.xml", b"</sheetData>",
                f'<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode())


def _shuffled_sheet() -> bytes:
    rows = price_rows(30)
    body = []
    for r0 in reversed(range(len(rows))):
        date, rty, spx = rows[r0]
        cells = [f'<c r="C{r0 + 1}"><v>{spx}</v></c>', f'<c r="B{r0 + 1}"><v>{rty}</v></c>']
        if r0 == 0:
            cells = [f'<c r="{c}1" t="inlineStr"><is><t>{t}</t></is></c>' for c, t in zip("CBA", rows[0][::-1])]
        else:
            cells.append(f'<c r="A{r0 + 1}" s="1"><v>{(date.toordinal() - 693594)}</v></c>')
        body.append(f'<row r="{r0 + 1}">{"".join(cells)}</row>')
    return f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(body)}</sheetData></worksheet>'.encode()


def _no_r_sheet() -> bytes:
    rows = price_rows(30)
    body = ['<row>' + "".join(f'<c t="inlineStr"><is><t>{t}</t></is></c>' for t in rows[0]) + "</row>"]
    for date, rty, spx in rows[1:]:
        body.append(f'<row><c s="1"><v>{date.toordinal() - 693594}</v></c><c><v>{rty}</v></c><c><v>{spx}</v></c></row>')
    return f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(body)}</sheetData></worksheet>'.encode()


# -- partly bad --------------------------------------------------------------------
def _bad_sheet_book(bad: Sheet, good_first: bool = True, edit=None):
    def book() -> Workbook:
        sheets = [good_sheet("Good"), bad] if good_first else [bad, good_sheet("Good")]
        return Workbook(sheets, shared_strings=["Date", "RTY", "SPX"])

    return _parts_writer(book, edit)


def partly_bad_specs() -> list[CaseSpec]:
    s: list[CaseSpec] = []

    def add(name: str, write, where: bool = True) -> None:
        s.append(CaseSpec(name, "partly_bad", f"{name}.xlsx", "series", write, good_sheets=("Good",),
                          where_sheet="Bad" if where else None))

    text_rows = [["Name", "Comment"], *([f"r{i}", f"c{i}"] for i in range(20))]
    add("good_plus_all_text", _bad_sheet_book(Sheet("Bad", text_rows)))
    add("all_text_then_good", _bad_sheet_book(Sheet("Bad", text_rows), good_first=False))
    add("good_plus_malformed_xml", _bad_sheet_book(Sheet("Bad", body=b"<worksheet><sheetData><row>")))
    add("malformed_xml_then_good", _bad_sheet_book(Sheet("Bad", body=b"<worksheet><sheetData><row>"), False))
    add("good_plus_missing_part", _bad_sheet_book(Sheet("Bad", []), edit=_drop("xl/worksheets/sheet2.xml")))
    add("good_plus_dangling_shared_string", _bad_sheet_book(_sst_sheet("Bad", ("0", "77", "78"))), where=False)
    lol_dtd, lol_ref = ATTACK_DTDS["billion_laughs"]
    lol_sheet = inject_dtd(workbook_parts(Workbook([Sheet("x", [["Date", "@"]])]))["xl/worksheets/sheet1.xml"],
                           lol_dtd, lol_ref, (b"<t xml:space=\"preserve\">@</t>", b"<t>@REF@</t>"))
    add("good_plus_billion_laughs", _bad_sheet_book(Sheet("Bad", body=lol_sheet)))
    formula_rows = price_rows(20)
    for r in range(2, 21):
        formula_rows[r][1] = Formula(f"1/0+B{r}")
        formula_rows[r][2] = Formula(f"C{r}")
    add("good_plus_formulas_without_cache", _bad_sheet_book(Sheet("Bad", formula_rows)), where=False)
    add("good_plus_error_cells_only", _bad_sheet_book(Sheet("Bad", [["Date", "RTY"], *(
        [d, Err("#N/A")] for d, _, _ in price_rows(20)[1:])])))
    add("good_plus_empty_sheet", _bad_sheet_book(Sheet("Bad", [])), where=False)
    add("good_plus_absurd_dimension", _bad_sheet_book(Sheet("Bad", price_rows(10), dimension="A1:XFD1048576")),
        where=False)
    dup = price_rows(20)
    dup[5][0] = dup[4][0]
    add("good_plus_duplicate_dates", _bad_sheet_book(Sheet("Bad", dup)))
    add("good_plus_empty_part", _bad_sheet_book(Sheet("Bad", body=b"")))
    add("good_plus_bad_crc_member", lambda p: _write_bad_crc_second(p))
    add("good_plus_stray_corner_cell", _bad_sheet_book(Sheet("Bad", body=_sheet_with_stray("XFD1048576"))),
        where=False)
    return s


def _sheet_with_stray(ref: str) -> bytes:
    parts = workbook_parts(Workbook([Sheet("x", price_rows(10))]))
    row = "".join(ch for ch in ref if ch.isdigit())
    return parts["xl/worksheets/sheet1.xml"].replace(
        b"</sheetData>", f'<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode())


def _write_bad_crc_second(path: Path) -> None:
    parts = workbook_parts(Workbook([good_sheet("Good"), good_sheet("Bad", seed=5)]))
    members: list[RawMember] = []
    for name, data in parts.items():
        m = deflated_member(name, data) if name != "xl/worksheets/sheet2.xml" else stored_member(name, data)
        if name == "xl/worksheets/sheet2.xml":
            m.crc = zlib.crc32(b"not this") & 0xFFFFFFFF
        members.append(m)
    write_raw_zip(path, members)


def specs() -> list[CaseSpec]:
    return structure_specs() + partly_bad_specs()

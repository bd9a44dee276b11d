"""Regressions from the hostile-input corpus (issue 8), each on a small hand-made file:
the loader survives, keeps what is good and names the file, sheet and cell of what is not."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from ingest_helpers import as_pairs, by_id, find, write_xlsx

from core.ingest import container, extent, load_file, loader, readers
from core.ingest.ole import OLE_MAGIC, classify_ole
from core.ingest.xlsx_safe import SafeXlsxReader, is_date_format

D = dt.date
SHEET1 = "xl/worksheets/sheet1.xml"


def _prices(n: int = 20) -> list[list]:
    rows: list[list] = [["Date", "RTY", "SPX"]]
    for i in range(n):
        rows.append([D(2024, 1, 2) + dt.timedelta(days=i), 2000.0 + i, 4000.5 + 2 * i])
    return rows


def _patch(path: Path, edits: dict[str, object]) -> Path:
    """Rewrite zip members: a callable edits the old bytes, bytes replace them."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            edit = edits.get(name)
            zf.writestr(name, edit(data) if callable(edit) else edit if edit is not None else data)
    return path


def _sub(old: bytes, new: bytes):
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, 1)
    return edit


def _stray(ref: str):
    row = re.sub(r"\D", "", ref)
    return _sub(b"</sheetData>", f'<row r="{row}"><c r="{ref}"><v>1</v></c></row></sheetData>'.encode())


def _shared_strings_book(path: Path, unique_count: str | None = None) -> Path:
    """The price book with its header texts moved into xl/sharedStrings.xml (openpyxl
    writes inline strings), optionally declaring ``unique_count``."""
    write_xlsx(path, {"Prices": _prices()})
    texts = ["Date", "RTY", "SPX"]

    def sheet(xml: bytes) -> bytes:
        for i, t in enumerate(texts):
            xml = xml.replace(f'<c r="{"ABC"[i]}1" t="inlineStr"><is><t>{t}</t></is></c>'.encode(),
                              f'<c r="{"ABC"[i]}1" t="s"><v>{i}</v></c>'.encode())
        return xml

    count = unique_count or str(len(texts))
    sst = (f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" '
           f'uniqueCount="{count}">' + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>")
    rel = ('<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    _patch(path, {SHEET1: sheet, "xl/_rels/workbook.xml.rels": _sub(b"</Relationships>", rel.encode())})
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/sharedStrings.xml", sst)
    return path


# -- file system -------------------------------------------------------------------
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    p = tmp_path / "pipe.csv"
    os.mkfifo(p)
    r = load_file(p)  # would block forever if opened
    assert r.series == [] and r.messages[0].level == "error"
    assert "pipe.csv" in r.messages[0].text and "FIFO" in r.messages[0].text


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "zeros.csv"
    p.symlink_to("/dev/zero")
    r = load_file(p)
    assert r.series == [] and "device" in r.messages[0].text and "zeros.csv" in r.messages[0].text


def test_the_source_file_is_left_untouched(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "keep.xlsx", {"Prices": _prices()})
    before = (p.read_bytes(), p.stat().st_mtime_ns)
    assert load_file(p).series and load_file(p).from_cache
    assert (p.read_bytes(), p.stat().st_mtime_ns) == before


# -- format by content ---------------------------------------------------------------
def test_xlsx_renamed_xls_loads_as_xlsx(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"Prices": _prices()})
    p = tmp_path / "renamed.xls"
    shutil.copy(good, p)
    r = load_file(p)
    assert sorted(s.id for s in r.series) == ["renamed:Prices:RTY", "renamed:Prices:SPX"]


def test_real_xls_renamed_xlsx_loads_as_xls(tmp_path: Path, real_data: Path) -> None:
    p = tmp_path / "tff.xlsx"
    shutil.copy(real_data / "cftc_tff" / "FinFutYY_2025-01_to_2025-03.xls", p)
    r = load_file(p)
    assert r.series and not any(m.level == "error" for m in r.messages)


def _ole_with_entry(name: str) -> bytes:
    """A 512-byte header and one directory sector holding one entry called ``name``."""
    entry = bytearray(128)
    encoded = name.encode("utf-16-le")
    entry[: len(encoded)] = encoded
    entry[64:66] = ((len(name) + 1) * 2).to_bytes(2, "little")
    return OLE_MAGIC + bytes(504) + bytes(entry) + bytes(384)


def test_ole_container_is_classified_by_its_streams() -> None:
    assert classify_ole(_ole_with_entry("EncryptedPackage")) == "encrypted"
    assert classify_ole(_ole_with_entry("Workbook")) == "xls"
    assert classify_ole(_ole_with_entry("WordDocument")) == "unknown"
    # the name inside cell text (not on an entry boundary, no length field) does not count
    assert classify_ole(OLE_MAGIC + bytes(520) + "EncryptionInfo".encode("utf-16-le") + bytes(600)) == "unknown"


def test_encrypted_container_named_xls_is_called_encrypted(tmp_path: Path) -> None:
    p = tmp_path / "locked.xls"
    p.write_bytes(_ole_with_entry("EncryptionInfo"))
    r = load_file(p)
    assert r.series == [] and "password" in r.messages[0].text and "locked.xls" in r.messages[0].text


# -- container and cell-rectangle guards ----------------------------------------------
def test_absurd_shared_string_count_is_read_safely(tmp_path: Path) -> None:
    p = _shared_strings_book(tmp_path / "sst.xlsx", unique_count="999999999999")
    r = load_file(p)
    assert sorted(s.id for s in r.series) == ["sst:Prices:RTY", "sst:Prices:SPX"]
    assert find(r, "999,999,999,999 shared strings")


@pytest.mark.parametrize("ref", ["XFD1048576", "A1048576", "XFD5", "ZZ200000"])
def test_a_stray_far_cell_is_noise_not_data(tmp_path: Path, ref: str) -> None:
    p = _patch(write_xlsx(tmp_path / "stray.xlsx", {"Prices": _prices()}), {SHEET1: _stray(ref)})
    r = load_file(p)
    s = by_id(r)
    assert sorted(s) == ["stray:Prices:RTY", "stray:Prices:SPX"]
    assert as_pairs(s["stray:Prices:RTY"])[0] == ("2024-01-02", 2000.0)
    assert all(d >= np.datetime64("2024-01-02") for d in s["stray:Prices:RTY"].dates)  # no 1899 date
    notes = [m for m in r.messages if m.cell == ref]
    assert len(notes) == 1 and notes[0].level == "info" and "stray" in notes[0].text


def test_a_good_sheet_survives_a_bomb_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "MAX_SHEET_XML_BYTES", 50_000)
    p = write_xlsx(tmp_path / "two.xlsx", {"Good": _prices(), "Big": _prices(2000)})
    r = load_file(p)
    assert [s.id for s in r.series] == ["two:Good:RTY", "two:Good:SPX"]
    bad = [m for m in r.messages if m.sheet == "Big"]
    assert bad and bad[0].level == "error" and "refused" in bad[0].text


def test_error_value_calamine_does_not_know_keeps_the_sheet(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "err.xlsx", {"Prices": _prices()})
    _patch(p, {SHEET1: lambda x: re.sub(rb'<c r="C5"([^>]*)><v>[^<]*</v></c>',
                                        b'<c r="C5" t="e"><v>#GETTING_DATA</v></c>', x)})
    r = load_file(p)
    s = by_id(r)
    assert len(s["err:Prices:RTY"]) == 20 and len(s["err:Prices:SPX"]) == 19  # C5 empty
    assert find(r, "safe XML reader")


def test_dangling_shared_string_names_its_cell(tmp_path: Path) -> None:
    p = _patch(_shared_strings_book(tmp_path / "sst.xlsx"),
               {SHEET1: _sub(b'<c r="B1" t="s"><v>1</v>', b'<c r="B1" t="s"><v>99</v>')})
    assert sorted(s.id for s in load_file(_shared_strings_book(tmp_path / "ok.xlsx")).series) == [
        "ok:Prices:RTY", "ok:Prices:SPX"]  # the helper's book itself is sound
    r = load_file(p)
    warn = [m for m in r.messages if m.cell == "B1"]
    assert warn and warn[0].level == "warning" and "99" in warn[0].text
    assert len(r.series) == 2  # column B loads under its letter, C under its header


def test_date_formatted_huge_number_does_not_kill_the_sheet(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "big.xlsx", {"Prices": _prices()})
    _patch(p, {SHEET1: lambda x: re.sub(rb'(<c r="A6"[^>]*><v>)[^<]*(</v>)', rb"\g<1>-1E+20\g<2>", x)})
    r = load_file(p)
    s = by_id(r)
    assert len(s["big:Prices:RTY"]) == 19
    assert any(m.cell == "A6" for m in r.messages)


def test_utf16_sheet_xml_is_read(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "u16.xlsx", {"Prices": _prices()})
    _patch(p, {SHEET1: lambda x: x.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")})
    r = load_file(p)
    assert len(r.series) == 2 and len(r.series[0]) == 20


def test_safe_reader_matches_calamine_on_an_ordinary_workbook(tmp_path: Path) -> None:
    import python_calamine

    rows = [["Title"], [], ["Date", "X", "Note", "Flag"]]
    for i in range(30):
        rows.append([dt.datetime(2024, 1, 2, 9, 30) + dt.timedelta(days=i) if i % 2 else D(2024, 1, 2)
                     + dt.timedelta(days=i), i * 1.5 - 3, f"n{i}" if i % 3 else None, i % 2 == 0])
    p = write_xlsx(tmp_path / "same.xlsx", {"S": rows})
    data = p.read_bytes()
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    expected = readers.rows_to_grid(wb.get_sheet_by_name("S").to_python(skip_empty_area=False))
    zf = zipfile.ZipFile(io.BytesIO(data))
    grid, notes = SafeXlsxReader(zf, container.inspect_xlsx(zf)).read_sheet(SHEET1)
    assert notes == [] and grid.shape == expected.shape
    assert grid.tolist() == expected.tolist()


@pytest.mark.parametrize(("code", "is_date"), [
    ("yyyy-mm-dd", True), ("d-mmm-yy", True), ("h:mm", True), ("0.00", False), ('0.0 "m"', False),
    ("[Red]0.00", False), ("General", False), ('#,##0 "days"', False), ("[$-409]mmm d, yyyy", True),
])
def test_date_format_codes(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


# -- extent helpers ------------------------------------------------------------------
def test_dimension_parsing() -> None:
    assert extent.parse_dimension("A1:C41") == (41, 3)
    assert extent.parse_dimension("B2") == (2, 2)
    assert extent.parse_dimension("$A$1:$XFD$1048576") == (1_048_576, 16_384)
    for bad in ("A-5:B-3", "", "ZZZZZZZZ99999999999", "A0:B2", "A1:XFE5"):
        assert extent.parse_dimension(bad) is None


def test_scan_finds_the_box_and_the_strays() -> None:
    cells = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="C{r}"><v>2</v></c></row>' for r in range(1, 51))
    xml = f"<worksheet><sheetData>{cells}<row r=\"900000\"><c r=\"ZZ900000\"><v>1</v></c></row></sheetData></worksheet>"
    ext = extent.scan_extent(xml.encode())
    assert (ext.rows, ext.cols, ext.cells) == (50, 3, 101) and ext.strays == [(899_999, 701)]
    assert not ext.dense_ok()  # strays go to the safe reader


def test_estimate_sees_an_out_of_place_far_reference() -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><v>2</v></c></row>' for r in range(1, 200))
    ordinary = f"<worksheet><sheetData>{rows}</sheetData></worksheet>".encode()
    assert (extent.estimate_extent(ordinary).rows, extent.estimate_extent(ordinary).cols) == (199, 2)
    hidden = ordinary.replace(b'<c r="B7">', b'<c r="XFD1048576">', 1)  # not at the end: found anyway
    ext = extent.estimate_extent(hidden)
    assert ext.scanned and (1_048_575, 16_383) in ext.strays


def test_trim_strays_on_a_dense_grid() -> None:
    grid = np.full((5000, 4), "", dtype=object)
    grid[:20, :3] = 1.0
    grid[4999, 0] = "typo"
    trimmed, removed = extent.trim_strays(grid)
    assert trimmed.shape == (20, 4) and removed == [(4999, 0, "typo")]
    grid[4999, 0] = ""
    grid[:200, 3] = 2.0  # an ordinary column: nothing is removed
    assert extent.trim_strays(grid[:200])[0].shape == (200, 4)


# -- text tables -----------------------------------------------------------------------
def test_overlong_csv_field_skips_only_its_row(tmp_path: Path) -> None:
    p = tmp_path / "long.csv"
    p.write_text("Date,RTY\n2024-01-02,1\n2024-01-03," + "9" * 300_000 + "\n2024-01-04,3\n")
    r = load_file(p)
    assert as_pairs(r.series[0]) == [("2024-01-02", 1.0), ("2024-01-04", 3.0)]
    warn = [m for m in r.messages if m.cell == "A3"]
    assert warn and warn[0].level == "warning" and warn[0].sheet == "csv"


def test_sniffing_ignores_overlong_lines() -> None:
    assert readers.sniff_delimiter("a;b\n" + "x" * 200_000 + "\n1;2\n") == ";"


def test_decimal_comma_and_dotted_dates(tmp_path: Path) -> None:
    p = tmp_path / "eu.csv"
    p.write_text('Datum;RTY;SPX\n02.01.2024;"2.022.600,00";4012,3\n03.01.2024;"2.006,1";4013\n'
                 "04.01.2024;1.981,64;4014,25\n", encoding="utf-8")
    r = load_file(p)
    s = by_id(r)
    assert as_pairs(s["eu:csv:RTY"]) == [("2024-01-02", 2022600.0), ("2024-01-03", 2006.1),
                                         ("2024-01-04", 1981.64)]
    assert as_pairs(s["eu:csv:SPX"]) == [("2024-01-02", 4012.3), ("2024-01-03", 4013.0),
                                         ("2024-01-04", 4014.25)]
    assert not [m for m in r.messages if m.level == "warning"]  # dotted dates need no guess


def test_semicolon_file_breaks_the_comma_tie_but_a_comma_file_does_not(tmp_path: Path) -> None:
    semi = tmp_path / "semi.csv"
    semi.write_text("Date;X\n2024-01-02;1,234\n2024-01-03;2,500\n")
    assert as_pairs(load_file(semi).series[0]) == [("2024-01-02", 1.234), ("2024-01-03", 2.5)]
    comma = tmp_path / "comma.csv"
    comma.write_text('Date,X\n2024-01-02,"1,234"\n2024-01-03,"2,500"\n')
    assert as_pairs(load_file(comma).series[0]) == [("2024-01-02", 1234.0), ("2024-01-03", 2500.0)]


# -- exceptions ------------------------------------------------------------------------
class PanicException(BaseException):  # noqa: N818 - named like pyo3's, which is what counts
    """Stands in for pyo3_runtime.PanicException (a BaseException, not importable)."""


def test_a_reader_panic_becomes_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write_xlsx(tmp_path / "panic.xlsx", {"Prices": _prices()})

    def boom(*args, **kwargs):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(readers, "open_workbook", boom)
    r = load_file(p, use_cache=False)
    assert r.series == [] and r.messages[0].level == "error" and "panic.xlsx" in r.messages[0].text


def test_keyboard_interrupt_is_not_swallowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = write_xlsx(tmp_path / "ki.xlsx", {"Prices": _prices()})

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(loader, "_parse_into", interrupt)
    with pytest.raises(KeyboardInterrupt):
        load_file(p, use_cache=False)


def test_cancel_still_propagates_through_the_guards(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "c.xlsx", {"Prices": _prices()})
    with pytest.raises(loader.Cancelled):
        load_file(p, use_cache=False, cancel=lambda: True)


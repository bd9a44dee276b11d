"""File-level behaviour: format sniffing, text tables, damaged/encrypted/oversized files,
cancel and progress, one bad sheet among good ones."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from ingest_helpers import as_pairs, by_id, find, write_xlsx

from core.ingest import Cancelled, container, load_file, load_files, readers, sheet_series

D = dt.date


def test_semicolon_csv_with_bom_and_crlf(tmp_path: Path) -> None:
    p = tmp_path / "semi.csv"
    p.write_bytes("\ufeffDate;Close;Yield (%)\r\n2024-01-02;1234.5;4.1\r\n2024-01-03;.;4.2\r\n".encode())
    r = load_file(p)
    s = by_id(r)
    assert set(s) == {"semi:csv:Close", "semi:csv:Yield (%)"}
    assert as_pairs(s["semi:csv:Close"]) == [("2024-01-02", 1234.5)]
    assert s["semi:csv:Yield (%)"].unit == "percent"


def test_tab_separated_with_trailing_tabs(tmp_path: Path) -> None:
    p = tmp_path / "tabs.txt"
    p.write_text("Release Date\tTime\tActual\tForecast\t\t\r\nSep 20, 2024\t22:30\t19.2K\t \t\r\n"
                 "Sep 13, 2024\t22:30\t-1.5K\t \t\r\n", encoding="utf-8", newline="")
    r = load_file(p)
    assert [s.id for s in r.series] == ["tabs:csv:Actual"]
    assert as_pairs(r.series[0]) == [("2024-09-13", -1500.0), ("2024-09-20", 19200.0)]


def test_sniff_delimiter() -> None:
    assert readers.sniff_delimiter("a,b,c\n1,2,3\n") == ","
    assert readers.sniff_delimiter("a\tb\tc\n1\t2\t3\n") == "\t"
    assert readers.sniff_delimiter("a;b;c\n1,5;2,5;3\n") == ";"


def test_csv_text_saved_as_xls_loads_as_csv(tmp_path: Path) -> None:
    p = tmp_path / "fred.xls"
    p.write_bytes(b"date,DGS2\r\n1/3/1994,4.3\r\n1/4/1994,4.29\r\n1/14/1994,.\r\n")
    r = load_file(p)
    assert [s.id for s in r.series] == ["fred:csv:DGS2"]
    assert as_pairs(r.series[0]) == [("1994-01-03", 4.3), ("1994-01-04", 4.29)]
    assert r.series[0].kind == "rate"


def test_encrypted_xlsx_is_an_error_naming_the_file(tmp_path: Path) -> None:
    p = tmp_path / "secret.xlsx"
    p.write_bytes(readers.OLE_MAGIC + b"\x00" * 1024)
    r = load_file(p)
    assert r.series == [] and len(r.messages) == 1
    m = r.messages[0]
    assert m.level == "error" and m.file == "secret.xlsx" and "password" in m.text


def test_corrupt_xlsx_is_an_error_naming_the_file(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["Date", "X"], [D(2024, 1, 2), 1.0]]})
    p = tmp_path / "broken.xlsx"
    p.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    r = load_file(p)
    assert r.series == [] and r.messages[0].level == "error"
    assert "broken.xlsx" in r.messages[0].text


def test_garbage_ole_xls_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "junk.xls"
    p.write_bytes(readers.OLE_MAGIC + bytes(range(256)) * 8)
    r = load_file(p)
    assert r.series == [] and r.messages[0].level == "error" and "junk.xls" in r.messages[0].text


def test_missing_empty_and_binary_files(tmp_path: Path) -> None:
    assert "not found" in load_file(tmp_path / "nope.csv").messages[0].text
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "empty" in load_file(tmp_path / "empty.csv").messages[0].text
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02binary\x00" * 10)
    assert load_file(tmp_path / "bin.dat").messages[0].level == "error"


def _zip_with_member(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\x00" * size)
    return path


def test_zip_bomb_ratio_is_refused(tmp_path: Path) -> None:
    p = _zip_with_member(tmp_path / "bomb.xlsx", 11 * 1024 * 1024)  # 11 MB of zeros: ratio ~1000
    r = load_file(p)
    assert r.series == [] and r.messages[0].level == "error"
    assert "refused" in r.messages[0].text and "bomb.xlsx" in r.messages[0].text


def test_total_uncompressed_size_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(container, "MAX_UNCOMPRESSED_BYTES", 1000)
    p = write_xlsx(tmp_path / "big.xlsx", {"S": [["Date", "X"], [D(2024, 1, 2), 1.0]]})
    r = load_file(p)
    assert r.series == [] and "refused" in r.messages[0].text and "MB" in r.messages[0].text


def test_a_sheet_that_breaks_the_parser_does_not_stop_the_others(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    p = write_xlsx(tmp_path / "two.xlsx", {
        "Bad": [["Date", "X"], [D(2024, 1, 2), 1.0]],
        "Good": [["Date", "Y"], [D(2024, 1, 2), 2.0]]})
    real = sheet_series.parse_sheet

    def flaky(grid, ctx, *args, **kwargs):
        if ctx.sheet == "Bad":
            raise RuntimeError("boom")
        return real(grid, ctx, *args, **kwargs)

    monkeypatch.setattr("core.ingest.loader.parse_sheet", flaky)
    r = load_file(p, use_cache=False)
    assert [s.id for s in r.series] == ["two:Good:Y"]
    assert [(m.level, m.sheet) for m in find(r, "could not be parsed")] == [("error", "Bad")]


def test_progress_and_cancel(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "p.xlsx", {"A": [["Date", "X"], [D(2024, 1, 2), 1.0]],
                                         "B": [["Date", "Y"], [D(2024, 1, 2), 2.0]]})
    seen: list[float] = []
    load_file(p, use_cache=False, progress=lambda f, text: seen.append(f))
    assert seen and seen[-1] == 1.0 and seen == sorted(seen) and all(0 <= f <= 1 for f in seen)
    with pytest.raises(Cancelled):
        load_file(p, use_cache=False, cancel=lambda: True)
    with pytest.raises(Cancelled):
        load_files([p, p], use_cache=False, cancel=lambda: True)

""".xlsb and .ods workbooks load through calamine and the same layout detection as .xlsx:
the same rows give the same series and messages whatever the container."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from binary_books import ExcelError, write_ods, write_xlsb
from ingest_helpers import as_pairs, by_id, find, write_xlsx

from core.ingest import load_file

CALAMINE = Path(__file__).resolve().parent.parent / "data" / "calamine"


def _desk_rows(n: int = 40) -> list[list]:
    """Two title rows, a blank, a header, dated rows of two series and a note column;
    every 7th RTY cell an Excel error value."""
    rows: list[list] = [["Desk positioning export"], ["as of 2025-07-29"], [],
                        ["Date", "RTY Index", "Lev funds net", "Comment"]]
    for i in range(n):
        rty: object = ExcelError("#N/A") if i % 7 == 3 else 2000.0 + i
        rows.append([dt.date(2025, 1, 6) + dt.timedelta(days=7 * i), rty, -5000.0 - 10 * i, "ok"])
    rows += [[], ["Source: desk"]]
    return rows


def _plain(rows: list[list], error_as=None) -> list[list]:
    return [[error_as if isinstance(c, ExcelError) else c for c in r] for r in rows]


def _summary(result) -> dict:
    return {sid: as_pairs(s) for sid, s in by_id(result).items()}


@pytest.mark.parametrize("kind", ["xlsb", "ods"])
def test_same_series_as_xlsx(tmp_path: Path, kind: str) -> None:
    rows = _desk_rows()
    reference = load_file(write_xlsx(tmp_path / "desk.xlsx", {"Positions": _plain(rows)}), use_cache=False)
    path = tmp_path / f"desk.{kind}"
    if kind == "xlsb":
        write_xlsb(path, {"Positions": rows})
    else:
        write_ods(path, {"Positions": _plain(rows)})
    result = load_file(path, use_cache=False)
    assert not [m for m in result.messages if m.level == "error"]
    assert _summary(result) == _summary(reference)
    rty = by_id(result)["desk:Positions:RTY Index"]
    assert len(rty) == 40 - 6 and str(rty.dates[0]) == "2025-01-06" and rty.values[0] == 2000.0
    assert rty.frequency.value == "weekly"
    assert find(result, "below the data hold notes")
    assert find(result, "text columns not loaded as series: D 'Comment'")


def test_ods_error_texts_are_counted(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "desk.ods", {"Positions": _plain(_desk_rows(), error_as="#N/A")})
    said = find(load_file(path, use_cache=False), "error values or missing markers")
    assert len(said) == 1 and "6 cells" in said[0].text and "34 numbers loaded" in said[0].text


def test_xlsb_two_sheets_and_renamed_extension(tmp_path: Path) -> None:
    rows = _desk_rows(10)
    path = write_xlsb(tmp_path / "book.xlsb", {"A": rows, "B": rows})
    renamed = tmp_path / "book.xlsx"
    renamed.write_bytes(path.read_bytes())  # content decides, not the name
    for p in (path, renamed):
        ids = set(by_id(load_file(p, use_cache=False)))
        assert {"book:A:RTY Index", "book:B:Lev funds net"} <= ids


def calamine_file(name: str) -> Path:
    """A committed file of calamine's corpus (tests/data/calamine): missing is a broken
    checkout, not a skip."""
    path = CALAMINE / name
    assert path.is_file(), f"{path} missing (see tests/data/calamine/SOURCE.md)"
    return path


@pytest.mark.parametrize("name", ["date.xlsb", "date.ods"])
def test_calamine_corpus_dates(name: str) -> None:
    path = calamine_file(name)
    result = load_file(path, use_cache=False)
    s = by_id(result)["date:Sheet1:B"]
    assert str(s.dates[0]) == "2021-01-01"
    assert not [m for m in result.messages if m.level == "error"]


@pytest.mark.parametrize("name", ["pass_protected.xlsb", "pass_protected.ods"])
def test_calamine_corpus_encrypted(name: str) -> None:
    path = calamine_file(name)
    result = load_file(path, use_cache=False)
    assert result.series == []
    assert [m.level for m in result.messages] == ["error"]
    assert "password-protected" in result.messages[0].text


def test_damaged_xlsb_is_a_message(tmp_path: Path) -> None:
    path = write_xlsb(tmp_path / "cut.xlsb", {"A": _desk_rows(10)})
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = load_file(path, use_cache=False)
    assert result.series == [] and result.messages[0].level == "error"
    assert "Error" not in result.messages[0].text


def test_non_spreadsheet_opendocument_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "letter.ods"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    result = load_file(path, use_cache=False)
    assert "OpenDocument file but not a spreadsheet" in result.messages[0].text
    assert np.all([m.level == "error" for m in result.messages])


def test_xlsb_cell_far_away_refuses_that_sheet_only(tmp_path: Path) -> None:
    """calamine would make the sheet one dense 17-billion-cell box and abort the process."""
    rows = _desk_rows(10)
    path = write_xlsb(tmp_path / "typo.xlsb", {"Bad": rows, "Good": rows},
                      strays={"Bad": (1_048_575, 16_383, 1.0)})
    result = load_file(path, use_cache=False)
    assert {s.id for s in result.series} == {"typo:Good:RTY Index", "typo:Good:Lev funds net"}
    [refusal] = [m for m in result.messages if m.sheet == "Bad"]
    assert refusal.level == "error" and "a cell at XFD1048576 lies far outside the table" in refusal.text


def test_xlsb_stray_cell_near_enough_is_set_aside(tmp_path: Path) -> None:
    path = write_xlsb(tmp_path / "stray.xlsb", {"S": _desk_rows(10)}, strays={"S": (5_000, 300, 7.0)})
    result = load_file(path, use_cache=False)
    assert len(by_id(result)["stray:S:RTY Index"]) == 9
    assert find(result, "far outside the table")

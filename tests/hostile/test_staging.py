"""The staged copy calamine reads (core/ingest/staging.py): big sheet parts checked and
stored uncompressed, everything else byte for byte, the user's bytes untouched, the copy
removed afterwards -- and loads give exactly what they give without it."""

from __future__ import annotations

import io
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from core import paths
from core.ingest import container, extent, load_file, staging

from .corpus_far import FAR_ROW, big_rows, big_sheet_xml
from .ooxml import Sheet, Workbook, workbook_parts, write_zip, zip_bytes
from .samples import good_sheet


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path / "home"))


def _book(path: Path, extra_row: str | None = None) -> Path:
    rows = big_rows()
    if extra_row:
        rows.append(extra_row)
    write_zip(path, workbook_parts(Workbook([good_sheet("Good"),
                                             Sheet("Prices", body=big_sheet_xml(rows))])))
    return path


def _stage(path: Path) -> tuple[staging.StagedBook | None, zipfile.ZipFile, str]:
    data = path.read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    layout = container.inspect_xlsx(zf)
    member = layout.sheet_members["Prices"]
    assert layout.member_sizes[member] > extent.FULL_SCAN_BYTES  # a big part
    big = extent.big_parts(zf, layout, list(layout.sheet_members))
    return staging.stage(data, zf, big), zf, member


def _staged_files() -> list[Path]:
    return list((paths.user_cache_dir() / "staging").glob("book-*.xlsx"))


def test_big_part_is_stored_checked_and_the_rest_copied(tmp_path: Path) -> None:
    path = _book(tmp_path / "big.xlsx")
    before = path.read_bytes()
    staged, original, member = _stage(path)
    assert staged is not None and staged.stored == [member]
    with zipfile.ZipFile(staged.path) as copy:
        assert copy.testzip() is None  # every CRC holds
        assert copy.getinfo(member).compress_type == zipfile.ZIP_STORED
        assert sorted(copy.namelist()) == sorted(original.namelist())
        for name in original.namelist():
            assert copy.read(name) == original.read(name), name
    bounds = staged.scans.get(member)
    assert bounds.cells == 3 * (len(big_rows()) )  # header row + closes, 3 cells each
    staged.remove()
    assert not Path(staged.path).exists()
    assert path.read_bytes() == before


def test_loads_are_identical_with_and_without_the_copy(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(tmp_path / "big.xlsx")
    used: list[bool] = []
    real_stage = staging.stage

    def spy(*args, **kwargs):
        staged = real_stage(*args, **kwargs)
        used.append(staged is not None)
        return staged

    monkeypatch.setattr(staging, "stage", spy)
    fast = load_file(path, use_cache=False)
    assert used == [True] and not _staged_files()  # the copy is gone after the load
    monkeypatch.setattr(staging, "stage", lambda *a, **k: None)
    plain = load_file(path, use_cache=False)
    assert [s.id for s in fast.series] == [s.id for s in plain.series] and fast.series
    for a, b in zip(fast.series, plain.series, strict=True):
        np.testing.assert_array_equal(a.dates, b.dates)
        np.testing.assert_array_equal(a.values, b.values)
    assert [str(m) for m in fast.messages] == [str(m) for m in plain.messages]


def test_a_part_the_check_cannot_prove_is_copied_as_is(tmp_path: Path) -> None:
    path = _book(tmp_path / "far.xlsx", '<row r="30000"><c r="ZZZZ5"><v>1</v></c></row>')
    staged, original, member = _stage(path)
    assert staged is not None and staged.stored == []  # left compressed, as it was
    assert staged.scans.get(member).far == "ZZZZ5"
    with zipfile.ZipFile(staged.path) as copy:
        assert copy.getinfo(member).compress_type == original.getinfo(member).compress_type
        assert copy.read(member) == original.read(member)
    staged.remove()


def test_cell_at_the_grid_corner_is_staged_and_still_set_aside(tmp_path: Path) -> None:
    path = _book(tmp_path / "corner.xlsx", FAR_ROW)  # XFD1048576: inside Excel's grid
    result = load_file(path, use_cache=False)
    assert any(s.id.startswith("corner:Prices:") for s in result.series)
    assert any("XFD1048576" in f"{m.cell} {m.text}" for m in result.messages)
    assert not _staged_files()


def test_unusual_zip_is_not_staged(tmp_path: Path) -> None:
    body = big_sheet_xml(big_rows())
    parts = list(workbook_parts(Workbook([Sheet("Prices", body=body)])).items())
    data = zip_bytes(dict(parts))
    twice = zip_bytes(parts + [parts[-1]])  # the same member name twice
    for blob, expect in ((data, True), (twice, False)):
        zf = zipfile.ZipFile(io.BytesIO(blob))
        big = [i for i in zf.infolist() if i.file_size > extent.FULL_SCAN_BYTES]
        staged = staging.stage(blob, zf, big)
        assert (staged is not None) == expect
        if staged is not None:
            staged.remove()


def test_a_copy_calamine_refuses_falls_back_to_the_original(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    path = _book(tmp_path / "big.xlsx")
    expected = load_file(path, use_cache=False)

    def refuse(_path):
        raise python_calamine.CalamineError("not a zip")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", staticmethod(refuse))
    again = load_file(path, use_cache=False)
    assert [s.id for s in again.series] == [s.id for s in expected.series]
    assert not _staged_files()


def test_copies_left_by_a_dead_process_are_removed(tmp_path: Path) -> None:
    folder = paths.user_cache_dir() / "staging"
    folder.mkdir(parents=True)
    old, fresh = folder / "book-old.xlsx", folder / "book-fresh.xlsx"
    old.write_bytes(b"x")
    fresh.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    staged, _, _ = _stage(_book(tmp_path / "big.xlsx"))
    assert staged is not None
    assert not old.exists() and fresh.exists()
    staged.remove()

"""The corpus is what it claims to be, and the verdict flags what it should.

No ingestion here: these check the generator (coverage, determinism, that the bombs are
bombs and the extremes are extreme) and ``verdict.problems`` on hand-made outcomes.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest

from .driver import Outcome
from .make_corpus import Case, build_corpus, case_specs
from .verdict import problems

REQUIRED_CATEGORIES = {"control", "empty", "truncated", "bitflip", "wrong_type", "encrypted",
                       "xls_swap", "zip_bomb", "xml_attack", "huge", "content", "names",
                       "structure", "partly_bad", "csv", "tff", "fs"}


def _digest(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        return "not a regular file"
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_corpus_covers_every_category_with_at_least_300_cases() -> None:
    specs = case_specs()
    counts = Counter(s.category for s in specs)
    assert len(specs) >= 300
    assert set(counts) >= REQUIRED_CATEGORIES
    assert counts["truncated"] >= 40 and counts["bitflip"] >= 40
    assert {s.expect for s in specs} == {"series", "message", "either"}


def test_small_cases_are_deterministic(tmp_path: Path) -> None:
    names = {s.name for s in case_specs() if s.category not in {"huge", "zip_bomb", "fs"}}
    a = {c.name: _digest(c.path) for c in build_corpus(tmp_path / "a", only=names)}
    b = {c.name: _digest(c.path) for c in build_corpus(tmp_path / "b", only=names)}
    assert a == b


def test_zip_bomb_is_tiny_but_expands_past_2_gb(tmp_path: Path) -> None:
    (case,) = build_corpus(tmp_path, only={"zip_bomb_sheet_2gb"})
    info = zipfile.ZipFile(case.path).getinfo("xl/worksheets/sheet1.xml")
    assert case.path.stat().st_size < 16 << 20
    assert info.file_size >= 2_000_000_000
    # the stream really inflates to rows (the first 64 MB checked)
    with zipfile.ZipFile(case.path).open(info) as fh:
        head = fh.read(64 << 20)
    assert head.startswith(b"<?xml") and head.count(b"<row>") > 500_000


def test_lying_bomb_declares_less_than_it_holds(tmp_path: Path) -> None:
    (case,) = build_corpus(tmp_path, only={"zip_bomb_lying_size"})
    zf = zipfile.ZipFile(case.path)
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    raw = case.path.read_bytes()
    start = info.header_offset + 30 + len(info.filename.encode())
    inflated = zlib.decompressobj(-15).decompress(raw[start:start + info.compress_size], 10 << 20)
    assert info.file_size == 5000 and len(inflated) == 10 << 20


@pytest.mark.parametrize(("name", "rows", "cols"),
                         [("rows_1048576", 1_048_576, 2), ("cols_16384", 26, 16_384)])
def test_extremes_hit_excel_limits(tmp_path: Path, name: str, rows: int, cols: int) -> None:
    (case,) = build_corpus(tmp_path, only={name})
    with zipfile.ZipFile(case.path) as zf, zf.open("xl/worksheets/sheet1.xml") as fh:
        n_rows = n_cells = 0
        tail = b""
        for block in iter(lambda: fh.read(1 << 22), b""):
            data = tail + block
            n_rows += data.count(b"<row ")
            n_cells += data.count(b"<c ")
            tail = data[-8:]
            n_rows -= tail.count(b"<row ")
            n_cells -= tail.count(b"<c ")
        n_rows += tail.count(b"<row ")
        n_cells += tail.count(b"<c ")
    assert n_rows == rows
    assert n_cells == rows * cols


def test_encrypted_workbook_is_an_ole_file_with_encryption_streams(tmp_path: Path) -> None:
    (case,) = build_corpus(tmp_path, only={"encrypted_ole_xlsx"})
    data = case.path.read_bytes()
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    directory = data[1024:1536]  # sector 1
    for stream in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        assert stream.encode("utf-16-le") in directory


def test_xxe_case_really_declares_an_external_entity(tmp_path: Path) -> None:
    (case,) = build_corpus(tmp_path, only={"xxe_file_in_sheet1"})
    sheet = zipfile.ZipFile(case.path).read("xl/worksheets/sheet1.xml")
    assert b'<!ENTITY e SYSTEM "file:///etc/passwd">' in sheet and b"<t>&e;</t>" in sheet


def test_good_base_workbook_loads_in_openpyxl(tmp_path: Path) -> None:
    """The damage cases start from a valid file, so a failure is the damage, not the base."""
    import openpyxl

    (case,) = build_corpus(tmp_path, only={"unicode_file_name"})
    wb = openpyxl.load_workbook(case.path, read_only=True)
    assert wb.sheetnames == ["Prices", "Flows"]
    assert next(wb["Prices"].iter_rows(max_row=1, values_only=True)) == ("Date", "RTY", "SPX")


# -- the verdict ---------------------------------------------------------------------
def _outcome(tmp_path: Path, expect: str = "either", status: str = "ok", **summary) -> Outcome:
    case = Case("x", "test", tmp_path / "bad.xlsx", expect, good_sheets=summary.pop("good", ()),
                where_sheet=summary.pop("where", None))
    base = {"n_series": 0, "messages": [], "checks": {"listed": []}, "states": [],
            "same_series_load2": True}
    base.update(summary)
    return Outcome(case, status, base)


def _msg(file: str, level: str = "error", sheet: str | None = None) -> dict:
    return {"level": level, "file": file, "sheet": sheet, "cell": None, "text": "bad"}


def test_verdict_accepts_a_message_naming_the_file(tmp_path: Path) -> None:
    assert problems(_outcome(tmp_path, messages=[_msg(str(tmp_path / "bad.xlsx"))])) == []


@pytest.mark.parametrize("summary", [
    {},  # nothing at all
    {"messages": [_msg("other.xlsx")]},  # names another file
    {"messages": [_msg("bad.xlsx", level="info")]},  # only info
])
def test_verdict_wants_an_error_naming_the_file_when_nothing_loads(tmp_path: Path,
                                                                   summary: dict) -> None:
    assert problems(_outcome(tmp_path, **summary))


def test_verdict_flags_crashes_broken_invariants_leaks_and_writes(tmp_path: Path) -> None:
    ok_msg = [_msg("bad.xlsx")]
    assert problems(_outcome(tmp_path, status="timeout"))
    assert problems(_outcome(tmp_path, status="raised", exception="KeyError: 'x'"))
    broken = {"values_finite_or_nan": False, "listed": []}
    assert problems(_outcome(tmp_path, messages=ok_msg, checks=broken))
    assert problems(_outcome(tmp_path, messages=ok_msg, leak=True))
    assert problems(_outcome(tmp_path, messages=ok_msg, states=[{"sha256": "a"}, {"sha256": "b"}]))
    assert problems(_outcome(tmp_path, messages=ok_msg, same_series_load2=False))
    assert problems(_outcome(tmp_path, "series", messages=ok_msg))
    assert problems(_outcome(tmp_path, messages=ok_msg, where="Bad"))
    assert not problems(_outcome(tmp_path, messages=[_msg("bad.xlsx", sheet="Bad")], where="Bad"))
    listed = {"listed": [{"sheet": "Other"}]}
    assert problems(_outcome(tmp_path, n_series=1, checks=listed, good=("Good",)))
    good = {"listed": [{"sheet": "Good"}]}
    assert not problems(_outcome(tmp_path, n_series=1, checks=good, good=("Good",)))


def test_verdict_flags_silently_different_data_from_a_damaged_copy(tmp_path: Path) -> None:
    series = {"sheet": "Prices", "column": "RTY", "n": 120, "date_sum": 7}
    original = {"listed": [{**series, "value_sum": 1.5}]}
    changed = {"listed": [{**series, "value_sum": 9.5}]}
    reference = _outcome(tmp_path, "series", n_series=1, checks=original)
    assert not problems(_outcome(tmp_path, n_series=1, checks=original), reference)
    assert problems(_outcome(tmp_path, n_series=1, checks=changed), reference)
    warning = [_msg("bad.xlsx", level="warning")]
    warned = _outcome(tmp_path, n_series=1, checks=changed, messages=warning)
    assert not problems(warned, reference)

"""Big sheet parts cut into row-aligned pieces that calamine reads in parallel
(core/ingest/sheet_pieces.py): every copy is a sound zip, every piece well-formed XML
holding each row exactly once, and a load gives exactly what an uncut load gives --
including for rows out of order, duplicate cells, comments, odd tails and rows too big
to cut."""

from __future__ import annotations

import gc
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import numpy as np
import pytest

from core.ingest import container, extent, load_file, sheet_pieces, staging
from core.ingest.gc_pause import paused_gc

from .corpus_far import MAIN_NS, XML_DECL, big_rows, big_sheet_xml
from .ooxml import Sheet, Workbook, workbook_parts, write_zip
from .samples import good_sheet

ROW = re.compile(rb"<row[ >].*?</row>", re.S)


@pytest.fixture(autouse=True)
def _small_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three pieces for the ~3 MB test parts, whatever this machine's core count."""
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GAPWATCH_SHEET_PIECES", raising=False)
    monkeypatch.setattr(sheet_pieces, "MIN_PIECE_BYTES", 256 * 1024)
    monkeypatch.setattr(sheet_pieces, "usable_cores", lambda: 3)


def _write(path: Path, body: bytes) -> Path:
    write_zip(path, workbook_parts(Workbook([good_sheet("Good"), Sheet("Prices", body=body)])))
    return path


def _stage(path: Path) -> tuple[staging.StagedBook, zipfile.ZipFile]:
    data = path.read_bytes()
    zf = zipfile.ZipFile(io.BytesIO(data))
    layout = container.inspect_xlsx(zf)
    staged = staging.stage(data, zf, extent.big_parts(zf, layout, list(layout.sheet_members)))
    assert staged is not None
    return staged, zf


def _piece_texts(staged: staging.StagedBook, member: str) -> list[bytes]:
    """The part's text in each staged copy; the copies are removed."""
    texts = []
    for path in staged.paths:
        with zipfile.ZipFile(path) as copy:
            texts.append(copy.read(member))
    staged.remove()
    return texts


def _same_load(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cut = load_file(path, use_cache=False)
    monkeypatch.setenv("GAPWATCH_SHEET_PIECES", "1")
    whole = load_file(path, use_cache=False)
    monkeypatch.delenv("GAPWATCH_SHEET_PIECES")
    assert cut.series and [s.id for s in cut.series] == [s.id for s in whole.series]
    for a, b in zip(cut.series, whole.series, strict=True):
        np.testing.assert_array_equal(a.dates, b.dates)
        np.testing.assert_array_equal(a.values, b.values)
    assert [str(m) for m in cut.messages] == [str(m) for m in whole.messages]


def test_pieces_are_sound_zips_holding_every_row_once(tmp_path: Path) -> None:
    rows = big_rows()
    path = _write(tmp_path / "big.xlsx", big_sheet_xml(rows))
    staged, original = _stage(path)
    member = "xl/worksheets/sheet2.xml"
    assert staged.pieces == {member: 3} and len(staged.paths) == 3
    whole = original.read(member)
    texts = []
    for copy_path in staged.paths:
        with zipfile.ZipFile(copy_path) as copy:
            assert copy.testzip() is None  # sizes and CRCs of every piece hold
            assert copy.getinfo(member).compress_type == zipfile.ZIP_STORED
            assert copy.read("xl/workbook.xml") == original.read("xl/workbook.xml")
            texts.append(copy.read(member))
    for text in texts:
        root = ET.fromstring(text)  # well-formed, one root
        assert root.tag == f"{{{MAIN_NS}}}worksheet"
        assert text.startswith(whole[: whole.index(b"<sheetData>")])
    found = [row for text in texts for row in ROW.findall(text)]
    assert found == [r.encode() for r in rows]  # in order, none lost or repeated
    assert all(len(ROW.findall(t)) > len(rows) // 5 for t in texts)  # cut about evenly
    staged.remove()
    assert not any(Path(p).exists() for p in staged.paths)


def test_a_load_in_pieces_equals_the_whole_read(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    _same_load(_write(tmp_path / "big.xlsx", big_sheet_xml(big_rows())), monkeypatch)


def test_rows_out_of_order_across_pieces(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = big_rows()
    rows[1], rows[-1] = rows[-1], rows[1]  # the last date first, the first date last
    rows.insert(len(rows) // 2, rows.pop(2))  # and one row moved into another piece
    path = _write(tmp_path / "shuffled.xlsx", big_sheet_xml(rows))
    staged, _ = _stage(path)
    assert staged.pieces  # cut, despite the order
    staged.remove()
    _same_load(path, monkeypatch)


def test_duplicate_cells_in_a_later_piece_win_as_they_do_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = big_rows()
    rows.append('<row r="3"><c r="B3"><v>4242.5</v></c></row>')  # row 3 again, at the end
    path = _write(tmp_path / "dup.xlsx", big_sheet_xml(rows))
    _same_load(path, monkeypatch)
    result = load_file(path, use_cache=False)
    rty = next(s for s in result.series if s.id == "dup:Prices:RTY")
    assert 4242.5 in rty.values


def test_a_comment_inside_the_rows_stops_the_cut(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rows = big_rows()
    rows.insert(len(rows) * 3 // 4, "<!-- <row r=\"9\"><c r=\"B9\"><v>1</v></c></row> -->")
    path = _write(tmp_path / "comment.xlsx", big_sheet_xml(rows))
    staged, original = _stage(path)
    member = "xl/worksheets/sheet2.xml"
    assert staged.pieces == {} and len(staged.paths) == 1  # copied as it was
    with zipfile.ZipFile(staged.path) as copy:
        assert copy.read(member) == original.read(member)
    staged.remove()
    _same_load(path, monkeypatch)


def test_rows_after_sheet_data_are_never_cut_into(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Junk ``<row>``s after ``</sheetData>`` (which calamine ignores) must not become
    the start of a piece: all cuts fall inside sheetData, here none fits."""
    tail = "".join(f'<row r="{r}"><c r="B{r}"><v>99</v></c></row>' for r in range(5, 80_000))
    body = (f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>{"".join(big_rows(3000))}'
            f'</sheetData><rowBreaks count="1"><brk id="5"/></rowBreaks><extra>{tail}</extra>'
            "</worksheet>").encode()
    path = _write(tmp_path / "tail.xlsx", body)
    staged, original = _stage(path)
    member = "xl/worksheets/sheet2.xml"
    assert staged.pieces == {member: 3}
    texts = _piece_texts(staged, member)
    assert texts[0] == original.read(member)  # the whole part, tail and all
    assert [ROW.findall(t) for t in texts[1:]] == [[], []]  # head and closing tags only
    _same_load(path, monkeypatch)


def test_a_row_too_big_to_cut_leaves_a_piece_empty(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "x" * 200
    cells = "".join(f'<c r="{_col(c)}2" t="inlineStr"><is><t>{text}</t></is></c>'
                    for c in range(16_000))
    body = (f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>'
            f'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c></row>'
            f'<row r="2">{cells}</row><row r="3"><c r="B3"><v>7</v></c></row>'
            "</sheetData></worksheet>").encode()
    path = _write(tmp_path / "giant.xlsx", body)
    staged, _ = _stage(path)
    member = "xl/worksheets/sheet2.xml"
    assert staged.pieces == {member: 3}
    rows_per_piece = [len(ROW.findall(t)) for t in _piece_texts(staged, member)]
    # Both cut targets fall inside row 2: both cuts land before row 3, a piece is empty.
    assert rows_per_piece == [2, 0, 1]
    cut = _rows_of(path)
    monkeypatch.setenv("GAPWATCH_SHEET_PIECES", "1")
    assert cut == _rows_of(path)
    assert cut[1][1] == (3, 16_000)


def _rows_of(path: Path) -> list:
    from core.ingest import readers

    return [(name, s.grid.shape, s.grid[:3, :5].tolist())
            for name, s in readers.read_path_sheets(path) if not isinstance(s, str)]


def _col(c: int) -> str:
    out = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        out = chr(65 + rem) + out
    return out


def test_a_piece_calamine_fails_on_goes_to_the_safe_reader(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    path = _write(tmp_path / "big.xlsx", big_sheet_xml(big_rows()))
    expected = load_file(path, use_cache=False)

    def fail(books, name):
        raise python_calamine.CalamineError("broken piece")

    monkeypatch.setattr(sheet_pieces, "read_pieces", fail)
    again = load_file(path, use_cache=False)
    assert [s.id for s in again.series] == [s.id for s in expected.series]
    assert any("safe XML reader" in m.text and "broken piece" in m.text for m in again.messages)


def test_assemble_lays_pieces_where_their_cells_were() -> None:
    contiguous = [(0, 0, [["a", 1], ["b", 2]]), (2, 0, [["c", 3]])]
    np.testing.assert_array_equal(sheet_pieces._assemble(contiguous),
                                  np.array([["a", 1], ["b", 2], ["c", 3]], dtype=object))
    gapped = [(1, 1, [["x"]]), (4, 0, [["y", "z"]])]  # a blank row between, a column offset
    grid = sheet_pieces._assemble(gapped)
    assert grid.tolist() == [["", ""], ["", "x"], ["", ""], ["", ""], ["y", "z"]]
    overlapping = [(0, 0, [[1, 2], [3, 4]]), (1, 0, [["", 9]])]  # row 2 again, later
    assert sheet_pieces._assemble(overlapping).tolist() == [[1, 2], [3, 9]]
    assert sheet_pieces._assemble([]).shape == (0, 0)


def test_piece_count_follows_size_cores_and_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    mb = 1024 * 1024
    monkeypatch.setattr(sheet_pieces, "MIN_PIECE_BYTES", 4 * mb)
    assert sheet_pieces.piece_count(3 * mb, cores=8) == 1
    assert sheet_pieces.piece_count(43 * mb, cores=2) == 2
    assert sheet_pieces.piece_count(43 * mb, cores=1) == 1
    assert sheet_pieces.piece_count(400 * mb, cores=64) == sheet_pieces.MAX_PIECES
    monkeypatch.setenv("GAPWATCH_SHEET_PIECES", "1")
    assert sheet_pieces.piece_count(400 * mb, cores=64) == 1


def test_gc_pause_nests_and_restores_the_collector() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer load is still building
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()

"""The load-speed shortcuts give exactly what the general path gives.

- an all-number data block is cast in one go (``numbers.numeric_block``), with the date
  column anywhere and rows skipped (non-contiguous dates);
- the content hash of a big file is computed on a worker thread, and a cached entry is
  still only served when the bytes hash the same.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import numpy as np
from ingest_helpers import as_pairs, by_id, write_xlsx

from core.ingest import load_file, readers, sheet_series
from core.ingest.numbers import numeric_block, to_numbers

D = dt.date


def test_numeric_block_matches_column_by_column_conversion() -> None:
    block = np.array([[1.5, 2, None], [float("inf"), -3.25, 4.0]], dtype=object)
    fast = numeric_block(block)
    assert fast is not None and fast.flags.f_contiguous
    for j in range(block.shape[1]):
        slow = to_numbers(block[:, j]).values
        np.testing.assert_array_equal(fast[:, j], slow)
    assert np.isnan(fast[1, 0]) and np.isnan(fast[0, 2])  # inf and None are no observation
    assert numeric_block(np.array([[1.0, ""]], dtype=object)) is None  # a blank cell: per column
    assert numeric_block(np.array([[1.0, D(2024, 1, 2)]], dtype=object)) is None


def test_date_column_in_the_middle_and_a_skipped_row_load_every_value(tmp_path: Path) -> None:
    # Dates in column B, numbers on both sides, a footnote row inside the table: the data
    # block is rows {2,3,5} x columns {A,C,D}, neither a slice of rows nor of columns.
    rows = [["Left", "Date", "Mid", "Right"],
            [10.0, D(2024, 1, 2), 1.25, -7.0],
            [11.0, D(2024, 1, 3), 1.5, -8.0],
            ["note: holiday below", None, None, None],
            [12.0, D(2024, 1, 5), 1.75, -9.5]]
    p = write_xlsx(tmp_path / "mid.xlsx", {"S": rows})
    grid = readers.read_path_sheets(p)[0][1].grid
    date_rows = np.array([1, 2, 4])
    assert sheet_series._all_numbers(grid, 1, 4, date_rows, False, [0, 2, 3]) is not None

    got = by_id(load_file(p, use_cache=False))
    days = ["2024-01-02", "2024-01-03", "2024-01-05"]
    assert as_pairs(got["mid:S:Left"]) == list(zip(days, [10.0, 11.0, 12.0], strict=True))
    assert as_pairs(got["mid:S:Mid"]) == list(zip(days, [1.25, 1.5, 1.75], strict=True))
    assert as_pairs(got["mid:S:Right"]) == list(zip(days, [-7.0, -8.0, -9.5], strict=True))


def test_a_text_cell_in_the_block_still_gets_its_cell_message(tmp_path: Path) -> None:
    rows = [["Date", "X", "Y"], [D(2024, 1, 2), 1.0, 2.0], [D(2024, 1, 3), "oops", 3.0],
            [D(2024, 1, 4), 4.0, 5.0]]
    result = load_file(write_xlsx(tmp_path / "t.xlsx", {"S": rows}), use_cache=False)
    assert as_pairs(by_id(result)["t:S:X"]) == [("2024-01-02", 1.0), ("2024-01-04", 4.0)]
    assert [(m.sheet, m.cell) for m in result.messages if "oops" in m.text] == [("S", "B3")]


def _big_csv(path: Path, scale: float) -> Path:
    lines = ["Date,Value"]
    day = np.datetime64("2000-01-03")
    for k in range(60_000):  # > 1 MB: hashed on the worker thread
        lines.append(f"{day + k},{scale * (k % 977) + 0.123456:.6f}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_background_hash_is_the_file_hash_and_guards_the_cache(tmp_path: Path,
                                                                isolated_home: Path) -> None:
    p = _big_csv(tmp_path / "big.csv", 1.0)
    assert p.stat().st_size > 1 << 20
    first = load_file(p)
    assert first.fingerprint == hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
    again = load_file(p)
    assert again.from_cache and again.fingerprint == first.fingerprint

    # Same size and modification time, different bytes (scale 2 writes the same widths
    # only where values fit; pad to the same size): the hash must catch it.
    stat = p.stat()
    text = p.read_text().replace("0.123456", "0.654321")
    p.write_text(text)
    os.utime(p, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert p.stat().st_size == stat.st_size and p.stat().st_mtime_ns == stat.st_mtime_ns
    changed = load_file(p)
    assert not changed.from_cache
    assert changed.fingerprint != first.fingerprint
    assert changed.series[0].values[0] == 0.654321


def test_repeated_date_cells_read_once_give_the_same_column() -> None:
    """A long layout repeats each date per ticker: the distinct-cell path must equal the
    cell-by-cell reading in every field (days, times, order, conflicts, ambiguity)."""
    from core.ingest import date_cells

    rng = np.random.default_rng(3)
    pool = [dt.datetime(2024, 1, 2, 16, 30), D(2024, 1, 3), "04/01/2024", "25/12/2024",
            "12/25/2024", "2024-02-01", "not a date", ""]
    cells = np.empty(30_000, dtype=object)
    cells[:] = [pool[k] for k in rng.integers(0, len(pool), len(cells))]
    cells[0] = "Desk export"  # a title above the data
    assert date_cells._mostly_repeats(cells)
    fast = date_cells.parse_dates(cells)
    slow = date_cells._parse_dates(cells, allow_serial=False, yymmdd=False, order=None)
    np.testing.assert_array_equal(fast.days, slow.days)
    np.testing.assert_array_equal(fast.stamps_ms, slow.stamps_ms)
    np.testing.assert_array_equal(fast.ambiguous_rows, slow.ambiguous_rows)
    assert (fast.order, fast.order_assumed, fast.order_given) == \
        (slow.order, slow.order_assumed, slow.order_given)
    assert fast.order_conflict == slow.order_conflict and slow.order_conflict
    # numbers could merge with booleans (1 == True): those columns keep the cell path
    mixed = cells.copy()
    mixed[5], mixed[6] = True, 1.0
    got = date_cells.parse_dates(mixed, allow_serial=True)  # 1.0 is a serial date, True is not
    want = date_cells._parse_dates(mixed, allow_serial=True, yymmdd=False, order=None)
    assert not np.isnat(want.days[6]) and np.isnat(want.days[5])
    np.testing.assert_array_equal(got.days, want.days)
    assert got.order_conflict == want.order_conflict

"""Property: whatever random small workbook openpyxl can write, ``load_file`` returns
(never raises), every series it yields has strictly increasing unique dates and finite or
NaN values, the second (cached) load agrees, and an empty result says why, naming the file.

Half the sheets are shaped like desk exports (a date column, numeric columns, noise in
both), half are chaos (any cell anything), so both the parsing and the rejecting paths
get exercised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")
XML_SAFE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")

sheet_names = st.text(XML_SAFE.filter(lambda c: c not in FORBIDDEN_IN_SHEET_NAMES),
                      min_size=1, max_size=31).filter(
    lambda s: s.strip("'") == s and s.strip() != "" and s.lower() != "history")
dates = st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31))
date_texts = (dates.map(lambda d: d.isoformat()) | dates.map(lambda d: d.strftime("%m/%d/%Y"))
              | dates.map(lambda d: d.strftime("%d %b %Y")))
numbers = st.floats(allow_nan=False, allow_infinity=False, width=64) | st.integers(-10**15, 10**15)
junk_text = st.sampled_from(["", " ", "n/a", "#N/A", "nan", "inf", "-inf", "TBD", "1,234.5", "(12)",
                             "5%", "—"]) | st.text(XML_SAFE, max_size=12)
any_cell = st.none() | numbers | dates | date_texts | junk_text | st.booleans() | st.datetimes(
    min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1))


@st.composite
def desk_sheet(draw: st.DrawFn) -> list[list[object]]:
    n_rows = draw(st.integers(0, 40))
    n_vals = draw(st.integers(1, 4))
    start = draw(dates)
    step = draw(st.sampled_from([1, 7, 14, 30]))
    order = draw(st.sampled_from(["asc", "desc", "shuffled", "dupes"]))
    days = [start + dt.timedelta(days=step * i) for i in range(n_rows)]
    if order == "desc":
        days.reverse()
    elif order == "shuffled":
        days = draw(st.permutations(days))
    elif order == "dupes" and days:
        picks = draw(st.lists(st.integers(0, n_rows - 1), min_size=n_rows, max_size=n_rows))
        days = [days[i] for i in picks]
    header = [draw(st.sampled_from(["Date", "date", "As of", ""])), *draw(st.lists(
        st.text(XML_SAFE, max_size=20), min_size=n_vals, max_size=n_vals))]
    rows: list[list[object]] = [header] if draw(st.booleans()) else []
    date_noise = st.one_of(st.just(None), date_texts, junk_text)
    for day in days:
        first = day if draw(st.integers(0, 9)) else draw(date_noise)
        values = [draw(numbers) if draw(st.integers(0, 5)) else draw(any_cell)
                  for _ in range(n_vals)]
        rows.append([first, *values])
    return rows


chaos_sheet = st.lists(st.lists(any_cell, max_size=6), max_size=25)


@st.composite
def sheet_options(draw: st.DrawFn) -> dict:
    """Things desk exports carry besides values: date-formatted numbers (Excel serials,
    including 60 = the fictitious 1900-02-29, and negatives), hidden sheets, merges."""
    small = st.integers(1, 3)
    span = st.integers(0, 2)
    return {"serial_dates": draw(st.booleans()),
            "hidden": draw(st.sampled_from([None, "hidden", "veryHidden"])),
            "merge": draw(st.none() | st.tuples(small, small, span, span))}


@st.composite
def workbooks(draw: st.DrawFn) -> list[tuple[str, list[list[object]], dict]]:
    names = draw(st.lists(sheet_names, min_size=1, max_size=3, unique_by=str.lower))
    shapes = desk_sheet() | serial_sheet() | chaos_sheet
    return [(name, draw(shapes), draw(sheet_options())) for name in names]


@st.composite
def serial_sheet(draw: st.DrawFn) -> list[list[object]]:
    """Column A: Excel serial numbers (formatted as dates when the options say so)."""
    serial = st.integers(-3, 80) | st.integers(40_000, 50_000) | st.floats(0, 3e6)
    serials = draw(st.lists(serial, max_size=30))
    return [["Date", "Value"], *([s, draw(numbers | junk_text)] for s in serials)]


def _write(sheets: list[tuple[str, list[list[object]], dict]], path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, (name, rows, opts) in enumerate(sheets):
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        if opts["serial_dates"]:
            for (cell,) in ws.iter_rows(min_col=1, max_col=1):
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    cell.number_format = "yyyy-mm-dd"
        if opts["hidden"] and i > 0:  # the first sheet stays visible (openpyxl needs one)
            ws.sheet_state = opts["hidden"]
        if opts["merge"]:
            r, c, dr, dc = opts["merge"]
            ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    wb.save(path)


@pytest.fixture(scope="module")
def gapwatch_home() -> Iterator[Path]:
    """Cache and config in a temp folder for the whole module (hypothesis reruns the body)."""
    old = os.environ.get("GAPWATCH_HOME")
    with tempfile.TemporaryDirectory(prefix="gapwatch_home_") as home:
        os.environ["GAPWATCH_HOME"] = home
        try:
            yield Path(home)
        finally:
            if old is None:
                os.environ.pop("GAPWATCH_HOME", None)
            else:
                os.environ["GAPWATCH_HOME"] = old


def _assert_series_invariants(result: object) -> None:
    for s in result.series:  # type: ignore[attr-defined]
        d = np.asarray(s.dates)
        v = np.asarray(s.values)
        assert d.dtype == np.dtype("datetime64[D]") and v.dtype == np.float64, s.id
        assert d.shape == v.shape, s.id
        assert not np.isnat(d).any(), s.id
        assert np.all(np.diff(d.astype(np.int64)) > 0), f"{s.id}: dates not strictly increasing"
        assert not np.isinf(v).any(), f"{s.id}: infinite values"


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(book=workbooks())
def test_random_workbook_loads_cleanly(book: list[tuple[str, list[list[object]], dict]],
                                      gapwatch_home: Path) -> None:
    from core.ingest import load_file

    with tempfile.TemporaryDirectory(dir=gapwatch_home) as tmp:
        path = Path(tmp) / "random book.xlsx"
        _write(book, path)
        before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        first = load_file(path)
        second = load_file(path)
        after = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    assert before == after, "load_file wrote to the source file"
    _assert_series_invariants(first)
    _assert_series_invariants(second)
    assert [(s.id, len(s)) for s in first.series] == [(s.id, len(s)) for s in second.series]
    if not first.series:
        naming = [m for m in first.messages
                  if m.level in ("error", "warning") and m.file.endswith(path.name)]
        assert naming, [str(m) for m in first.messages]

"""Excel/terminal error values and missing markers are missing observations, not text:
a mostly-#N/A column with numbers between is a sparse numeric series, and the dropped
cells are counted in one message per column."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from ingest_helpers import by_id, find, write_xlsx

from core.ingest import load_file
from core.ingest.numbers import parse_number_text, to_numbers

TOKENS = ["#N/A", "#N/A N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "nan", "inf",
          "-", "n/a", "NA", "#N/A Field Not Applicable", "#SPILL!", "-inf", "#GETTING_DATA"]


@pytest.mark.parametrize("text", TOKENS)
def test_token_is_a_counted_missing_value(text: str) -> None:
    got = parse_number_text(text)
    assert math.isnan(got.value) and not got.bad and got.marker


@pytest.mark.parametrize("text", ["#1 pick", "N/A pending", "UP ↑"])
def test_text_that_only_looks_like_a_token_is_still_bad(text: str) -> None:
    assert parse_number_text(text).bad


def test_marker_counts_per_text() -> None:
    cells = np.array([1.0, "#N/A N/A", "#N/A N/A", "inf", None, "", 2.0, " #DIV/0! "], dtype=object)
    got = to_numbers(cells)
    assert got.numeric_count == 2 and not got.bad.any()
    assert got.markers == {"#N/A N/A": 2, "inf": 1, "#DIV/0!": 1}


def test_text_nan_and_inf_on_the_fast_path_are_counted() -> None:
    got = to_numbers(np.array([1.0, "nan", "inf", 3.0, None], dtype=object))
    assert got.numeric_count == 2 and got.markers == {"nan": 1, "inf": 1}


def _rows(n: int = 60, every: int = 5) -> tuple[list[list], int, int]:
    """A date column, a Px column with a number every ``every`` rows and tokens between
    (cycling through TOKENS), and an all-number column. Returns rows, numbers, tokens."""
    rows: list[list] = [["Date", "Px", "Other"]]
    numbers = 0
    for i in range(n):
        if i % every == 0:
            value: object = 100.0 + i
            numbers += 1
        else:
            value = TOKENS[i % len(TOKENS)]
        rows.append([dt.date(2024, 1, 1) + dt.timedelta(days=i), value, float(i)])
    return rows, numbers, n - numbers


def test_mostly_tokens_csv_column_is_numeric(tmp_path: Path) -> None:
    rows, numbers, tokens = _rows()
    assert (numbers, tokens) == (12, 48)  # tokens are 80% of the cells
    path = tmp_path / "bbg.csv"
    path.write_text("\n".join(",".join(str(c) for c in r) for r in rows) + "\n")
    result = load_file(path, use_cache=False)
    px = by_id(result)["bbg:csv:Px"]
    assert len(px) == 12 and not np.isnan(px.values).any()
    assert px.values[0] == 100.0 and str(px.dates[1]) == "2024-01-06"
    said = find(result, "error values or missing markers")
    assert len(said) == 1 and said[0].cell == "B" and said[0].level == "info"
    assert "column B 'Px': 48 cells" in said[0].text and "12 numbers loaded" in said[0].text
    assert not find(result, "text columns not loaded")
    assert not find(result, "is not a number")


def test_mostly_tokens_xlsx_text_cells(tmp_path: Path) -> None:
    rows, _, _ = _rows(n=100, every=10)  # 90 tokens, 10 numbers
    path = write_xlsx(tmp_path / "terminal.xlsx", {"Data": rows})
    result = load_file(path, use_cache=False)
    px = by_id(result)["terminal:Data:Px"]
    assert len(px) == 10
    said = find(result, "error values or missing markers")
    # openpyxl stores exact Excel error values (#N/A, #DIV/0! ...) as error cells, which
    # calamine reads as blanks; the other tokens stay text and are counted.
    errors = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"}
    texts = sum(1 for r in rows[1:] if isinstance(r[1], str) and r[1] not in errors)
    assert len(said) == 1 and f"{texts} cells" in said[0].text and "10 numbers loaded" in said[0].text


def test_all_tokens_no_series_and_one_message(tmp_path: Path) -> None:
    lines = ["Date,Px,Other"] + [f"2024-01-{d:02d},#N/A N/A,{d}" for d in range(1, 21)]
    path = tmp_path / "empty_px.csv"
    path.write_text("\n".join(lines) + "\n")
    result = load_file(path, use_cache=False)
    assert "empty_px:csv:Px" not in by_id(result)
    said = find(result, "error values or missing markers")
    assert len(said) == 1 and "20 cells" in said[0].text and "no series" in said[0].text


def test_real_text_column_still_not_loaded(tmp_path: Path) -> None:
    lines = ["Date,Note,Px"] + [f"2024-01-{d:02d},looks fine,{d}" for d in range(1, 21)]
    path = tmp_path / "notes.csv"
    path.write_text("\n".join(lines) + "\n")
    result = load_file(path, use_cache=False)
    assert find(result, "text columns not loaded") and "notes:csv:Note" not in by_id(result)

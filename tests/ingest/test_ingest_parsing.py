"""Cell-level readers: numbers written as text and dates in their many spellings,
checked against hand-worked values."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from core.ingest.date_cells import decide_order, parse_dates
from core.ingest.numbers import parse_number_text, to_numbers


@pytest.mark.parametrize(("text", "value", "hint"), [
    ("$16.2bn", 16.2, "USD bn"), ("(1,234)", -1234.0, None), ("12.5%", 12.5, "percent"),
    ("1.2e3", 1200.0, None), ("19.2K", 19200.0, None), ("-122.9K", -122900.0, None),
    ("1,532,594,919.50", 1532594919.5, None), ("$250mn", 250.0, "USD mn"), ("−3.5", -3.5, None),
    ("+4", 4.0, None), ("(2.5%)", -2.5, "percent"),
])
def test_number_text(text: str, value: float, hint: str | None) -> None:
    got = parse_number_text(text)
    assert not got.bad and got.value == pytest.approx(value) and got.unit_hint == hint


@pytest.mark.parametrize("text", ["—", "n/a", "-", ".", "", "  ", "#N/A", "NaN"])
def test_missing_placeholders(text: str) -> None:
    got = parse_number_text(text)
    assert math.isnan(got.value) and not got.bad


@pytest.mark.parametrize("text", ["abc", "UP ↑", "1.2.3", "12 apples"])
def test_bad_text(text: str) -> None:
    assert parse_number_text(text).bad


def test_to_numbers_fast_path_and_mixed() -> None:
    fast = to_numbers(np.array([1.0, 2, 3.5], dtype=object))
    assert fast.values.tolist() == [1.0, 2.0, 3.5] and not fast.bad.any()
    mixed = to_numbers(np.array([1.0, "", "x", "2%", dt.date(2024, 1, 1)], dtype=object))
    assert mixed.values[0] == 1.0 and math.isnan(mixed.values[1]) and mixed.values[3] == 2.0
    assert mixed.bad.tolist() == [False, False, True, False, True]
    assert mixed.numeric_count == 2 and mixed.unit_hint == "percent"


def _days(cells: list, **kw) -> list[str]:
    got = parse_dates(np.array(cells, dtype=object), **kw)
    return [str(d) for d in got.days]


def test_date_spellings() -> None:
    assert _days(["2024-01-02", "15-Jul-25", "Sep 20, 2024", "20240131", "2024-01-02T10:00:00",
                  "28-Aug-2023 12:53:25.937", "September 5, 2024", "3 Mar 2024"]) == [
        "2024-01-02", "2025-07-15", "2024-09-20", "2024-01-31", "2024-01-02", "2023-08-28",
        "2024-09-05", "2024-03-03"]


def test_excel_dates_serials_and_yymmdd() -> None:
    assert _days([dt.date(2024, 1, 2), dt.datetime(2024, 1, 3, 23, 59)]) == ["2024-01-02", "2024-01-03"]
    assert _days([45293.0, 1.0], allow_serial=True) == ["2024-01-02", "1899-12-31"]
    assert _days([45293.0]) == ["NaT"]  # a number is not a date unless allowed
    assert _days([210824.0, 50311.0, "250311"], yymmdd=True) == ["2021-08-24", "2005-03-11", "2025-03-11"]


def test_day_month_order_rules() -> None:
    assert decide_order([(13, 1, 2024), (2, 1, 2024)]) == ("DMY", False)
    assert decide_order([(1, 13, 2024), (2, 1, 2024)]) == ("MDY", False)
    assert decide_order([(1, 2, 2024), (3, 4, 2024)]) == ("MDY", True)
    assert decide_order([(3, 3, 2024)]) == ("MDY", False)
    col = parse_dates(np.array(["01/02/2024", "25/12/2024", "12/25/2024"], dtype=object))
    assert col.order == "MDY" and [str(d) for d in col.days] == ["2024-01-02", "2024-12-25", "2024-12-25"]
    assert col.order_conflict == [1]
    forced = parse_dates(np.array(["01/02/2024"], dtype=object), order="DMY")
    assert str(forced.days[0]) == "2024-02-01"


def test_intraday_stamps_order_within_a_day() -> None:
    col = parse_dates(np.array(["28-Aug-2023 12:53:25.937", "28-Aug-2023 09:00:00"], dtype=object))
    assert col.stamps_ms is not None and col.stamps_ms[0] > col.stamps_ms[1]
    assert int(col.stamps_ms[0] % 86_400_000) == ((12 * 60 + 53) * 60 + 25) * 1000 + 937


def test_days_to_cover_is_days_not_short_interest_dollars():
    from core.ingest.hints import kind_of, unit_from_header

    assert unit_from_header("Days to cover") == "days"
    assert kind_of("Days to cover", "desk Short interest") == "other"
    assert kind_of("Russell 2000 short interest ($bn)", "desk Short interest") == "short_interest"



@pytest.mark.parametrize(("header", "context"), [
    ("RTY SI", "desk Sheet1"),               # was read as an RTY price in index points
    ("RTY_SI", "export Data"),
    ("Russell 2000 SI ($bn)", "desk Sheet1"),
    ("IWM shares short", "desk Sheet1"),
    ("RTY short int", "desk Sheet1"),
    ("Russell 2000 short interest", "prices Data"),
])
def test_short_interest_words_make_short_interest(header, context):
    from core.ingest.hints import asset_meta, default_unit, kind_of, publication_lag_for

    kind = kind_of(header, context)
    assert kind == "short_interest"
    assert default_unit(kind, asset_meta(header)) != "index points"
    assert publication_lag_for(kind) is not None


@pytest.mark.parametrize(("header", "kind"), [
    ("RTY Index", "price"), ("SPX Index", "price"),
    ("rty si", "price"),              # lower-case "si" is not the abbreviation
    ("SI1 Comdty", "other"),          # a silver future, not short interest
    ("Sinking fund", "other"), ("SIZE", "other"),
    ("SI ratio", "other"), ("Short interest ratio", "other"),  # days to cover
])
def test_si_only_as_a_capitalised_word(header, kind):
    from core.ingest.hints import kind_of, unit_from_header

    assert kind_of(header, "desk Sheet1") == kind
    if "ratio" in header:
        assert unit_from_header(header) == "days"


def test_an_si_column_loads_as_short_interest(tmp_path):
    from ingest_helpers import by_id, write_xlsx

    from core.ingest import load_file

    rows = [["Date", "RTY Index", "RTY SI"],
            [dt.date(2024, 1, 12), 1950.5, 16.1], [dt.date(2024, 1, 31), 1947.3, 16.4]]
    r = load_file(write_xlsx(tmp_path / "desk.xlsx", {"Sheet1": rows}))
    price, si = by_id(r)["desk:Sheet1:RTY Index"], by_id(r)["desk:Sheet1:RTY SI"]
    assert (price.kind, price.unit) == ("price", "index points")
    assert si.kind == "short_interest" and si.unit != "index points"
    assert si.publication_lag is not None and si.meta.get("ticker") == "RTY"

def test_display_name_keeps_tickers_and_drops_units():
    from core.ingest.hints import display_name

    assert display_name("Russell 2000 (RTY, index pts)") == "Russell 2000 (RTY)"
    assert display_name("Russell 2000 short interest ($bn)") == "Russell 2000 short interest"
    assert display_name("Yield (US 10Y, %)") == "Yield (US 10Y)"
    assert display_name("(x)") == "(x)"
    assert display_name("Close") == "Close"

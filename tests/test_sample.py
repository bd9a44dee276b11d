"""The bundled synthetic desk export tells the July-2025 story it is meant to tell.

Read with openpyxl and checked with plain pandas (not the app's ingestion), so a wrong
sample shows up here whatever the ingestion does with it. The story is defined in
resources/SAMPLE.md; the formulas are those of /work/shared/DOMAIN.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "sample_desk_export.xlsx"
SCRIPT = ROOT / "scripts" / "make_sample.py"
TITLE_START = "Gapwatch SYNTHETIC SAMPLE — not market data"
FOOTNOTE = "Source: synthetic, calibrated to public levels; see resources/SAMPLE.md"
DATA_SHEETS = ["Prices", "Short interest", "Positioning", "Fed funds futures"]
HEADER_ROW = 4
RTY, SPX, NDX = ("Russell 2000 (RTY, index pts)", "S&P 500 (SPX, index pts)",
                 "Nasdaq-100 (NDX, index pts)")  # fmt: skip
SI = "Russell 2000 short interest ($bn)"
END = pd.Timestamp("2025-07-29")


@pytest.fixture(scope="module")
def book() -> openpyxl.Workbook:
    assert SAMPLE.exists(), "run scripts/make_sample.py to create the bundled sample"
    return openpyxl.load_workbook(SAMPLE)


def table(book: openpyxl.Workbook, name: str) -> pd.DataFrame:
    """Rows under the header (row 4) down to the first blank row, indexed by the date column."""
    ws = book[name]
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    header, body = rows[0], []
    for row in rows[1:]:
        if all(v is None for v in row):
            break
        body.append(row)
    frame = pd.DataFrame(body, columns=header)
    frame.index = pd.DatetimeIndex(frame.pop(header[0]))
    return frame


@pytest.fixture(scope="module")
def prices(book: openpyxl.Workbook) -> pd.DataFrame:
    return table(book, "Prices").astype(float)


@pytest.fixture(scope="module")
def positioning(book: openpyxl.Workbook) -> pd.DataFrame:
    return table(book, "Positioning")


@pytest.fixture(scope="module")
def futures(book: openpyxl.Workbook) -> pd.DataFrame:
    return table(book, "Fed funds futures").astype(float)


# ------------------------------------------------------------------------ layout
def test_sheets_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == [*DATA_SHEETS, "Notes"]


@pytest.mark.parametrize("name", [*DATA_SHEETS, "Notes"])
def test_title_rows_and_footnote_on_every_sheet(book: openpyxl.Workbook, name: str) -> None:
    ws = book[name]
    assert str(ws["A1"].value).startswith(TITLE_START)
    assert "as of 31-Jul-2025" in str(ws["A2"].value) or name == "Notes"
    assert all(c.value is None for c in ws[3])
    last = ws.max_row
    assert ws.cell(last, 1).value == FOOTNOTE
    assert all(c.value is None for c in ws[last - 1])


@pytest.mark.parametrize("name", DATA_SHEETS)
def test_dates_are_real_excel_dates(book: openpyxl.Workbook, name: str) -> None:
    ws = book[name]
    cells = [row[0] for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=1)]
    data = cells[: [c.value for c in cells].index(None)]
    assert len(data) > 100
    assert all(isinstance(c.value, dt.datetime) for c in data)
    assert {c.number_format for c in data} == {"yyyy-mm-dd"}
    days = pd.DatetimeIndex([c.value for c in data])
    assert days.is_monotonic_increasing and days.is_unique


def test_notes_sheet_has_text_and_no_table(book: openpyxl.Workbook) -> None:
    values = [v for row in book["Notes"].iter_rows(values_only=True) for v in row if v is not None]
    assert all(isinstance(v, str) for v in values)
    assert any("SYNTHETIC" in v for v in values[2:])


def test_file_is_small() -> None:
    assert SAMPLE.stat().st_size < 1.5 * 1024 * 1024


# ------------------------------------------------------------------------ prices
def test_prices_cover_weekdays_without_gaps(prices: pd.DataFrame) -> None:
    assert list(prices.columns) == [RTY, SPX, NDX]
    expected = pd.bdate_range("2019-01-02", "2025-07-31")
    assert prices.index.equals(expected)
    assert prices.notna().all().all()
    assert (prices > 0).all().all()


def test_daily_volatility_is_realistic(prices: pd.DataFrame) -> None:
    vol = np.log(prices).diff().std()
    assert vol.between(0.008, 0.02).all(), vol


def _rally_from_april_low(series: pd.Series) -> tuple[pd.Timestamp, float]:
    spring = series["2025-03-01":"2025-05-31"]
    low_day = spring.idxmin()
    return low_day, 100 * (series.iloc[-1] / spring.min() - 1)


@pytest.mark.parametrize(("column", "low", "high"), [(RTY, 25, 27), (SPX, 23, 25), (NDX, 28, 32)])
def test_rally_from_the_april_2025_low(prices: pd.DataFrame, column: str, low: float,
                                       high: float) -> None:
    low_day, rally = _rally_from_april_low(prices[column])
    assert low_day == pd.Timestamp("2025-04-08")
    assert low < rally < high


def test_calibration_landmarks(prices: pd.DataFrame) -> None:
    assert prices[RTY].idxmin() == pd.Timestamp("2020-03-18")
    assert prices[SPX].idxmin() == pd.Timestamp("2020-03-23")
    assert prices.loc["2020-01-01":"2020-12-31", NDX].idxmin() == pd.Timestamp("2020-03-20")
    assert prices.loc["2024-01-01":"2024-12-31", RTY].idxmax() == pd.Timestamp("2024-11-25")
    assert 2300 < prices.loc["2021-11-01":"2021-11-30", RTY].max() < 2500


# ---------------------------------------------------------------- short interest
def test_short_interest_highest_since_november_2021(book: openpyxl.Workbook) -> None:
    frame = table(book, "Short interest")
    si = frame[SI].astype(float)
    latest_day, latest = si.index[-1], si.iloc[-1]
    assert latest_day == pd.Timestamp("2025-07-15")
    assert 15.8 <= latest <= 16.3
    between = si[(si.index > pd.Timestamp("2021-11-15")) & (si.index < latest_day)]
    assert (between < latest).all()
    assert (si["2021-12-01":].iloc[:-1] < latest).all()
    # DOMAIN.md highest_since: the latest earlier date with a value >= the end value.
    earlier = si.iloc[:-1]
    assert earlier[earlier >= latest].index[-1] == pd.Timestamp("2021-11-15")
    assert frame["Days to cover"].astype(float).between(3, 6).all()


def test_short_interest_settlement_dates(book: openpyxl.Workbook) -> None:
    days = table(book, "Short interest").index
    assert (days.day_of_week < 5).all()
    for day in days:
        month_end = day.days_in_month
        # 15th or month end, rolled back at most two days off a weekend.
        assert 13 <= day.day <= 15 or month_end - 2 <= day.day <= month_end
    assert len(days) == 2 * (12 * 6 + 7) - 1  # 2019-01-15 .. 2025-07-15


# ------------------------------------------------------------------- positioning
def _net_pct(positioning: pd.DataFrame, market: str) -> pd.Series:
    return positioning[f"{market} E-mini lev. funds net (% of OI)"].astype(float)


@pytest.mark.parametrize("market", ["RTY", "NDX"])
def test_net_percent_is_net_over_open_interest(positioning: pd.DataFrame, market: str) -> None:
    net = positioning[f"{market} E-mini lev. funds net (contracts)"]
    oi = positioning[f"{market} E-mini open interest (contracts)"]
    assert all(isinstance(v, int) for v in net) and all(isinstance(v, int) for v in oi)
    expected = 100 * net.astype(float) / oi.astype(float)
    assert np.allclose(_net_pct(positioning, market), expected, atol=0.005 + 1e-9)


def test_weekly_tuesdays(positioning: pd.DataFrame) -> None:
    days = positioning.index
    assert (days.day_of_week == 1).all()
    assert days[0] == pd.Timestamp("2019-01-01") and days[-1] == END
    assert (np.diff(days.values).astype("timedelta64[D]").astype(int) == 7).all()


def test_real_cftc_readings_are_anchors(positioning: pd.DataFrame) -> None:
    # Lev_Money long - short and Open_Interest_All from the CFTC TFF files (SOURCE.md).
    real = {
        ("2025-03-11", "RTY"): (104927 - 89803, 473874),
        ("2021-08-24", "RTY"): (47700 - 133570, 451736),
        ("2025-03-11", "NDX"): (79012 - 74346, 303084),
        ("2021-08-24", "NDX"): (38426 - 71282, 227123),
    }
    for (day, market), (net, oi) in real.items():
        row = positioning.loc[day]
        assert row[f"{market} E-mini lev. funds net (contracts)"] == net
        assert row[f"{market} E-mini open interest (contracts)"] == oi


def test_open_interest_in_calibrated_ranges(positioning: pd.DataFrame) -> None:
    assert positioning["RTY E-mini open interest (contracts)"].between(400_000, 620_000).all()
    assert positioning["NDX E-mini open interest (contracts)"].between(190_000, 330_000).all()


def test_rty_near_one_year_low_and_ndx_near_one_year_high(positioning: pd.DataFrame) -> None:
    last_year = positioning[positioning.index > END - pd.Timedelta(weeks=52)]
    assert len(last_year) == 52
    rty, ndx = _net_pct(last_year, "RTY"), _net_pct(last_year, "NDX")
    assert (rty < rty.iloc[-1]).sum() <= 2  # bottom 3
    assert (ndx > ndx.iloc[-1]).sum() <= 2  # top 3
    assert -19 < rty.iloc[-1] < -15


def _trailing_z(series: pd.Series, since: str) -> pd.Series:
    """DOMAIN.md zscore at each date from ``since`` over the lookback (t - 3 years, t]."""
    out = {}
    for day in series[since:].index:
        window = series[(series.index > day - pd.DateOffset(years=3)) & (series.index <= day)]
        out[day] = (series[day] - window.mean()) / window.std(ddof=1)
    return pd.Series(out)


def test_positioning_gap_is_a_record_over_2022_2025(positioning: pd.DataFrame) -> None:
    ndx, rty = _net_pct(positioning, "NDX"), _net_pct(positioning, "RTY")
    recent = _trailing_z(ndx, "2022-01-01") - _trailing_z(rty, "2022-01-01")
    assert recent.iloc[-1] >= recent.iloc[:-1].max()
    assert recent.iloc[-1] > 3


# ------------------------------------------------------------- fed funds futures
def _contract_label(year: int, month: int) -> str:
    return f"FF {calendar.month_abbr[month]}-{year % 100:02d}"


def test_contract_columns_and_quotes(futures: pd.DataFrame) -> None:
    expected = [_contract_label(y, m) for y in (2023, 2024, 2025, 2026) for m in range(1, 13)]
    assert list(futures.columns) == expected
    assert futures.index.equals(pd.bdate_range("2023-01-03", "2025-07-31"))
    quoted = futures.stack().dropna()
    assert quoted.between(94, 100).all()
    ticks = quoted.to_numpy() / 0.0025
    assert np.allclose(ticks, np.round(ticks), atol=1e-6)
    for label in futures:
        present = futures[label].notna().to_numpy()
        assert present.any(), label
        first, last = present.argmax(), len(present) - present[::-1].argmax()
        assert present[first:last].all(), f"{label} has a gap inside its quoted span"


def test_expired_contracts_stop_quoting(futures: pd.DataFrame) -> None:
    assert pd.isna(futures.loc["2025-07-01":, "FF Jun-25"]).all()
    assert futures["FF Jan-23"].last_valid_index() == pd.Timestamp("2023-01-31")


def test_july_2025_contract_matches_the_target_range(futures: pd.DataFrame) -> None:
    # Range 4.25-4.50 all July, effective = lower bound + 8 bp, so July averages 4.33.
    assert futures.loc["2025-07-31", "FF Jul-25"] == pytest.approx(100 - 4.33, abs=0.0025)


def _meeting_move(avg_rate: float, start_rate: float | None, end_rate: float | None,
                  days: int, before: int) -> float:
    """DOMAIN.md: r_avg = (m r_start + (N - m) r_end) / N, solved for the missing rate."""
    if start_rate is not None:
        end_rate = (days * avg_rate - before * start_rate) / (days - before)
    else:
        start_rate = (days * avg_rate - (days - before) * end_rate) / before
    return end_rate - start_rate


def test_fedwatch_cut_odds_on_31_july_2025(futures: pd.DataFrame) -> None:
    row = futures.loc["2025-07-31"]
    # 17 Sep: August has no meeting, so r_start = 100 - FF Aug-25; N = 30, m = 16.
    sep_move = _meeting_move(100 - row["FF Sep-25"], 100 - row["FF Aug-25"], None, 30, 16)
    p_sep = -sep_move / 0.25
    assert 0.35 <= p_sep <= 0.75
    # 29 Oct: November has no meeting, so r_end = 100 - FF Nov-25; N = 31, m = 28.
    oct_move = _meeting_move(100 - row["FF Oct-25"], None, 100 - row["FF Nov-25"], 31, 28)
    p_oct = -oct_move / 0.25
    assert 0 <= p_oct <= 1
    # Each move is less than one step, so no cut by October needs no cut at either meeting.
    assert 1 - (1 - p_sep) * (1 - p_oct) > 0.70


def test_september_odds_were_higher_a_month_earlier(futures: pd.DataFrame) -> None:
    def p_sep(day: str) -> float:
        row = futures.loc[day]
        return -_meeting_move(100 - row["FF Sep-25"], 100 - row["FF Aug-25"], None, 30, 16) / 0.25

    assert p_sep("2025-06-30") > p_sep("2025-07-31") + 0.1


# ------------------------------------------------------------------ reproducible
def _load_script():
    spec = importlib.util.spec_from_file_location("make_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "fresh.xlsx"
    assert _load_script().main(["make_sample.py", str(out)]) == 0
    return out


def test_committed_sample_equals_a_fresh_generation(book: openpyxl.Workbook, fresh: Path) -> None:
    again = openpyxl.load_workbook(fresh)
    assert again.sheetnames == book.sheetnames
    for name in book.sheetnames:
        ours = [[(c.value, c.number_format) for c in row] for row in book[name].iter_rows()]
        theirs = [[(c.value, c.number_format) for c in row] for row in again[name].iter_rows()]
        assert ours == theirs, name


def test_generation_is_byte_deterministic(fresh: Path, tmp_path: Path) -> None:
    second = tmp_path / "second.xlsx"
    _load_script().main(["make_sample.py", str(second)])
    assert second.read_bytes() == fresh.read_bytes()

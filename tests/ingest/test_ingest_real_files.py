"""Real exports (Bloomberg, Eikon, GuruFocus, AAII, investing.com, FRED, Yahoo): each loads
with sensible series or says clearly why not. Expected values are read from the files
independently (SOURCE.md notes, the csv module, pandas)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
from ingest_helpers import by_id, find, value_at

from core.ingest import load_file
from core.series import Frequency

T = "terminal_exports"
M = "messy_formats"


def test_bloomberg_fed_funds(real_data: Path) -> None:
    r = load_file(real_data / T / "FEDL01 Index (Fed Funds Effective Rate).xlsx")
    s = by_id(r)["FEDL01 Index (Fed Funds Effective Rate):Price Data:PX_LAST"]
    assert len(s) == 5025 and str(s.first_date) == "2005-01-03" and str(s.last_date) == "2024-12-31"
    assert value_at(s, "2005-01-03") == 2.31 and value_at(s, "2024-12-31") == 4.33
    assert s.kind == "rate" and s.unit == "percent" and s.frequency == Frequency.DAILY
    assert [(m.level, m.sheet) for m in find(r, "no date column")] == [("warning", "Sheet2")]


def test_bloomberg_spx_and_libor_sheets(real_data: Path) -> None:
    r = load_file(real_data / T / "S&P 500 Index 1M ATM Options.xlsx")
    s = by_id(r)
    px = s["S&P 500 Index 1M ATM Options:Price Data:PX_LAST"]
    assert len(px) == 5033 and value_at(px, "2005-01-03") == 1202.08
    assert px.kind == "price" and px.meta["ticker"] == "SPX" and px.meta["asset"] == "large_cap"
    assert s["S&P 500 Index 1M ATM Options:Price Data:PX_VOLUME"].kind == "other"
    assert len(s["S&P 500 Index 1M ATM Options:Risk Free rate:Risk Free rate"]) == 4988


def test_bloomberg_portfolio_workbook(real_data: Path) -> None:
    r = load_file(real_data / T / "Market Risk Modelling Portfolio Data.xlsx")
    s = by_id(r)
    stem = "Market Risk Modelling Portfolio Data"
    spx = s[f"{stem}:Equities:SPX Index  TRI"]  # inner double space kept, ends stripped
    assert value_at(spx, "2025-04-11") == 5363.3599 and str(spx.first_date) == "2000-04-28"
    assert f"{stem}:Gold:XAU Curncy" in s
    assert spx.frequency == Frequency.MONTHLY
    brl = s[f"{stem}:USD-BRL:USDBRL BGN Curncy Px"]  # blank rows inside the data
    assert value_at(brl, "2025-03-31") == 5.7058 and str(brl.first_date) == "1992-01-31"
    assert sorted(m.sheet for m in find(r, "sheet is empty")) == ["Aodan", "Giovanna"]
    assert find(r, "newest first")


def test_eikon_time_and_sales(real_data: Path) -> None:
    path = real_data / T / "Time_And_Sales___20231004_12_53_54.xlsx"
    r = load_file(path)
    s = by_id(r)
    sheet = "AAPL.O, TSLA.O"
    stem = "Time_And_Sales"  # the stem without its export date and time (INTERFACES.md)
    tsla = s[f"{stem}:{sheet}:TSLA.O Last Trade"]
    # the latest TSLA trade of 2023-08-28 is the first data row (row 8): 240.8
    assert value_at(tsla, "2023-08-28") == 240.8
    assert f"{stem}:{sheet}:AAPL.O Last Trade" in s
    assert find(r, "duplicate date") and all("latest time" in m.text for m in find(r, "duplicate date 2023"))
    assert any("Venue" in m.text for m in find(r, "text columns"))


def test_gurufocus_tobin_q(real_data: Path) -> None:
    r = load_file(real_data / M / "Tobin Q 2026-02-13 19_56_32.xlsx")
    s = by_id(r)["Tobin Q:Sheet1:Value"]
    assert value_at(s, "1945-10-01") == 0.52 and value_at(s, "2024-01-01") == 1.76
    assert s.frequency == Frequency.QUARTERLY
    assert [(m.level, m.cell) for m in find(r, "newest first")] == [("info", "A6")]
    assert by_id(r)["Tobin Q:Sheet1:YOY (%)"].unit == "percent"


def test_aaii_sentiment(real_data: Path) -> None:
    r = load_file(real_data / M / "sentiment.xls")
    s = by_id(r)
    bull = s["sentiment:SENTIMENT:Bullish"]
    assert str(bull.first_date) == "1987-07-24" and value_at(bull, "1987-07-24") == 0.36
    assert "sentiment:SENTIMENT:Bullish 8-week Mov Avg" in s
    assert [m.sheet for m in find(r, "below the data")] == ["SENTIMENT"]


def test_fomc_dates_mixed_order_is_flagged(real_data: Path) -> None:
    r = load_file(real_data / M / "fomc_dates.xls")
    flagged = {m.cell for m in find(r, "mix date orders")}
    lines = (real_data / M / "fomc_dates.xls").read_text(encoding="utf-8-sig").splitlines()
    for trap in ("1/5/2024", "12/6/2024", "7/11/2024", "7/5/2025"):
        assert f"A{lines.index(trap) + 1}" in flagged, trap
    assert not r.ok and r.messages[-1].level == "error"


def test_investing_com_positions(real_data: Path) -> None:
    nq = by_id(load_file(real_data / M / "nasdaq_cftc.txt"))["nasdaq_cftc:csv:Actual"]
    assert value_at(nq, "2024-09-20") == 19200.0
    assert nq.kind == "positioning" and nq.meta["asset"] == "tech"
    es = by_id(load_file(real_data / M / "sp500_cftc.txt"))["sp500_cftc:csv:Actual"]
    assert value_at(es, "2024-09-20") == -122900.0 and es.meta["asset"] == "large_cap"


def test_investing_com_us10y(real_data: Path) -> None:
    r = load_file(real_data / M / "us10y.csv")
    s = by_id(r)
    assert value_at(s["us10y:csv:Price"], "2024-09-01") == 3.8
    assert value_at(s["us10y:csv:Change %"], "2024-09-01") == -2.79
    assert s["us10y:csv:Change %"].unit == "percent"


def test_csv_saved_as_xls_real(real_data: Path) -> None:
    s = by_id(load_file(real_data / M / "DGS2.xls"))["DGS2:csv:DGS2"]
    assert str(s.first_date) == "1994-01-03" and value_at(s, "1994-01-03") == 4.3
    stooq = by_id(load_file(real_data / M / "SP500_STOOQ.xls"))["SP500_STOOQ:csv:Close"]
    assert len(stooq) == 8054 and value_at(stooq, "1994-01-03") == 465.44


def test_holdings_file_is_read_as_one_dated_cross_section(real_data: Path) -> None:
    # issue 14: a holdings file feeds basket short interest (it used to be refused)
    r = load_file(real_data / M / "IWM_holdings.csv")
    [s] = r.series
    assert s.id == "holdings:IWM_holdings:market_value" and str(s.first_date) == "2026-05-05"
    assert len(s.meta["holdings"]["ticker"]) == 1924 - 3  # equity lines less 3 unlisted
    assert find(r, "equity lines without a ticker")


def _fred_expected(path: Path) -> pd.Series:
    df = pd.read_csv(path, na_values=["."])
    df = df.dropna()
    return pd.Series(df.iloc[:, 1].to_numpy(float),
                     index=pd.to_datetime(df.iloc[:, 0]).to_numpy().astype("datetime64[D]"))


def test_fred_csvs_match_pandas(real_data: Path) -> None:
    for name, sid in (("DGS2_fred_1976-06_to_2021-01.csv", "DGS2_fred_1976-06_to_2021-01:csv:DGS2"),
                      ("DGS2_fred_2021-04_to_2026-04.csv", "DGS2_fred_2021-04_to_2026-04:csv:DGS2"),
                      ("FEDFUNDS.csv", "FEDFUNDS:csv:FEDFUNDS")):
        path = real_data / "rates_fed" / name
        r = load_file(path)
        s = by_id(r)[sid]
        exp = _fred_expected(path)
        np.testing.assert_array_equal(s.dates, exp.index.to_numpy())
        np.testing.assert_array_equal(s.values, exp.to_numpy())
        assert s.kind == "rate" and s.unit == "percent"
        assert not [m for m in r.messages if m.level != "info"]
    assert len(by_id(load_file(real_data / "rates_fed" / "DGS2_fred_1976-06_to_2021-01.csv"))[
        "DGS2_fred_1976-06_to_2021-01:csv:DGS2"]) == 11635 - 491


def test_fed_funds_futures_and_fomc_calendar(real_data: Path) -> None:
    s = by_id(load_file(real_data / "rates_fed" / "ZQH24.xlsx"))
    close = s["ZQH24:Sheet1:Close"]
    assert close.kind == "ff_future" and len(close) == 753 and value_at(close, "2023-09-15") == 94.595
    assert s["ZQH24:Sheet1:OpenInterest"].kind == "open_interest"
    fomc = by_id(load_file(real_data / "rates_fed" / "fomc_data.xlsx"))["fomc_data:Sheet1:Actual"]
    assert value_at(fomc, "1982-10-01") == 10.0 and fomc.unit == "percent"


def test_yahoo_prices_match_csv_module(real_data: Path) -> None:
    path = real_data / "prices_daily" / "^RUT.csv"
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    s = by_id(load_file(path))["^RUT:csv:Close"]
    assert len(s) == len(rows) == 9686
    assert value_at(s, rows[0]["Date"]) == float(rows[0]["Close"])
    assert value_at(s, rows[-1]["Date"]) == float(rows[-1]["Close"])
    assert s.meta == {"asset": "small_cap", "ticker": "RTY"} and s.unit == "index points"
    iwm = by_id(load_file(real_data / "prices_daily" / "IWM.csv"))["IWM:csv:Close"]
    assert iwm.meta["asset"] == "small_cap" and iwm.meta["etf"] == "IWM" and iwm.unit == "price"

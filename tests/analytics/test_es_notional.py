"""E-mini S&P 500 (ES) net notional from S&P 500 index files as desks name them.

The index level is recognised in files named ^GSPC, SPX, "S&P 500" or SP500 (a close
column, or FRED's lone ``SP500`` level column); ETF prices, opens and quotes are not the
level. The real TFF file with the real S&P 500 file gives the lev. funds' ES notional,
checked against a plain-pandas read of both raw files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.analytics.positioning_measures import index_close_for
from core.ingest import load_file

ES = "13874A"
ES_MULTIPLIER = 50


@pytest.mark.parametrize(("name", "body", "column"), [
    ("^GSPC.csv", "Date,Open,Close\n2024-01-02,4745.2,4742.83\n", "Close"),
    ("SPX.csv", "Date,Close\n2024-01-02,4742.83\n", "Close"),
    ("S&P 500.csv", "Date,High,Low,Adj Close\n2024-01-02,4754.3,4722.7,4742.83\n", "Adj Close"),
    ("SP500.csv", "observation_date,SP500\n2024-01-02,4742.83\n", "SP500"),  # FRED
    ("S&P 500 Index.csv", "Date,Price\n2024-01-02,4742.83\n", "Price"),
])
def test_sp500_index_files_are_the_es_contracts_index_level(tmp_path, name, body, column):
    path = tmp_path / name
    path.write_text(body)
    close = index_close_for("SPX", load_file(path, use_cache=False).series)
    assert close is not None
    assert close.source.column == column
    assert close.values.tolist() == [4742.83]


@pytest.mark.parametrize(("name", "body"), [
    ("SPY.csv", "Date,Close\n2024-01-02,472.65\n"),  # the ETF: not the index level
    ("SPX.csv", "Date,Open,High\n2024-01-02,4745.2,4754.3\n"),  # no level column
    ("SPX quotes.csv", "Date,PX_BID,PX_ASK\n2024-01-02,4742.5,4743.1\n"),
])
def test_etf_prices_opens_and_quotes_are_not_the_index_level(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(body)
    assert index_close_for("SPX", load_file(path, use_cache=False).series) is None


@pytest.mark.realdata
def test_real_tff_and_sp500_file_give_lev_funds_es_notional(real_data):
    from core.pipeline import build_catalog

    tff = real_data / "cftc_tff" / "FinFutYY_2024-01_to_2024-07.txt"
    spx = real_data / "messy_formats" / "SP500_STOOQ.xls"  # CSV text, .xls name (SOURCE.md)
    if not (tff.exists() and spx.exists()):
        pytest.skip("real TFF 2024 or SP500_STOOQ file absent")
    catalog = build_catalog([tff, spx], use_cache=False)
    notional = catalog[f"cftc:{ES}:lev_money:net_notional_usd"]
    assert notional.meta["index_series"] == "SP500_STOOQ:csv:Close"

    # independently: the raw CFTC rows and the raw closes, joined as of (never later)
    raw = pd.read_csv(tff, dtype={"CFTC_Contract_Market_Code": str})
    es = raw[raw["CFTC_Contract_Market_Code"].str.strip() == ES].copy()
    es["date"] = pd.to_datetime(es["Report_Date_as_YYYY-MM-DD"])
    es["net"] = es["Lev_Money_Positions_Long_All"] - es["Lev_Money_Positions_Short_All"]
    px = pd.read_csv(spx)
    px["date"] = pd.to_datetime(px["date"], format="%m/%d/%Y")
    joined = pd.merge_asof(es.sort_values("date")[["date", "net"]],
                           px.sort_values("date")[["date", "Close"]], on="date",
                           direction="backward")
    expected = joined["net"] * ES_MULTIPLIER * joined["Close"] / 1e9
    assert list(notional.dates) == list(joined["date"].to_numpy().astype("datetime64[D]"))
    np.testing.assert_allclose(notional.values, expected.to_numpy(), rtol=1e-12)

    # a few dates by hand: the raw file's lev. money long/short, the close on or before
    by_date = dict(zip(notional.dates.astype(str), notional.values, strict=True))
    for day, long, short in (("2024-07-23", 195258, 470113), ("2024-07-16", 177191, 529434)):
        level = px.loc[px["date"] <= day, "Close"].iloc[-1]
        assert by_date[day] == pytest.approx((long - short) * ES_MULTIPLIER * level / 1e9,
                                             rel=1e-12)

"""Recognising fed funds futures among loaded series and aligning them as of each date."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rates_fakes import contract

from core.rates import futures_curve_from_series


def test_contracts_are_recognised_by_ticker_month_name_kind_or_file():
    series = [
        contract("FFQ5", 99.8675),
        contract("ZQU15 Comdty", 99.805),
        contract("FF Oct-15", 99.75),
        contract("Nov 2015", 99.70, kind="ff_future"),
        contract("Dec 2015", 99.60, file="fed_funds_curve.xlsx", sheet="Sheet1"),
        contract("Close", 99.50, file="/data/ZQF16.xlsx", sheet="Sheet1"),
        contract("Volume", 1234.0, file="/data/ZQF16.xlsx", sheet="Sheet1"),
        contract("Open", 99.40, file="/data/ZQF16.xlsx", sheet="Sheet1"),
        contract("Jan 2016", 2000.0, file="prices.xlsx", sheet="Index"),  # no FF context
        contract("SPX", 1990.0, file="prices.xlsx", sheet="Index"),
        contract("FFG6 implied", 0.4),  # a rate column next to the prices
    ]
    curve = futures_curve_from_series(series)
    assert curve.months == [(2015, 8), (2015, 9), (2015, 10), (2015, 11), (2015, 12), (2016, 1)]
    assert curve.labels == ["FFQ15", "FFU15", "FFV15", "FFX15", "FFZ15", "FFF16"]
    assert curve.prices.tolist() == [[99.8675, 99.805, 99.75, 99.70, 99.60, 99.50]]
    assert curve.messages == []


def test_a_contract_column_holding_rates_is_refused_with_a_message():
    curve = futures_curve_from_series([contract("FFQ5", 0.1325), contract("FFU5", 99.805)])
    assert curve.months == [(2015, 9)]
    (message,) = curve.messages
    assert message.level == "warning" and "FFQ5" in message.text
    assert message.file == "desk_export.xlsx"


def test_the_same_month_twice_keeps_the_longer_series_and_says_so():
    short = contract("FFQ5", {"2015-08-03": 99.86}, file="a.xlsx")
    long = contract("ZQQ15", {"2015-08-03": 99.87, "2015-08-04": 99.865}, file="b.xlsx")
    curve = futures_curve_from_series([short, long])
    assert curve.source_ids == [long.id]
    assert len(curve.messages) == 1 and "b.xlsx" in curve.messages[0].text


def test_prices_are_aligned_as_of_each_date_never_from_a_later_one():
    aug = {"2015-08-03": 99.86, "2015-08-05": 99.865, "2015-08-06": 99.87}
    sep = {"2015-08-04": 99.80, "2015-08-06": 99.81}
    curve = futures_curve_from_series([contract("FFQ5", aug), contract("FFU5", sep)])
    # Independent computation: pandas as-of merge of each contract onto the union of dates.
    union = pd.DataFrame({"date": pd.to_datetime(sorted(set(aug) | set(sep)))})
    expected = union.copy()
    for label, prices in (("aug", aug), ("sep", sep)):
        frame = pd.DataFrame({"date": pd.to_datetime(list(prices)), label: list(prices.values())})
        expected = pd.merge_asof(expected, frame, on="date", direction="backward")
    assert [str(d) for d in curve.dates] == [d.strftime("%Y-%m-%d") for d in union["date"]]
    np.testing.assert_array_equal(curve.prices, expected[["aug", "sep"]].to_numpy())
    assert np.isnan(curve.prices[0, 1])  # FFU5 has no price yet on 2015-08-03


def test_prices_older_than_five_business_days_are_flagged_stale():
    sep = {"2015-08-20": 99.80, "2015-08-28": 99.80, "2015-09-01": 99.805}
    oct_ = {"2015-08-20": 99.75}  # stops updating
    curve = futures_curve_from_series([contract("FFU5", sep), contract("FFV5", oct_)])
    quotes = curve.quotes_at("2015-08-27")
    # 2015-08-20 -> 08-27: business days 20, 21, 24, 25, 26 before the 27th = 5: not stale.
    assert not quotes[(2015, 10)].stale
    quotes = curve.quotes_at("2015-08-28")  # 6 business days: stale
    assert quotes[(2015, 10)].stale and quotes[(2015, 10)].price_date == np.datetime64("2015-08-20")
    assert not quotes[(2015, 9)].stale
    row = int(np.searchsorted(curve.dates, np.datetime64("2015-09-01")))
    assert curve.stale[row].tolist() == [False, True]


def test_a_final_price_of_an_expired_contract_is_not_stale():
    # FFQ5's last trading day is Mon 2015-08-31; its final price stays valid in September.
    aug = {"2015-08-28": 99.8650, "2015-08-31": 99.8675}
    sep = {"2015-09-15": 99.8}
    curve = futures_curve_from_series([contract("FFQ5", aug), contract("FFU5", sep)])
    quote = curve.quotes_at("2015-09-15")[(2015, 8)]
    assert quote.price == 99.8675 and not quote.stale
    assert not curve.stale.any()


def test_no_fed_funds_series_gives_an_empty_curve():
    curve = futures_curve_from_series([contract("SPX", 1990.0, file="prices.xlsx", sheet="x")])
    assert len(curve) == 0 and curve.quotes_at("2015-09-01") == {}

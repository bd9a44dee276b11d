"""Desk-note positioning and short-interest sentences: hand-worked cases whose figures are
recomputed independently with pandas (COT index, weekly change percentile)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from analytics_cases import make_series

from core.analytics import Window, WindowEngine
from core.analytics.note import desk_note
from core.analytics.positioning_measures import positioning_measures
from core.catalog import Catalog, LoadResult
from core.series import Frequency

N = 120
DAYS = np.datetime64("2023-01-03") + 7 * np.arange(N)
OI = 500_000.0
RTY = {"asset": "small_cap", "ticker": "RTY", "market": "RUSSELL E-MINI"}


def _net_path() -> np.ndarray:
    """Hand-built: −35k at the start (the max), −100k at week 67 (52 weeks before the end,
    the min), −90k the week before the end, −98k at the end."""
    net = np.concatenate([np.linspace(-35_000, -60_000, 67), [-100_000.0],
                          np.linspace(-60_000, -90_000, 51), [-98_000.0]])
    assert len(net) == N
    return net


def _cftc(measure, values, unit="contracts"):
    return make_series(f"cftc:239742:lev_money:{measure}", DAYS, values, kind="positioning",
                       frequency=Frequency.WEEKLY, unit=unit,
                       name=f"Lev. money {measure}, E-mini Russell 2000 (239742)",
                       meta={**RTY, "cftc_code": "239742", "trader_class": "lev_money",
                             "measure": measure})


def _catalog(with_close: bool, net: np.ndarray | None = None) -> Catalog:
    net = _net_path() if net is None else net
    long = np.full(N, 60_000.0)
    long[-1] = 57_000.0
    series = [_cftc("net", net), _cftc("net_pct_oi", 100 * net / OI, "% of OI"),
              _cftc("long", long), _cftc("short", long - net)]
    if with_close:
        series.append(make_series("rut:Close", DAYS - 1, np.full(N, 2000.0), kind="price",
                                  name="^RUT Close", unit="index points",
                                  meta={"asset": "small_cap", "ticker": "RTY"}))
    catalog = Catalog()
    catalog.add(LoadResult(file="f", series=series))
    derived, _ = positioning_measures(catalog)
    catalog.add(LoadResult(file="(derived)", series=derived))
    return catalog


def _note(catalog: Catalog) -> list[str]:
    engine = WindowEngine(list(catalog))
    return desk_note(engine, catalog, Window(DAYS[-10], DAYS[-1]))


def _expected_cot() -> float:
    s = pd.Series(_net_path(), index=pd.to_datetime(DAYS))
    roll = s.rolling(f"{7 * 156}D")
    return float((100 * (s - roll.min()) / (roll.max() - roll.min())).iloc[-1])


def _expected_change_percentile() -> float:
    changes = pd.Series(_net_path()).diff().dropna()
    return float(100 * (changes <= changes.iloc[-1]).mean())


def test_one_line_per_market_and_class_in_usd_with_cot_index():
    note = _note(_catalog(with_close=True))
    cot = _expected_cot()
    assert round(cot) == 3  # (−98k + 100k) / (−35k + 100k) = 3.08%
    # −98,000 × 50 × 2,000 = −9.8bn; −100k 52 weeks earlier: "lowest in 52 weeks"
    level = [line for line in note if "futures −USD" in line]
    assert level == [f"Lev-funds net RTY futures −USD 9.8bn, lowest in 52 weeks "
                     f"(COT index {cot:.0f})"]
    assert not any("% of OI" in line for line in note)  # contracts and % OI: one sentence


def test_without_an_index_close_the_line_uses_net_pct_oi():
    note = _note(_catalog(with_close=False))
    assert f"Lev-funds net RTY futures −19.6% of OI, lowest in 52 weeks (COT index " \
           f"{_expected_cot():.0f})" in note


def test_largest_weekly_selling_with_the_sides():
    note = _note(_catalog(with_close=True))
    pct = _expected_change_percentile()  # the −40k drop into week 67 and this week: 2 of 119
    assert round(pct) == 2
    assert (f"Lev-funds net RTY futures −8,000 contracts in the week to {DAYS[-1]}, the "
            f"largest weekly net selling since {DAYS[67]} (shorts up 5k, longs down 3k; "
            f"percentile {pct:.0f} of all weekly changes)") in note


def test_largest_weekly_selling_of_all_the_history_names_where_it_starts():
    # a steady drift down, then the largest drop of the loaded history in the last week
    net = np.concatenate([np.linspace(-35_000, -60_000, N - 1), [-100_000.0]])
    note = _note(_catalog(with_close=True, net=net))
    changes = pd.Series(net, index=pd.to_datetime(DAYS)).diff().dropna()
    assert changes.idxmin() == pd.Timestamp(DAYS[-1])  # the largest weekly drop
    pct = 100 * (changes <= changes.iloc[-1]).mean()
    assert (f"Lev-funds net RTY futures −40,000 contracts in the week to {DAYS[-1]}, the "
            f"largest weekly net selling since {DAYS[1]}, where the loaded history begins "
            f"(shorts up 37k, longs down 3k; percentile {pct:.0f} of all weekly changes)") in note


def test_short_usd_speaks_and_its_shares_stay_quiet_basket_states_its_method():
    dates = ["2021-11-15", "2022-06-30", "2025-06-30", "2025-07-15"]
    usd = make_series("si:IWM:short_usd", dates, [16.5, 12.0, 14.0, 16.0], kind="short_interest",
                      name="IWM short interest", unit="USD bn",
                      frequency=Frequency.TWICE_MONTHLY, meta={"symbol": "IWM",
                                                               "measure": "short_usd"})
    shares = make_series("si:IWM:shares_short", dates, [8e7, 6e7, 7e7, 7.9e7],
                         kind="short_interest", name="IWM shares short", unit="shares",
                         frequency=Frequency.TWICE_MONTHLY,
                         meta={"symbol": "IWM", "measure": "shares_short"})
    basket = make_series("si-basket:IWM_holdings:short_usd", dates, [20.0, 11.0, 15.0, 19.0],
                         kind="short_interest", unit="USD bn", frequency=Frequency.TWICE_MONTHLY,
                         name="IWM_holdings basket short interest",
                         meta={"method": "at the holdings file's prices (2026-05-05)"})
    series = [usd, shares, basket]
    note = desk_note(WindowEngine(series), series, Window.parse("2025-07-01:2025-07-31"))
    assert note == [
        "IWM short interest USD 16.0bn, highest since 2021-11-15",
        "IWM_holdings basket short interest USD 19.0bn at the holdings file's prices "
        "(2026-05-05), highest since 2021-11-15"]


def test_shares_short_speaks_in_millions_when_no_usd_series():
    dates = ["2021-01-29", "2021-06-30", "2022-06-30"]
    shares = make_series("si:IWM:shares_short", dates, [9.413e7, 1.1438e8, 1.2e8],
                         kind="short_interest", name="IWM shares short", unit="shares",
                         frequency=Frequency.TWICE_MONTHLY,
                         meta={"symbol": "IWM", "measure": "shares_short"})
    note = desk_note(WindowEngine([shares]), [shares], Window.parse("2022-06-01:2022-06-30"))
    assert note == ["IWM shares short 120.0mn shares, a record high (data since 2021-01-29)"]

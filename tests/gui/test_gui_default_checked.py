"""The first view's checked series: the desk's markets first, one close per index (an
index before its ETF), leveraged funds' positioning in % of open interest."""

from __future__ import annotations

import numpy as np

from core.series import Frequency, Series, SeriesSource
from core.markets import default_checked

DAYS = np.arange(19000, 19010).astype("datetime64[D]")


def _s(sid: str, kind: str, *, unit: str = "pts", meta: dict | None = None,
       name: str | None = None) -> Series:
    return Series(id=sid, name=name or sid, unit=unit, frequency=Frequency.DAILY,
                  source=SeriesSource("t.csv", None, sid), dates=DAYS,
                  values=np.linspace(1, 2, len(DAYS)), kind=kind, meta=meta or {})


RTY, NDX, SPX = ({"asset": a, "ticker": t} for a, t in
                 (("small_cap", "RTY"), ("tech", "NDX"), ("large_cap", "SPX")))


def test_prices_are_one_close_per_index_before_etfs_and_other_fields():
    series = [
        _s("bond:csv:Close", "price"),  # no tagged market
        _s("IWM:csv:Close", "price", meta={**RTY, "etf": "IWM"}),
        _s("IWM:csv:High", "price", meta={**RTY, "etf": "IWM"}),
        _s("IWM:csv:Open", "price", meta={**RTY, "etf": "IWM"}),
        _s("^RUT:csv:Close", "price", meta=RTY),
        _s("QQQ:csv:Close", "price", meta={**NDX, "etf": "QQQ"}),
        _s("SPY:csv:Close", "price", meta={**SPX, "etf": "SPY"}),
    ]
    # one line per index first (IWM repeats ^RUT), then what is left, in file order
    checked = default_checked(series)
    assert checked == ["^RUT:csv:Close", "QQQ:csv:Close", "SPY:csv:Close", "bond:csv:Close"]
    assert default_checked(series[1:])[3] == "IWM:csv:Close"


def test_positioning_prefers_the_desks_markets_leveraged_funds_in_percent():
    series = [
        _s("cftc:020601:dealer:net_pct_oi", "positioning", unit="% of OI"),
        _s("cftc:020601:lev_money:net_pct_oi", "positioning", unit="% of OI"),
        _s("cftc:239742:dealer:net_pct_oi", "positioning", unit="% of OI", meta=RTY),
        _s("cftc:239742:lev_money:net", "positioning", unit="contracts",
           meta={**RTY, "trader_class": "lev_money"}),
        _s("cftc:239742:lev_money:net_pct_oi", "positioning", unit="% of OI",
           meta={**RTY, "trader_class": "lev_money"}),
        _s("cftc:209742:lev_money:net_pct_oi", "positioning", unit="% of OI",
           meta={**NDX, "trader_class": "lev_money"}),
    ]
    # hedge funds in the desk's markets only: dealers and other markets' funds are one
    # tick away in the Data panel (issue 18: the story is RTY/NDX leveraged funds)
    assert default_checked(series) == [
        "cftc:239742:lev_money:net_pct_oi", "cftc:209742:lev_money:net_pct_oi"]

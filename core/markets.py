"""The desk's markets and what counts as which: the one home of the rules that decide
which series a view, the note and the report talk about.

- ``asset_of``: the market a series is tagged with (small_cap, large_cap, tech).
- ``is_leveraged_funds``: hedge funds' (CFTC leveraged money) positions.
- ``choose_pairs``: small caps over large caps and tech, and the positioning-gap pair.
- ``default_checked``: the first view's series, one close per index, an index before its
  ETF (``representative`` picks one series per asset the same way).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from core.series import Series

RUSSELL_E_MINI, NASDAQ_E_MINI, SP500_E_MINI = "239742", "209742", "13874A"
DESK_MARKETS = (RUSSELL_E_MINI, NASDAQ_E_MINI, SP500_E_MINI)
ASSETS = ("small_cap", "large_cap", "tech")

DEFAULT_CHECK_PER_KIND = 4
DEFAULT_KINDS = ("price", "short_interest", "positioning", "probability")

_LEV = re.compile(r"lev(?:eraged)?[ ._-]*(?:money|funds?)|hedge", re.I)
_CLOSE = re.compile(r"\b(?:adj\.? ?close|close|px[ _]last|last|settle(?:ment)?)\b", re.I)


# how desks name the futures in a legend (the CFTC names them by exchange and code)
FUTURES_SHORT = {RUSSELL_E_MINI: "RTY", NASDAQ_E_MINI: "NDX", SP500_E_MINI: "ES"}
CLASS_SHORT = {"lev_money": "lev. funds", "asset_mgr": "asset mgrs", "dealer": "dealers",
               "other_rept": "other rept.", "nonrept": "non-rept.",
               "noncommercial": "non-comm.", "commercial": "commercials"}
# net % of open interest is the positioning row's usual measure: its legend says no more
MEASURE_SHORT = {"net_pct_oi": "", "net": " net", "long": " long", "short": " short",
                 "spread": " spread", "open_interest": "open interest"}


class ChosenPairs(NamedTuple):
    relative: list[tuple[str, str]]  # (a, b): a over b
    gap: tuple[str, str] | None  # (small, tech) positioning series


def _meta(s: Series) -> dict:
    return s.meta if isinstance(s.meta, dict) else {}


def asset_of(s: Series) -> str | None:
    """The market a series is tagged with: small_cap, large_cap, tech (or None)."""
    return _meta(s).get("asset")


def is_etf(s: Series) -> bool:
    return bool(_meta(s).get("etf"))


def is_leveraged_funds(s: Series) -> bool:
    """Leveraged funds' (hedge funds') positions: the CFTC class or the series' words."""
    return _meta(s).get("trader_class") == "lev_money" or bool(_LEV.search(f"{s.id} {s.name}"))


def is_close(s: Series) -> bool:
    """A closing price (close, adj close, PX_LAST, settle), not an open/high/low."""
    return bool(_CLOSE.search(f"{s.name} {s.id}"))


def market_short(s: Series) -> str | None:
    """RTY / NDX / ES for the desk's futures, the ticker or the market's first words for
    other CFTC markets; None for a series that is no CFTC market's."""
    meta = _meta(s)
    code = meta.get("cftc_code")
    if code is None:
        return None
    if code in FUTURES_SHORT:
        return FUTURES_SHORT[code]
    if meta.get("ticker"):
        return str(meta["ticker"])
    market = str(meta.get("market") or code).split(" - ")[0].strip()
    return market.title() if market.isupper() else market


def legend_label(s: Series) -> str:
    """A chart legend's words for a series: "RTY lev. funds", "ES dealers net",
    "NDX open interest" for CFTC series; the series' own name otherwise."""
    return _market_words(s, MEASURE_SHORT)


TABLE_MEASURE = {"net_pct_oi": " net % OI", "net": " net", "long": " long", "short": " short",
                 "spread": " spread", "open_interest": "open interest"}


def table_label(s: Series) -> str:
    """A table row's words: the legend's market and class with the measure spelled out
    ("RTY lev. funds net % OI", "ES dealers short"); the series' own name otherwise
    (the full CFTC name stays in the tooltip)."""
    return _market_words(s, TABLE_MEASURE)


def _market_words(s: Series, measures: dict[str, str]) -> str:
    """Market (RTY/NDX/ES...), trader class and ``measures``' word for the measure."""
    market = market_short(s)
    if market is None:
        return s.name
    meta = _meta(s)
    measure = str(meta.get("measure") or "")
    cls = meta.get("trader_class")
    words = measures.get(measure, " " + measure.replace("_", " "))
    if cls is None:
        return f"{market} {words.strip()}".strip()
    return f"{market} {CLASS_SHORT.get(cls, str(cls).replace('_', ' '))}{words}"


def representative(candidates: Iterable[Series]) -> Series | None:
    """One series for an asset: an index before its ETF, then the longest history, then
    the id (deterministic)."""
    ranked = sorted(candidates, key=lambda s: (is_etf(s), -len(s), s.id))
    return ranked[0] if ranked else None


def choose_pairs(series: Iterable[Series]) -> ChosenPairs:
    """Small caps over large caps and over tech (price series), and the positioning gap
    pair: leveraged-funds net % of OI of Russell 2000 vs Nasdaq-100 E-minis."""
    items = list(series)
    prices = {a: representative(s for s in items if s.kind == "price" and asset_of(s) == a)
              for a in ASSETS}
    pairs = []
    if prices["small_cap"] is not None:
        for other in ("large_cap", "tech"):
            if prices[other] is not None:
                pairs.append((prices["small_cap"].id, prices[other].id))
    by_id = {s.id: s for s in items}
    small, tech = (f"cftc:{code}:lev_money:net_pct_oi" for code in (RUSSELL_E_MINI,
                                                                     NASDAQ_E_MINI))
    if small in by_id and tech in by_id:
        return ChosenPairs(pairs, (small, tech))

    def positioning(asset: str) -> Series | None:
        """Net % of OI of the asset's futures, leveraged funds preferred."""
        def score(s: Series) -> tuple:
            return (not is_leveraged_funds(s), _meta(s).get("etf") is not None, -len(s), s.id)

        found = [s for s in items if s.kind == "positioning" and asset_of(s) == asset
                 and (s.id.endswith(":net_pct_oi") or (s.unit or "").lower() == "% of oi")]
        return sorted(found, key=score)[0] if found else None

    ps, pt = positioning("small_cap"), positioning("tech")
    return ChosenPairs(pairs, (ps.id, pt.id) if ps is not None and pt is not None else None)


def default_checked(series: list[Series]) -> list[str]:
    """A readable first view: a few series of each charted kind, those of the desk's
    markets first (small caps, large caps, tech); prices as one close per index (an
    index before its ETF), positioning as leveraged funds' % of open interest
    (comparable across markets), odds of the meetings still ahead."""
    out: list[str] = []
    for kind in DEFAULT_KINDS:
        members = [s for s in series if s.kind == kind and len(s)]
        if kind == "price":
            members = one_close_per_index(members)
        if kind == "positioning":
            members = _story_positioning(members)
        if kind == "probability":
            # the cut odds of the next two meetings still priced at the data's end
            members = [s for s in members if s.id.startswith("rates:p_cut_by:")] or members
            latest = max(s.last_date for s in members) if members else None
            members = [s for s in members if s.last_date == latest] or members
            members = members[:2]
        out += [s.id for s in members][:DEFAULT_CHECK_PER_KIND]
    return out or [s.id for s in series[:DEFAULT_CHECK_PER_KIND]]


def _story_positioning(members: list[Series]) -> list[Series]:
    """Hedge funds (leveraged money) in the desk's markets, RTY and NDX first: the
    small-cap vs tech story. Other classes of those markets only when no leveraged-funds
    series is there; % of open interest (comparable across markets) before contracts."""
    pct = [s for s in members if "%" in (s.unit or "")] or members
    order = {asset: i for i, asset in enumerate(("small_cap", "tech", "large_cap"))}

    def rank(s: Series) -> tuple:
        return (asset_of(s) is None, not is_leveraged_funds(s), order.get(asset_of(s), 9))

    ranked = sorted(pct, key=rank)
    lev = [s for s in ranked if is_leveraged_funds(s) and asset_of(s) is not None]
    return lev or ranked


def one_close_per_index(prices: list[Series]) -> list[Series]:
    """Tagged markets first, closes before open/high/low, an index before its ETF; one
    per ticker ahead of the rest (OHLC of one ETF is four near-identical lines)."""
    ranked = sorted(prices, key=lambda s: (asset_of(s) is None, not is_close(s), is_etf(s)))
    first, rest, seen = [], [], set()
    for s in ranked:  # sorted is stable: file order among equals
        ticker = _meta(s).get("ticker")
        (rest if ticker is not None and ticker in seen else first).append(s)
        seen.add(ticker)
    return first + rest

"""What a column is, from its words: unit from the header text, a kind hint
(``Series.kind``), the ticker/asset class the analytics use to pair small caps with large
caps and tech, and the publication lag of short interest."""

from __future__ import annotations

import re

from core.series import PublicationLag

_UNIT_RULES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\(\s*(?:usd|\$)\s*(?:bn|b|billions?)\s*\)|\$\s*bn|usd\s*bn|\$\s*billions?", re.I), "USD bn"),
    (re.compile(r"\(\s*(?:usd|\$)\s*(?:mn|m|mm|millions?)\s*\)|\$\s*mn|usd\s*mn|\$\s*millions?", re.I), "USD mn"),
    (re.compile(r"%\s*(?:of\s*)?oi\b|% of open interest|pct[_ ]oi", re.I), "% of OI"),
    (re.compile(r"\bcontracts?\b", re.I), "contracts"),
    (re.compile(r"\(\s*%\s*\)|\bpercent\b|\bpct\b|%|\byield\b", re.I), "percent"),
    (re.compile(r"\(\s*bps?\s*\)|\bbps\b", re.I), "bp"),
    (re.compile(r"\bshares\b", re.I), "shares"),
    (re.compile(r"days[ _-]?to[ _-]?cover|\(\s*days\s*\)|short[ _-]?interest[ _-]ratio|"
                r"(?-i:\bSI\b)[ _-]?ratio", re.I), "days"),
]

_RATE_WORDS = re.compile(
    r"\b(?:DGS\d+|FEDFUNDS|FEDL01|SOFR|US0003M|USGG\w*|yield|rate|libor|treasury|T-?bill|"
    r"fed funds|effective|\d+\s*[YM]\s*(?:yield|rate)|us10y|us2y)\b", re.I)
_FF_WORDS = re.compile(r"\b(?:ZQ[FGHJKMNQUVXZ]\d{1,2}|FF[FGHJKMNQUVXZ]?\d{1,2}|ZQ\w*|fed funds futures?)\b", re.I)
# "SI" only as a capitalised word ("RTY SI", "SI $bn"): "si" is a word in other
# languages, and SI1/SIA are silver futures tickers
_SI = r"(?-i:\bSI\b)"
_SHORT_WORDS = re.compile(
    r"short[ _-]?interest|shares[ _]sold[ _]short|\bshares[ _-]short\b|\bshort[ _-]int\b|" + _SI,
    re.I)
_POS_WORDS = re.compile(
    r"\bnet\b.*(?:contracts?|positions?|% ?of ?oi|oi)|speculative|\bcot\b|\bcftc\b|"
    r"non-?commercial|lev(?:eraged)?[ _.]?(?:money|funds)|asset[ _]?mgr|positioning", re.I)
_PRICE_WORDS = re.compile(
    r"\b(?:RTY|SPX|NDX|RUT|IWM|SPY|QQQ|ES|NQ|close|adj[ _]?close|px[_ ]last|price|last|"
    r"open|high|low|index|level|TRI)\b|russell|s&p|sp500|s&p ?500|nasdaq", re.I)

_ASSETS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"russell\s*2000|\brty\b|\^?rut\b|\biwm\b|\brussell e-?mini\b|e-?mini russell", re.I),
     "small_cap", "RTY"),
    (re.compile(r"nasdaq[- ]?100|\bndx\b|\bqqq\b|nasdaq mini|\bnq\b|\bnasdaq\b", re.I), "tech", "NDX"),
    (re.compile(r"s&p\s*500|\bspx\b|\bspy\b|\bsp500\b|\bes\b|e-?mini s&p|\bgspc\b|s&p", re.I),
     "large_cap", "SPX"),
]
_ETF_TICKERS = re.compile(r"\b(IWM|SPY|QQQ)\b", re.I)


def unit_from_header(header: str) -> str | None:
    for rx, unit in _UNIT_RULES:
        if rx.search(header):
            return unit
    return None


_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")
_UNIT_ONLY = re.compile(
    r"^(?:index\s*(?:pts|points)|pts|points|usd|\$|bn|mn|%|percent|pct|bp|bps|contracts?|"
    r"price|level|shares|units?)$", re.I)


def display_name(header: str) -> str:
    """The header without its trailing unit parenthetical, which the unit column shows:
    ``"Russell 2000 (RTY, index pts)"`` -> ``"Russell 2000 (RTY)"``,
    ``"Russell 2000 short interest ($bn)"`` -> ``"Russell 2000 short interest"``."""
    m = _TRAILING_PAREN.search(header)
    base = header[: m.start()].rstrip() if m else ""
    if not m or not base:
        return header
    parts = [p.strip() for p in m.group(1).split(",") if p.strip()]
    keep = [p for p in parts
            if not _UNIT_ONLY.match(p) and unit_from_header(f"({p})") is None]
    return f"{base} ({', '.join(keep)})" if keep else base


# the short interest ratio is short interest over average daily volume: days to cover
_DAYS_TO_COVER = re.compile(
    r"days[ _-]?to[ _-]?cover|short[ _-]?interest[ _-]ratio|" + _SI + r"[ _-]?ratio", re.I)
_NOT_LEVEL = re.compile(r"\b(?:volume|vol|px_volume|open ?interest|openinterest|count|shares_outstanding|"
                        r"public_float|change|chg|yoy|mom|return)\b", re.I)


def kind_of(header: str, context: str) -> str:
    """Kind hint: volume/open-interest/change columns are ``other`` whatever the file;
    otherwise the header and the file/sheet context together decide."""
    if _DAYS_TO_COVER.search(header):
        return "other"  # a ratio of short interest to volume, not a USD amount
    if _NOT_LEVEL.search(header.replace("_", " ")) and not _SHORT_WORDS.search(header):
        return "open_interest" if re.search(r"open ?interest", header, re.I) else "other"
    text = f"{context} {header}".replace("_", " ")
    if _SHORT_WORDS.search(text):
        return "short_interest"
    if _POS_WORDS.search(text):
        return "positioning"
    if _FF_WORDS.search(text):
        return "ff_future"
    if _RATE_WORDS.search(text):
        return "rate"
    if _PRICE_WORDS.search(text):
        return "price"
    return "other"


def asset_meta(text: str) -> dict:
    """``{"asset": ..., "ticker": ...}`` for Russell 2000 / S&P 500 / Nasdaq-100 words.

    Russell 1000 or "Russell" alone is not small cap: only 2000 (or RTY/IWM) counts."""
    text = text.replace("_", " ")
    if re.search(r"russell\s*1000|russell\s*3000|midcap|mid-cap", text, re.I):
        return {}
    for rx, asset, ticker in _ASSETS:
        if rx.search(text):
            meta = {"asset": asset, "ticker": ticker}
            etf = _ETF_TICKERS.search(text)
            if etf:
                meta["etf"] = etf.group(1).upper()
            return meta
    return {}


def default_unit(kind: str, meta: dict) -> str:
    if kind == "price":
        return "index points" if meta.get("ticker") and not meta.get("etf") else "price"
    if kind in ("rate",):
        return "percent"
    if kind == "ff_future":
        return "price"
    if kind == "positioning":
        return "contracts"
    return ""


def publication_lag_for(kind: str) -> PublicationLag | None:
    if kind == "short_interest":
        return PublicationLag(business_days=8)
    if kind == "positioning":
        return PublicationLag(days=3)
    return None

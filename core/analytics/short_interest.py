"""Short interest from the loaded snapshot files, as per-symbol histories and baskets.

- Snapshots (``si-snapshot:*`` carriers, one per file) merge into one table keyed by
  (symbol, settlement date); a key seen in several files with different values keeps the
  last file's (catalog order) and a warning names the kept file and every file it
  overrides.
- Per symbol: ``si:<symbol>:shares_short``, ``...:days_to_cover``, ``...:avg_daily_volume``,
  ``...:pct_float`` where the files give them, and ``si:<symbol>:short_usd`` = shares
  short × the symbol's loaded close as of the settlement date (on or before, never later).
  Series are made for the desk's ETFs and for every symbol with a loaded close (a
  snapshot holds ~9,000 symbols; a series each would bury the Data panel); any other
  symbol is one call of ``symbol_series`` away.
- Basket: ``si-basket:<holdings stem>:short_usd`` = Σ over the holdings file's equity
  members of shares short × the member's price (its loaded close as of the settlement
  date where one is loaded -- on or before, never later -- else its price in the
  holdings file), on each snapshot's settlement date, the method stated as "at loaded
  prices for N members, the holdings file's prices (DATE) for M"; members without a
  row on that date are counted and named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics.positioning_measures import asof_values
from core.catalog import Catalog
from core.ingest.hints import asset_meta
from core.markets import is_close
from core.messages import Message
from core.series import PublicationLag, Series, SeriesSource, infer_frequency

DERIVED_FILE = "(derived) short interest"
DESK_SYMBOLS = ("IWM", "QQQ", "SPY", "DIA", "IJR", "IJH", "MDY", "VTWO", "IWO", "IWN")
SI_LAG = PublicationLag(business_days=8)
_MEASURES = {  # measure -> (label, unit, kind)
    "shares_short": ("shares short", "shares", "short_interest"),
    "days_to_cover": ("days to cover", "days", "other"),
    "avg_daily_volume": ("average daily volume", "shares", "other"),
    "pct_float": ("short % of float", "% of float", "short_interest"),
}
_NAMED_MISSING = 10


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def snapshot_table(catalog: Catalog) -> tuple[pd.DataFrame, list[str], list[Message]]:
    """All snapshot rows, one per (symbol, date), later file winning; the main settlement
    date of each file; warnings for keys whose values differ between files."""
    frames, mains = [], []
    for order, s in enumerate(s for s in catalog if s.id.startswith("si-snapshot:")):
        rows = (s.meta or {}).get("snapshot")
        if not rows:
            continue
        frame = pd.DataFrame(rows)
        frame["date"] = pd.to_datetime(frame["date"])
        frame["order"], frame["file"] = order, _file_name(s.source.file)
        frames.append(frame)
        mains.append(s.meta.get("settlement_date"))
    if not frames:
        return pd.DataFrame(), [], []
    table = pd.concat(frames, ignore_index=True)
    for m in _MEASURES:
        if m not in table:
            table[m] = np.nan
    table[list(_MEASURES)] = table[list(_MEASURES)].astype(float)
    table = table.sort_values(["symbol", "date", "order"], kind="stable")
    messages = _conflicts(table)
    table = table.drop_duplicates(["symbol", "date"], keep="last")
    return table.reset_index(drop=True), sorted({d for d in mains if d}), messages


def _conflicts(table: pd.DataFrame) -> list[Message]:
    """One warning per kept file, naming every earlier file whose shares short for the
    same (symbol, date) it overrides with a different value (``table`` sorted by symbol,
    date, load order; the last row of a key is the one kept)."""
    dup = table[table.duplicated(["symbol", "date"], keep=False)]
    if dup.empty:
        return []
    kept = dup.groupby(["symbol", "date"], sort=False).tail(1)
    joined = dup.merge(kept[["symbol", "date", "order", "file", "shares_short"]],
                       on=["symbol", "date"], suffixes=("", "_kept"))
    a, b = joined["shares_short"], joined["shares_short_kept"]
    same = (a == b) | (a.isna() & b.isna())
    # a file repeating a key inside itself is not a file overridden by a later one
    overridden = joined[~same & (joined["order"] != joined["order_kept"])]
    out = []
    for kept_file, part in overridden.groupby("file_kept", sort=False):
        files = list(dict.fromkeys(part.sort_values("order", kind="stable")["file"]))
        keys = part.drop_duplicates(["symbol", "date"])
        first = keys.iloc[0]
        chain = joined[(joined["symbol"] == first.symbol) & (joined["date"] == first.date)]
        values = " -> ".join(f"{v:,.0f}" for v in chain["shares_short"])
        out.append(Message(
            "warning", kept_file, None, None,
            f"{len(keys)} short-interest rows differ from {_and_list(files)} on the same "
            f"settlement date (e.g. {first.symbol} {first.date.date()}: {values} shares); "
            f"kept {kept_file}'s values (loaded later)"))
    return out


def _and_list(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _symbols_of(s: Series) -> set[str]:
    """The symbols a price series is the close of: its ETF tag, its ticker, its stem."""
    meta = s.meta if isinstance(s.meta, dict) else {}
    out = {s.id.split(":", 1)[0].upper()}
    if meta.get("etf"):
        out.add(str(meta["etf"]).upper())
    elif meta.get("ticker"):
        out.add(str(meta["ticker"]).upper())
    return out


def close_for_symbol(symbol: str, series: list[Series]) -> Series | None:
    """A loaded close of the symbol (an unadjusted close before an adjusted one)."""
    found = [s for s in series if s.kind == "price" and is_close(s) and len(s)
             and symbol in _symbols_of(s)]
    return sorted(found, key=lambda s: ("adj" in s.name.lower(), -len(s), s.id))[0] \
        if found else None


def symbol_series(table: pd.DataFrame, symbol: str, close: Series | None) -> list[Series]:
    """Every short-interest series of one symbol from the merged table."""
    rows = table[table["symbol"] == symbol]
    if rows.empty:
        return []
    dates = rows["date"].to_numpy().astype("datetime64[D]")
    files = sorted(set(rows["file"]))
    base_meta = {**asset_meta(symbol), "symbol": symbol, "files": files}
    out = []
    for m, (label, unit, kind) in _MEASURES.items():
        values = rows[m].to_numpy(dtype=float)
        if np.isfinite(values).any():
            out.append(_series(f"si:{symbol}:{m}", f"{symbol} {label}", unit, kind, dates,
                               values, {**base_meta, "measure": m}))
    if close is not None:
        level = asof_values(close.dates, close.values, dates)
        out.append(_series(f"si:{symbol}:short_usd", f"{symbol} short interest", "USD bn",
                           "short_interest", dates,
                           rows["shares_short"].to_numpy(dtype=float) * level / 1e9,
                           {**base_meta, "measure": "short_usd", "price_series": close.id}))
    return out


def _series(sid, name, unit, kind, dates, values, meta) -> Series:
    keep = np.isfinite(values)
    return Series(id=sid, name=name, unit=unit, frequency=infer_frequency(dates[keep]),
                  source=SeriesSource(DERIVED_FILE, None, sid), dates=dates[keep],
                  values=values[keep], kind=kind, publication_lag=SI_LAG, meta=meta)


def basket_series(table: pd.DataFrame, holdings: Series, settlement_dates: list[str],
                  closes: dict[str, Series] | None = None) -> tuple[Series | None, list[Message]]:
    """Σ shares short × price of the members, per snapshot settlement date; the price is
    the member's loaded close as of that date where ``closes`` (match key -> close) has
    one, else its price in the holdings file."""
    members = pd.DataFrame(holdings.meta["holdings"])
    members["key"] = _match_key(members["ticker"])
    closes = {k: s for k, s in (closes or {}).items() if k in set(members["key"])}
    stem = holdings.id.split(":")[1]
    as_of = holdings.meta.get("as_of")
    method = _price_method(0, 0, as_of)
    table = table.assign(key=_match_key(table["symbol"]))
    dates, values, messages = [], [], []
    for day in settlement_dates:
        rows = table[table["date"] == pd.Timestamp(day)]
        joined = members.merge(rows[["key", "shares_short"]], on="key", how="left")
        price = joined["price"].to_numpy(dtype=float).copy()
        loaded = np.zeros(len(joined), dtype=bool)
        for i, key in enumerate(joined["key"]):
            if key in closes:
                close = closes[key]
                priced = np.isfinite(close.values)  # a blank close is no price
                level = asof_values(close.dates[priced], close.values[priced],
                                    np.array([day], "datetime64[D]"))
                if np.isfinite(level[0]):
                    price[i], loaded[i] = level[0], True
        found = joined["shares_short"].notna().to_numpy()
        missing = joined.loc[~found, "ticker"].tolist()
        dates.append(np.datetime64(day, "D"))
        values.append(float(np.sum(joined["shares_short"].to_numpy()[found] * price[found]))
                      / 1e9)
        # counted members only: N + M is the number the sum is over
        method = _price_method(int((found & loaded).sum()), int((found & ~loaded).sum()),
                               as_of)
        text = (f"{stem} basket short interest {method}, settlement {day}: {int(found.sum()):,} "
                f"of {len(members):,} members in the snapshot")
        if missing:
            named = ", ".join(missing[:_NAMED_MISSING])
            more = f" and {len(missing) - _NAMED_MISSING} more" if len(missing) > _NAMED_MISSING \
                else ""
            text += f"; {len(missing)} missing, not counted: {named}{more}"
        messages.append(Message("info" if not missing else "warning", DERIVED_FILE, None, None,
                                text))
    if not dates:
        return None, messages
    sid = f"si-basket:{stem}:short_usd"
    # named with the latest settlement date's pricing (the loop's last); each date's
    # message states its own
    series = _series(sid, f"{stem} basket short interest, {method}", "USD bn",
                     "short_interest", np.array(dates), np.array(values),
                     {"method": method, "holdings_series": holdings.id,
                      "members": len(members)})
    return series, messages


def _price_method(n_loaded: int, n_file: int, as_of: str | None) -> str:
    """How the members were priced: N at their loaded closes (as of the settlement
    date), M at the holdings file's prices."""
    if n_loaded == 0:
        return f"at the holdings file's prices ({as_of})"
    members = "member" if n_loaded == 1 else "members"
    return (f"at loaded prices for {n_loaded} {members}, the holdings file's prices "
            f"({as_of}) for {n_file}")


def _closes_by_key(items: list[Series]) -> dict[str, Series]:
    """Match key -> the preferred loaded close of that symbol."""
    out: dict[str, Series] = {}
    ranked = sorted((s for s in items if s.kind == "price" and is_close(s) and len(s)),
                    key=lambda s: ("adj" in s.name.lower(), -len(s), s.id), reverse=True)
    for s in ranked:  # best last, so it wins
        for sym in _symbols_of(s):
            out[_match_key(pd.Series([sym])).iloc[0]] = s
    return out


def _match_key(tickers: pd.Series) -> pd.Series:
    """Share classes spelled BRK.B, BRK/B, BRK B or BRKB match each other."""
    return tickers.astype(str).str.upper().str.replace(r"[.\s/-]", "", regex=True)


def short_interest_measures(catalog: Catalog) -> tuple[list[Series], list[Message]]:
    """Every derived short-interest series of the catalog and the messages about them."""
    table, settlement_dates, messages = snapshot_table(catalog)
    if table.empty:
        return [], messages
    items = [s for s in catalog if not s.id.startswith(("si:", "si-basket:"))]
    present = set(table["symbol"])
    wanted = [sym for sym in DESK_SYMBOLS if sym in present]
    priced = set().union(*(_symbols_of(s) for s in items if s.kind == "price" and is_close(s)))
    wanted += sorted((priced & present) - set(wanted))
    out: list[Series] = []
    for sym in wanted:
        out.extend(symbol_series(table, sym, close_for_symbol(sym, items)))
    holdings_files = [s for s in items if s.id.startswith("holdings:")]
    closes = _closes_by_key(items) if holdings_files else {}
    for holdings in holdings_files:
        basket, notes = basket_series(table, holdings, settlement_dates, closes)
        messages.extend(notes)
        if basket is not None:
            out.append(basket)
    return out, messages


def series_for_symbol(catalog: Catalog, symbol: str) -> list[Series]:
    """Short-interest series of any one symbol of the loaded snapshots (for a symbol the
    derived file leaves out: not a desk ETF, no loaded close)."""
    table, _, _ = snapshot_table(catalog)
    if table.empty:
        return []
    symbol = symbol.strip().upper()
    items = [s for s in catalog if not s.id.startswith(("si:", "si-basket:"))]
    return symbol_series(table, symbol, close_for_symbol(symbol, items))

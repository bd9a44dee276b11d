"""Derived CFTC positioning measures, made from the loaded net-contract series so that the
windows, charts, table, note and exports treat them like any other series:

- ``cftc:<code>:<class>:net_notional_usd`` (USD bn): net contracts × contract multiplier ×
  the index level as of the report date (the latest close on or before it, never a later
  one), for the contracts of ``resources/contract_multipliers.csv`` whose index close is
  loaded;
- ``cftc:<code>:<class>:cot_index`` (0–100): 100 × (net − min) / (max − min) of net over
  the trailing lookback (t − L, t], L in weeks (default 156);
- ``cftc:<code>:<class>:net_change_1w`` (contracts) and ``...:net_pct_oi_change_1w``
  (points of OI): change from the previous report when that is 4–10 days earlier (a
  report week, holidays shift the day), else no observation.

Everything is one pass of numpy over all series at once (a full-year TFF file is ~1,500
net series).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.catalog import Catalog
from core.ingest.cftc import TFF_CLASSES
from core.markets import is_close, is_etf
from core.messages import Message, cell_name
from core.paths import resource_path
from core.rates._csv_rows import parse_number, read_rows
from core.series import Series, SeriesSource

MULTIPLIER_FILE = "contract_multipliers.csv"
DEFAULT_COT_LOOKBACK_WEEKS = 156
_WEEK_GAP_DAYS = (4, 10)  # a previous report this far back is "last week's"
_CFTC_PREFIXES = ("cftc", "cftc-combined")


def cot_lookback_weeks(lookback_years: float) -> int:
    """The user's lookback in weeks (3 years -> 156), at least 2."""
    return max(2, round(52 * lookback_years))


@dataclass(frozen=True)
class ContractSpec:
    code: str
    name: str
    multiplier: float  # USD per index point
    index_ticker: str


def load_contract_multipliers(path: Path | None = None) -> tuple[dict[str, ContractSpec],
                                                                   list[Message]]:
    """Code -> spec from the editable CSV; a bad row is a message naming its cell."""
    path = path or resource_path(MULTIPLIER_FILE)
    messages: list[Message] = []
    specs: dict[str, ContractSpec] = {}
    header = ("cftc_code", "name", "multiplier", "index_ticker")
    for row0, cells in read_rows(path, header, messages):
        code, name, mult, ticker = (c.strip() for c in cells[:4])
        value = parse_number(mult)
        if not code or not ticker or value is None or value <= 0:
            messages.append(Message("warning", path.name, None, cell_name(row0, 2 if code else 0),
                                    "row needs a contract code, a positive multiplier and an "
                                    "index ticker; skipped"))
            continue
        specs[code] = ContractSpec(code, name or code, value, ticker.upper())
    return specs, messages


# words of a price column that is not the index's level (an open, a quote, a total return)
_NOT_LEVEL = re.compile(r"\b(?:open|high|low|bid|ask|mid|volume|change|chg|return|tri|"
                        r"total[ _]return|dividend|yield|pe|eps)\b", re.I)


def index_close_for(ticker: str, series: list[Series]) -> Series | None:
    """The loaded close of an index (not an ETF: its price is not the index level): a
    close column first, else a level column of no other kind (FRED's ``SP500``, a
    ``Price`` column), as ^GSPC, SPX, "S&P 500" or SP500 files name them."""
    found = [s for s in series if s.kind == "price" and not is_etf(s) and len(s)
             and str((s.meta or {}).get("ticker", "")).upper() == ticker
             and (is_close(s) or not _NOT_LEVEL.search(f"{s.name} {s.id}".replace("_", " ")))]
    return sorted(found, key=lambda s: (not is_close(s), -len(s), s.id))[0] if found else None


def asof_values(price_dates: np.ndarray, price_values: np.ndarray,
                dates: np.ndarray) -> np.ndarray:
    """The latest price on or before each date (NaN before the first price)."""
    idx = np.searchsorted(price_dates.astype("datetime64[D]"), dates.astype("datetime64[D]"),
                          side="right") - 1
    out = np.where(idx >= 0, price_values[np.maximum(idx, 0)], np.nan)
    return out.astype(np.float64)


def trailing_extremes(days: np.ndarray, values: np.ndarray, group: np.ndarray,
                      window_days: int) -> tuple[np.ndarray, np.ndarray]:
    """Min and max of ``values`` over (day − window_days, day] within each group, for
    flat arrays sorted by (group, day): a sparse table, O(n log n) for all groups."""
    n = len(values)
    if n == 0:
        return values.copy(), values.copy()
    key = group.astype(np.int64) * (1 << 32) + days.astype(np.int64)
    lo = np.searchsorted(key, key - window_days, side="right")
    length = np.arange(n) - lo + 1
    levels = int(np.floor(np.log2(max(int(length.max()), 1)))) + 1
    mins, maxs = [values], [values]
    for k in range(1, levels):
        half = 1 << (k - 1)
        a, b = mins[-1], maxs[-1]
        m, x = a.copy(), b.copy()
        m[: n - half] = np.minimum(a[: n - half], a[half:])
        x[: n - half] = np.maximum(b[: n - half], b[half:])
        mins.append(m)
        maxs.append(x)
    k = np.floor(np.log2(length)).astype(np.int64)
    k[(1 << (k + 1)) <= length] += 1  # float rounding at exact powers of two
    k = np.minimum(k, levels - 1)
    mins, maxs = np.stack(mins), np.stack(maxs)
    right = np.arange(n) - (1 << k) + 1
    return (np.minimum(mins[k, lo], mins[k, right]), np.maximum(maxs[k, lo], maxs[k, right]))


def cot_index_values(days: np.ndarray, values: np.ndarray, group: np.ndarray,
                     window_days: int) -> np.ndarray:
    """100 × (x − min) / (max − min) over the trailing window; NaN where max == min."""
    lo, hi = trailing_extremes(days, values, group, window_days)
    span = hi - lo
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(span > 0, 100.0 * (values - lo) / span, np.nan)


def weekly_change(dates: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dates, changes) from the previous report when it is a report week earlier."""
    days = dates.astype("datetime64[D]").astype(np.int64)
    gap = np.diff(days)
    ok = (gap >= _WEEK_GAP_DAYS[0]) & (gap <= _WEEK_GAP_DAYS[1])
    return dates[1:][ok], np.diff(values)[ok]


def percentile_in_history(values: np.ndarray, index: int) -> float | None:
    """100 × (observations up to ``index`` with value ≤ values[index]) / their count."""
    if index < 0 or index >= len(values) or not np.isfinite(values[index]):
        return None
    past = values[: index + 1]
    past = past[np.isfinite(past)]
    return float(100.0 * np.count_nonzero(past <= values[index]) / len(past))


def _derived(base: Series, suffix: str, label: str, unit: str, dates, values, extra) -> Series:
    keep = np.isfinite(values)
    code, cls = base.meta["cftc_code"], base.meta["trader_class"]
    prefix = base.id.split(":", 1)[0]
    sid = f"{prefix}:{code}:{cls}:{suffix}"
    base_label = " net % OI," if base.meta.get("measure") == "net_pct_oi" else " net,"
    name = (base.name.replace(base_label, f" {label},", 1) if base_label in base.name
            else f"{base.name} {label}")
    return Series(id=sid, name=name, unit=unit, frequency=base.frequency,
                  source=SeriesSource("(derived)", None, sid.split(":", 1)[1]),
                  dates=np.asarray(dates)[keep], values=np.asarray(values)[keep],
                  kind="positioning", publication_lag=base.publication_lag,
                  meta={**base.meta, "measure": suffix, "derived_from": base.id, **extra})


def _net_series(catalog: Catalog, measure: str) -> list[Series]:
    out = []
    for s in catalog:
        meta = s.meta if isinstance(s.meta, dict) else {}
        if (s.id.split(":", 1)[0] in _CFTC_PREFIXES and meta.get("measure") == measure
                and meta.get("trader_class") and meta.get("derived_from") is None and len(s)):
            out.append(s)
    return out


def notional_missing(catalog: Catalog, specs: dict[str, ContractSpec] | None = None
                     ) -> dict[str, str]:
    """Per loaded market code of the multiplier file without its index close: what would
    enable its net notional (for the Data panel's market node)."""
    specs = specs if specs is not None else load_contract_multipliers()[0]
    items = list(catalog)
    out = {}
    codes = {s.meta["cftc_code"] for s in _net_series(catalog, "net")}
    for code in sorted(codes & set(specs)):
        spec = specs[code]
        if index_close_for(spec.index_ticker, items) is None:
            out[code] = (f"net notional USD of {spec.name} ({code}) needs a loaded close of the "
                         f"index {spec.index_ticker} (an index level, not an ETF price)")
    return out


def positioning_measures(catalog: Catalog, *, lookback_weeks: int = DEFAULT_COT_LOOKBACK_WEEKS,
                         multipliers: Path | None = None) -> tuple[list[Series], list[Message]]:
    """Every derived measure of the catalog's CFTC net series, and the messages (bad
    multiplier rows, markets whose notional needs an index close)."""
    specs, messages = load_contract_multipliers(multipliers)
    nets = _net_series(catalog, "net")
    out: list[Series] = []
    if not nets:
        return out, messages
    items = list(catalog)
    closes = {t: index_close_for(t, items) for t in {s.index_ticker for s in specs.values()}}
    for s in nets:
        spec = specs.get(s.meta["cftc_code"])
        close = closes.get(spec.index_ticker) if spec else None
        if close is None:
            continue
        level = asof_values(close.dates, close.values, s.dates)
        out.append(_derived(s, "net_notional_usd", "net notional", "USD bn", s.dates,
                            s.values * spec.multiplier * level / 1e9,
                            {"multiplier": spec.multiplier, "index_series": close.id}))
    for text in notional_missing(catalog, specs).values():
        messages.append(Message("info", "(derived) positioning", None, None, text))

    days = np.concatenate([s.dates.astype(np.int64) for s in nets])
    values = np.concatenate([s.values for s in nets])
    group = np.repeat(np.arange(len(nets)), [len(s) for s in nets])
    cot = cot_index_values(days, values, group, 7 * lookback_weeks)
    bounds = np.cumsum([0] + [len(s) for s in nets])
    for i, s in enumerate(nets):
        out.append(_derived(s, "cot_index", f"COT index ({lookback_weeks}w)", "index 0-100",
                            s.dates, cot[bounds[i]: bounds[i + 1]],
                            {"lookback_weeks": lookback_weeks}))
        out.append(_derived(s, "net_change_1w", "net change 1w", "contracts",
                            *weekly_change(s.dates, s.values), {}))
    for s in _net_series(catalog, "net_pct_oi"):
        out.append(_derived(s, "net_pct_oi_change_1w", "net % OI change 1w", "pp of OI",
                            *weekly_change(s.dates, s.values), {}))
    return out, messages


def trader_class_ids(code: str, prefix: str = "cftc") -> list[str]:
    """Net % OI series ids of the five TFF classes of one market (dealer, asset manager,
    leveraged funds, other reportable, non-reportable): the "all trader classes" row."""
    return [f"{prefix}:{code}:{cls}:net_pct_oi" for cls in TFF_CLASSES]

"""Short-interest snapshot files: one settlement date (mostly), one row per symbol.

Recognised by their columns, comma- or pipe-separated: exchange/quote-site snapshots
(``symbol, short_interest_date, shares_sold_short, percent_of_float``) and FINRA's files
(``symbolCode|settlementDate|currentShortPositionQuantity|averageDailyVolumeQuantity|
daysToCoverQuantity|...``). A snapshot is cross-sectional, so the file yields one carrier
series, ``si-snapshot:<stem>:symbols`` (symbols reported per settlement date), whose meta
holds the rows; ``core.analytics.short_interest`` merges the carriers of every loaded file
into per-symbol histories (``si:<symbol>:shares_short`` ...).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.ingest import sheet_layout
from core.ingest.cftc import norm
from core.ingest.date_cells import parse_dates
from core.ingest.numbers import to_numbers
from core.ingest.sheet_series import SheetContext, SheetResult
from core.messages import cell_name
from core.series import Frequency, PublicationLag, Series, SeriesSource

SI_LAG = PublicationLag(business_days=8)  # published ~8 business days after settlement
_COLUMNS = {
    "symbol": ("symbol", "symbolcode", "ticker"),
    "date": ("short_interest_date", "settlementdate", "settlement_date"),
    "shares_short": ("shares_sold_short", "currentshortpositionquantity", "shares_short",
                     "short_interest"),
    "avg_daily_volume": ("averagedailyvolumequantity", "average_daily_volume",
                         "avg_daily_volume"),
    "days_to_cover": ("daystocoverquantity", "days_to_cover"),
    "pct_float": ("percent_of_float", "short_percent_of_float", "pct_float"),
}
MEASURES = ("shares_short", "avg_daily_volume", "days_to_cover", "pct_float")


def _split_pipes(grid: np.ndarray) -> np.ndarray:
    """A pipe-separated file read as one column: split each row on ``|``."""
    rows = [str(x).split("|") if isinstance(x, str) else [""] for x in grid[:, 0]]
    width = max(len(r) for r in rows)
    out = np.full((len(rows), width), "", dtype=object)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def find_short_interest(grid: np.ndarray) -> tuple[np.ndarray, int, dict[str, int]] | None:
    """(grid, header row, field -> column) of a short-interest snapshot, or None."""
    if grid.ndim != 2 or not len(grid):
        return None
    piped = grid.shape[1] == 1 and isinstance(grid[0, 0], str) and "|" in grid[0, 0]
    head = _split_pipes(grid[:5]) if piped else grid[:5]  # split all rows only on a match
    for r in range(len(head)):
        cols = {norm(x): i for i, x in enumerate(head[r]) if isinstance(x, str) and x.strip()}
        found = {f: next((cols[n] for n in names if n in cols), None)
                 for f, names in _COLUMNS.items()}
        if all(found[f] is not None for f in ("symbol", "date", "shares_short")):
            full = _split_pipes(grid) if piped else grid
            if not _cross_sectional(full[r + 1:, found["symbol"]]):
                return None  # a long-layout history (few symbols, many dates): parse_sheet's
            return full, r, {f: c for f, c in found.items() if c is not None}
    return None


def _cross_sectional(symbols: np.ndarray) -> bool:
    """Most symbols appear once: a snapshot, not a few symbols' histories."""
    texts = [sheet_layout._text(x) for x in symbols]
    texts = [x for x in texts if x]
    return bool(texts) and len(set(texts)) * 2 > len(texts)


def parse_short_interest(grid: np.ndarray, header_row: int, columns: dict[str, int],
                         ctx: SheetContext) -> SheetResult:
    out = SheetResult(header_row=header_row,
                      header_texts=[sheet_layout._text(x) for x in grid[header_row]])
    say = out.messages.append
    body = grid[header_row + 1:]
    symbols = np.array([sheet_layout._text(x).upper() for x in body[:, columns["symbol"]]],
                       dtype=object)
    dates = parse_dates(body[:, columns["date"]], allow_serial=True)
    values = {m: to_numbers(body[:, columns[m]]).values for m in MEASURES if m in columns}
    ok = (symbols != "") & dates.is_date & np.isfinite(values["shares_short"])
    skipped = np.flatnonzero(~ok & (symbols != ""))
    if len(skipped):
        first = int(skipped[0])
        say(ctx.msg("info", cell_name(header_row + 1 + first, columns["date"]),
                    f"{len(skipped)} rows without a settlement date or shares short (first: "
                    f"{symbols[first]}); skipped"))
    rows = np.flatnonzero(ok)
    keys = np.array([f"{symbols[i]}|{dates.days[i]}" for i in rows], dtype=object)
    _, first_of, counts = np.unique(keys[::-1], return_index=True, return_counts=True)
    if (counts > 1).any():
        dup = int(rows[len(rows) - 1 - first_of[np.argmax(counts > 1)]])
        say(ctx.msg("warning", cell_name(header_row + 1 + dup, columns["symbol"]),
                    f"{int((counts > 1).sum())} symbols appear twice on one settlement date "
                    f"(e.g. {symbols[dup]}); kept the row further down"))
        rows = np.sort(rows[len(rows) - 1 - first_of])
    if not len(rows):
        say(ctx.msg("warning", None, "short-interest snapshot without usable rows; not loaded"))
        return out
    days = dates.days[rows]
    uniq, per_day = np.unique(days, return_counts=True)
    main = uniq[int(np.argmax(per_day))]
    meta = {"snapshot": {
        "symbol": [str(x) for x in symbols[rows]],
        "date": [str(d) for d in days],
        **{m: [None if not np.isfinite(v) else float(v) for v in values[m][rows]]
           for m in values}},
        "settlement_date": str(main)}
    # one carrier per file, named by the file's own stem: dated snapshots of one template
    # are a history (core.analytics.short_interest merges them), not one export revised
    stem = Path(ctx.file).stem
    sid = f"si-snapshot:{stem}:symbols"
    out.series.append(Series(
        id=sid, name=f"Short-interest snapshot {stem}: symbols reported", unit="symbols",
        frequency=Frequency.IRREGULAR, source=SeriesSource(ctx.file, ctx.sheet, None),
        dates=uniq, values=per_day.astype(float), kind="other", publication_lag=SI_LAG,
        meta=meta))
    older = len(rows) - int(per_day.max())
    say(ctx.msg("info", None, f"short-interest snapshot: {len(rows):,} symbols, settlement "
                f"{main}" + (f" ({older:,} rows carry older dates)" if older else "")))
    return out

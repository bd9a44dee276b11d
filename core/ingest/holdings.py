"""Fund holdings files (iShares' holdings CSV): a preamble with ``Fund Holdings as of``,
a header with ``Ticker``, ``Quantity``/``Shares`` and ``Price``, quoted numbers with
thousands separators, ``-`` for null, then a legal footer.

A holdings file is one date's cross-section, so it yields one carrier series,
``holdings:<stem>:market_value`` (USD bn of the equity members, one observation on the
as-of date), whose meta holds each equity member's ticker, shares and price; the
basket short interest (``core.analytics.short_interest``) is computed from it.
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
from core.series import Frequency, Series, SeriesSource

_AS_OF = "fund_holdings_as_of"


def find_holdings(grid: np.ndarray) -> tuple[int, int, dict[str, int]] | None:
    """(as-of row, header row, field -> column) of a holdings file, or None."""
    if grid.ndim != 2 or grid.shape[1] < 3:
        return None
    top = min(len(grid), 20)
    as_of = next((r for r in range(top) if norm(grid[r, 0]) == _AS_OF), None)
    if as_of is None:
        return None
    for r in range(as_of + 1, top):
        cols = {norm(x): i for i, x in enumerate(grid[r]) if isinstance(x, str) and x.strip()}
        shares = cols.get("quantity", cols.get("shares"))
        if "ticker" in cols and "price" in cols and shares is not None:
            found = {"ticker": cols["ticker"], "shares": shares, "price": cols["price"]}
            for f in ("asset_class", "market_value"):
                if f in cols:
                    found[f] = cols[f]
            return as_of, r, found
    return None


def parse_holdings(grid: np.ndarray, as_of_row: int, header_row: int, columns: dict[str, int],
                   ctx: SheetContext) -> SheetResult:
    out = SheetResult(header_row=header_row,
                      header_texts=[sheet_layout._text(x) for x in grid[header_row]])
    say = out.messages.append
    as_of = parse_dates(np.array([grid[as_of_row, 1]], dtype=object))
    if not as_of.is_date[0]:
        say(ctx.msg("warning", cell_name(as_of_row, 1), "holdings file whose 'Fund Holdings as "
                    "of' is not a date; not loaded"))
        return out
    body = grid[header_row + 1:]
    tickers = np.array([sheet_layout._text(x).upper() for x in body[:, columns["ticker"]]],
                       dtype=object)
    shares = to_numbers(body[:, columns["shares"]]).values
    price = to_numbers(body[:, columns["price"]]).values
    equity = (np.array([sheet_layout._text(x).lower() == "equity"
                        for x in body[:, columns["asset_class"]]])
              if "asset_class" in columns else np.ones(len(body), bool))
    listed = (tickers != "") & (tickers != "-") & np.isfinite(shares) & np.isfinite(price)
    keep = equity & listed
    unlisted = int((equity & ~listed).sum())
    if unlisted:
        say(ctx.msg("info", None, f"{unlisted} equity lines without a ticker, shares or price "
                    "(e.g. unlisted rights); not members of the basket"))
    if not keep.any():
        say(ctx.msg("warning", None, "holdings file without equity members; not loaded"))
        return out
    day = as_of.days[:1]
    value = float(np.sum(shares[keep] * price[keep])) / 1e9
    out.series.append(Series(
        id=f"holdings:{Path(ctx.file).stem}:market_value",
        name=f"{Path(ctx.file).stem} equity holdings, market value",
        unit="USD bn", frequency=Frequency.IRREGULAR,
        source=SeriesSource(ctx.file, ctx.sheet, None), dates=day, values=np.array([value]),
        kind="other", meta={"holdings": {"ticker": [str(t) for t in tickers[keep]],
                                         "shares": [float(x) for x in shares[keep]],
                                         "price": [float(x) for x in price[keep]]},
                            "as_of": str(day[0])}))
    say(ctx.msg("info", None, f"fund holdings as of {day[0]}: {int(keep.sum()):,} equity members"))
    return out

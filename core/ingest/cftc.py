"""CFTC Commitments of Traders files: Traders in Financial Futures (TFF) and, as a
fallback, the Legacy report. Recognised by their columns (Excel and text headers differ:
``Report_Date_as_MM_DD_YYYY`` in .xls, ``Report_Date_as_YYYY-MM-DD`` in .txt, spaces and
parentheses in Legacy), keyed by ``CFTC_Contract_Market_Code`` read as text (``090741``,
``13874A`` stay text) because market names change over the years and codes do not.

Per market and trader class: long, short, spread, net = long - short and
net_pct_oi = 100 * net / Open_Interest_All (DOMAIN.md), plus open interest. Ids:
``cftc:<code>:<class>:<measure>`` and ``cftc:<code>:open_interest`` (futures+options
"Combined" files use the prefix ``cftc-combined`` so they never mix with futures-only).
"""

from __future__ import annotations

import re

import numpy as np

from core.ingest import sheet_layout
from core.ingest.date_cells import parse_dates
from core.ingest.numbers import to_numbers
from core.ingest.observations import Observations, arrange, report_order
from core.ingest.sheet_series import SheetContext, SheetResult
from core.messages import cell_name
from core.series import PublicationLag, Series, SeriesSource, infer_frequency

CFTC_LAG = PublicationLag(days=3)  # as of Tuesday, published Friday

TFF_CLASSES = {
    "dealer": ("Dealer", "dealer_positions_{}_all"),
    "asset_mgr": ("Asset mgr.", "asset_mgr_positions_{}_all"),
    "lev_money": ("Lev. money", "lev_money_positions_{}_all"),
    "other_rept": ("Other rept.", "other_rept_positions_{}_all"),
    "nonrept": ("Non-rept.", "nonrept_positions_{}_all"),
}
LEGACY_CLASSES = {
    "noncommercial": ("Noncommercial", "noncommercial_positions_{}_all"),
    "commercial": ("Commercial", "commercial_positions_{}_all"),
    "nonrept": ("Non-rept.", "nonreportable_positions_{}_all"),
}
KNOWN_MARKETS = {
    "239742": ("E-mini Russell 2000", {"asset": "small_cap", "ticker": "RTY"}),
    "209742": ("E-mini Nasdaq-100", {"asset": "tech", "ticker": "NDX"}),
    "13874A": ("E-mini S&P 500", {"asset": "large_cap", "ticker": "SPX"}),
}
_SPREAD_CLASSES = {"dealer", "asset_mgr", "lev_money", "other_rept", "noncommercial"}
"""Classes whose report has a spread column (non-reportables and Legacy commercials have none)."""
_DATE_COLUMNS = ("report_date_as_yyyy_mm_dd", "report_date_as_mm_dd_yyyy",
                 "as_of_date_in_form_yyyy_mm_dd", "as_of_date_in_form_yymmdd")
_MEASURE_LABEL = {"long": "long", "short": "short", "spread": "spread", "net": "net",
                  "net_pct_oi": "net % OI"}


def norm(header: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(header).strip().lower()).strip("_")


def find_cftc_header(grid: np.ndarray) -> int | None:
    """Row index of a COT header (market code and market name columns), if any."""
    for r in range(min(len(grid), 5)):
        cols = {norm(x) for x in grid[r] if isinstance(x, str)}
        if "cftc_contract_market_code" in cols and "market_and_exchange_names" in cols:
            return r
    return None


def parse_cftc(grid: np.ndarray, header_row: int, ctx: SheetContext) -> SheetResult:
    out = SheetResult(header_row=header_row, header_texts=[sheet_layout._text(x) for x in grid[header_row]])
    say = out.messages.append
    cols = {norm(x): i for i, x in enumerate(grid[header_row]) if not sheet_layout.is_blank(x)}
    legacy = _looks_legacy(cols)
    classes = LEGACY_CLASSES if legacy else TFF_CLASSES
    date_key = next((k for k in _DATE_COLUMNS if k in cols), None)
    if date_key is None:
        say(ctx.msg("error", None, "CFTC file without a report date column (Report_Date_as_YYYY-MM-DD, "
                    "Report_Date_as_MM_DD_YYYY or As_of_Date_In_Form_YYMMDD); not loaded"))
        return out
    usable = _report_missing_columns(ctx, cols, classes, legacy, say)
    if not usable and "open_interest_all" not in cols:
        say(ctx.msg("error", None, "CFTC file with neither Open_Interest_All nor the long and short "
                    "columns of any trader class; not loaded"))
        return out
    body = grid[header_row + 1:]
    codes = np.array([_code(x) for x in body[:, cols["cftc_contract_market_code"]]], dtype=object)
    names = np.array([sheet_layout._text(x) for x in body[:, cols["market_and_exchange_names"]]], dtype=object)
    dcol = parse_dates(body[:, cols[date_key]], allow_serial=True, yymmdd=date_key.endswith("yymmdd"))
    valid = (codes != "") & dcol.is_date
    bad_rows = np.flatnonzero((codes != "") & ~dcol.is_date)
    for r in bad_rows[:5]:
        say(ctx.msg("warning", cell_name(header_row + 1 + int(r), cols[date_key]),
                    "report date is not a date; row skipped"))
    combined = "futonly_or_combined" in cols and any(
        str(x).strip().lower() == "combined" for x in body[valid, cols["futonly_or_combined"]][:50])
    prefix = "cftc-combined" if combined else "cftc"

    has_oi = "open_interest_all" in cols
    measures: dict[str, np.ndarray] = {
        "open_interest": (to_numbers(body[:, cols["open_interest_all"]]).values if has_oi
                          else np.full(len(body), np.nan))}
    for cls, (_, pattern) in classes.items():
        if cls not in usable:
            continue
        for m, suffix in (("long", "long"), ("short", "short"), ("spread", _spread_word(legacy))):
            key = pattern.format(suffix)
            if key in cols:
                measures[f"{cls}:{m}"] = to_numbers(body[:, cols[key]]).values

    rows = np.flatnonzero(valid)
    obs_all = Observations(dcol.days[rows], None, rows + header_row + 1, cols[date_key])
    order = np.argsort(codes[rows], kind="stable")
    sorted_codes = codes[rows][order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    ends = np.r_[starts[1:], len(order)]
    newest_first = False
    for a, b in zip(starts, ends, strict=True):
        idx = order[a:b]
        code = str(sorted_codes[a])
        arranged = arrange(obs_all.subset(idx))
        newest_first |= arranged.direction == "descending"
        body_idx = rows[idx]
        latest_name = names[body_idx][int(np.argmax(dcol.days[body_idx].astype(np.int64)))]
        market, meta = _market(code, latest_name)
        if arranged.keep is not None or arranged.direction == "mixed":
            report_order(ctx, arranged, f"market {code}", say)
        oi_dates, oi = arranged.take(measures["open_interest"][body_idx])
        if has_oi:
            out.series.append(_series(ctx, f"{prefix}:{code}:open_interest",
                                      f"Open interest, {market} ({code})", "contracts",
                                      "open_interest", oi_dates, oi, meta,
                                      {"cftc_code": code, "measure": "open_interest"}))
        for cls, (label, _) in classes.items():
            if f"{cls}:long" not in measures:
                continue
            per = {m: arranged.take(measures[f"{cls}:{m}"][body_idx])[1]
                   for m in ("long", "short", "spread") if f"{cls}:{m}" in measures}
            per["net"] = per["long"] - per["short"]
            if has_oi:
                with np.errstate(divide="ignore", invalid="ignore"):
                    per["net_pct_oi"] = np.where(oi > 0, 100.0 * per["net"] / oi, np.nan)
            for m, values in per.items():
                unit = "% of OI" if m == "net_pct_oi" else "contracts"
                out.series.append(_series(
                    ctx, f"{prefix}:{code}:{cls}:{m}", f"{label} {_MEASURE_LABEL[m]}, {market} ({code})",
                    unit, "positioning", oi_dates, values, meta,
                    {"cftc_code": code, "trader_class": cls, "measure": m}))
    if newest_first:
        say(ctx.msg("info", None, "rows run newest first within each market; sorted ascending"))
    report = "Legacy" if legacy else "TFF"
    say(ctx.msg("info", None, f"CFTC {report} {'combined' if combined else 'futures-only'} report: "
                f"{len(starts)} markets"
                + ("; Legacy classes (Noncommercial/Commercial), not hedge funds" if legacy else "")))
    return out


def _looks_legacy(cols: dict[str, int]) -> bool:
    """Legacy when more Legacy trader-class columns are present than TFF ones (a TFF file
    missing its Lev_Money columns is still TFF)."""
    def present(classes: dict, spread: str) -> int:
        return sum(p.format(side) in cols for _, p in classes.values() for side in ("long", "short", spread))
    return present(LEGACY_CLASSES, _spread_word(True)) > present(TFF_CLASSES, _spread_word(False))


def _spread_word(legacy: bool) -> str:
    return "spreading" if legacy else "spread"


def _report_missing_columns(ctx, cols: dict[str, int], classes: dict, legacy: bool, say) -> set[str]:
    """Name the report's missing columns in one message; the classes whose long AND short
    are both present (those that can give a net position)."""
    missing = [] if "open_interest_all" in cols else [_column_title("open_interest_all", legacy)]
    usable: set[str] = set()
    dropped: list[str] = []
    for cls, (label, pattern) in classes.items():
        sides = {side: pattern.format(side) for side in ("long", "short", _spread_word(legacy))
                 if side in ("long", "short") or cls in _SPREAD_CLASSES}
        missing += [_column_title(key, legacy) for key in sides.values() if key not in cols]
        if sides["long"] in cols and sides["short"] in cols:
            usable.add(cls)
        else:
            dropped.append(label)
    if missing:
        loaded = (["open interest"] if "open_interest_all" in cols else []) + [
            label for cls, (label, _) in classes.items() if cls in usable]
        text = f"columns missing from this CFTC report: {', '.join(missing)}"
        text += f"; loaded {', '.join(loaded)}" if loaded else ""
        if dropped:
            text += f"; not loaded (long or short missing): {', '.join(dropped)}"
        if "open_interest_all" not in cols and usable:
            text += "; no net % of open interest without Open_Interest_All"
        say(ctx.msg("warning", None, text))
    return usable


def _column_title(key: str, legacy: bool) -> str:
    """A normalised key in CFTC's own spelling: ``Lev_Money_Positions_Short_All`` (TFF),
    ``Noncommercial Positions-Short (All)`` (Legacy)."""
    parts = key.split("_")
    if legacy:
        if key == "open_interest_all":
            return "Open Interest (All)"
        return f"{parts[0].capitalize()} Positions-{parts[-2].capitalize()} (All)"
    return "_".join(part.capitalize() for part in parts).replace("Nonrept_", "NonRept_")


def _series(ctx, sid, name, unit, kind, dates, values, meta, extra) -> Series:
    keep = ~np.isnan(values)
    return Series(id=sid, name=name, unit=unit, frequency=infer_frequency(dates[keep]),
                  source=SeriesSource(ctx.file, ctx.sheet, sid.split(":", 1)[1]),
                  dates=dates[keep], values=values[keep], kind=kind, publication_lag=CFTC_LAG,
                  meta={**meta, **extra})


def _code(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip() if cell is not None else ""


def _market(code: str, latest_name: str) -> tuple[str, dict]:
    meta = {"market": latest_name}
    if code in KNOWN_MARKETS:
        name, m = KNOWN_MARKETS[code]
        return name, {**meta, **m}
    # Other markets (micro contracts, consolidated lines) get no asset tag on purpose:
    # the analytics pair the three flagship contracts and must not pick a look-alike.
    return latest_name.split(" - ")[0].strip() or code, meta

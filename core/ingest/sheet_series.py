"""One sheet (2-d cells) -> Series + Messages, for ordinary desk layouts.

Wide: dates down one column, one series per numeric column. Long: a date column, a
name/ticker column, optionally a field column, and value column(s): one series per
(name, field). Every cell-level problem becomes a Message naming the cell and saying
what was done; nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from core.ingest import hints, sheet_layout
from core.ingest.date_cells import DateColumn, parse_dates
from core.ingest.mapping import SheetMapping
from core.ingest.numbers import factorize, from_floats, numeric_block, parse_number_text, to_numbers
from core.ingest.observations import Observations, arrange, report_order
from core.messages import Message, cell_name, column_letter
from core.series import Frequency, Series, SeriesSource, infer_frequency

MAX_CELL_MESSAGES = 5
_GENERIC = {"close", "open", "high", "low", "volume", "value", "px_last", "px_volume", "px_bid",
            "px_ask", "actual", "price", "last", "adj close", "forecast", "previous", "px_open",
            "px_high", "px_low", "change %", "change", "openinterest", "open interest", "yoy (%)"}
MAX_LONG_KEYS = 5000


@dataclass
class SheetContext:
    file: str  # as shown in messages (the file name)
    stem: str  # the file's template (its stem without the export date): first part of ids
    sheet: str
    formula_probe: Callable[[], list[str]] | None = None  # lazy: formulas without cached values
    decimal_comma: bool = False  # a ';'-separated text table: "1,234" reads as 1.234

    def msg(self, level: str, cell: str | None, text: str) -> Message:
        return Message(level, self.file, self.sheet, cell, text)  # type: ignore[arg-type]


@dataclass
class SheetResult:
    series: list[Series] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    header_row: int | None = None  # 0-based
    header_texts: list[str] = field(default_factory=list)


def detect_header(grid: np.ndarray, mapping: SheetMapping | None = None) -> tuple[int | None, list[str]]:
    """(0-based header row, texts) as ``parse_sheet`` would use them (for templates)."""
    if mapping and mapping.header_row0 is not None:
        return mapping.header_row0, sheet_layout.header_texts(grid, mapping.header_row0, stack=False)
    choice = sheet_layout.choose_date_column(grid, mapping.date_col0 if mapping else None)
    if choice is None:
        first = next((r for r in range(min(len(grid), 50)) if not sheet_layout.row_is_blank(grid[r])), None)
        return first, [] if first is None else sheet_layout.header_texts(grid, first, stack=False)
    dcol = parse_dates(grid[: sheet_layout.SAMPLE_ROWS, choice.col], allow_serial=choice.allow_serial,
                       yymmdd=choice.yymmdd)
    dates = np.flatnonzero(dcol.is_date)
    if not len(dates):
        return None, []
    h = sheet_layout.header_row_above(grid, int(dates[0]))
    return h, sheet_layout.header_texts(grid, h)


def parse_sheet(grid: np.ndarray, ctx: SheetContext, mapping: SheetMapping | None = None,
                check_cancel: Callable[[], None] | None = None) -> SheetResult:
    out = SheetResult()
    say = out.messages.append
    if grid.size == 0 or all(sheet_layout.is_blank(x) for x in grid.flat):
        say(ctx.msg("warning", None, "sheet is empty; nothing loaded from it"))
        return out
    choice = sheet_layout.choose_date_column(grid, mapping.date_col0 if mapping else None)
    if choice is None or choice.col >= grid.shape[1]:
        say(ctx.msg("warning", None, "no date column found (no column of dates in the first "
                    f"{sheet_layout.SAMPLE_ROWS} rows); sheet not loaded. If it has one, set the date "
                    "column in the sheet mapping"))
        _report_formulas(ctx, say)
        return out
    dc = choice.col
    dcol = parse_dates(grid[:, dc], allow_serial=choice.allow_serial, yymmdd=choice.yymmdd,
                       order=mapping.date_order if mapping else None)
    is_date = dcol.is_date
    header_forced = mapping.header_row0 if mapping else None
    if header_forced is not None:
        is_date[: header_forced + 1] = False
    date_rows = np.flatnonzero(is_date)
    if not len(date_rows):
        say(ctx.msg("warning", column_letter(dc), "no dates in the date column; sheet not loaded"))
        return out
    first, last = int(date_rows[0]), int(date_rows[-1])
    if header_forced is not None:
        out.header_row = header_forced
        out.header_texts = sheet_layout.header_texts(grid, header_forced, stack=False)
    else:
        out.header_row = sheet_layout.header_row_above(grid, first)
        out.header_texts = sheet_layout.header_texts(grid, out.header_row)
    headers = out.header_texts
    _report_layout(grid, ctx, dc, first, last, is_date, say)
    _report_date_reading(grid, ctx, dc, dcol, date_rows, say)

    skip = mapping.skip_col0 if mapping else set()
    numeric: dict[int, np.ndarray] = {}
    units: dict[int, str | None] = {}
    text_cols: list[int] = []
    contiguous = len(date_rows) == last - first + 1
    missing = False
    value_cols = [c for c in range(grid.shape[1]) if c != dc and c not in skip]
    block = _all_numbers(grid, first, last, date_rows, contiguous, value_cols)
    for j, c in enumerate(value_cols):
        if check_cancel is not None and j % 16 == 0:
            check_cancel()
        if block is not None:
            num, cells = from_floats(block[:, j]), None
        else:
            cells = grid[first: last + 1, c] if contiguous else grid[date_rows, c]
            if _looks_like_text(cells, ctx.decimal_comma):
                text_cols.append(c)  # names/tickers/notes: skip the full numeric conversion
                continue
            num = to_numbers(cells, prefer_decimal_comma=ctx.decimal_comma)
        if num.decimal_comma:
            say(ctx.msg("info", column_letter(c), f"numbers in column {column_letter(c)} read with a "
                        "decimal comma (European style: \"1.234,5\" = 1234.5)"))
        nbad = int(num.bad.sum())
        if num.markers:
            _report_markers(ctx, c, headers[c], num, say)
        if num.numeric_count == 0 and nbad == 0:
            missing |= bool(headers[c])  # a header over nothing: maybe uncalculated formulas
            continue
        if nbad > num.numeric_count:
            text_cols.append(c)
            continue
        if nbad:
            _report_bad_cells(ctx, c, date_rows[num.bad], cells[num.bad], say)
        numeric[c] = num.values
        units[c] = num.unit_hint
        missing |= num.numeric_count < len(num.values)
    if missing or not numeric or len(date_rows) < last - first + 1:
        _report_formulas(ctx, say)  # empty-looking cells may be formulas never calculated

    name_col, field_col = sheet_layout.long_layout_columns(headers, text_cols)
    plain_text = [c for c in text_cols if c not in (name_col, field_col)]
    if plain_text:
        listed = ", ".join(f"{column_letter(c)} '{headers[c] or column_letter(c)}'" for c in plain_text[:6])
        more = f" and {len(plain_text) - 6} more" if len(plain_text) > 6 else ""
        say(ctx.msg("info", None, f"text columns not loaded as series: {listed}{more}"))
    obs = Observations(dcol.days[date_rows], None if dcol.stamps_ms is None else dcol.stamps_ms[date_rows],
                       date_rows, dc)
    if not numeric:
        report_order(ctx, arrange(obs), None, say, dcol)
        say(ctx.msg("warning", None, "no numeric columns next to the dates; nothing loaded"))
        return out
    if name_col is not None and field_col is None and _single_key(grid, name_col, date_rows):
        name_col = None  # one ticker throughout (e.g. a Symbol column): an ordinary wide sheet
    if name_col is None and field_col is None:
        arranged = arrange(obs)
        report_order(ctx, arranged, None, say, dcol)
        all_dates = arranged.take(np.zeros(len(obs.days)))[0]
        full = (len(all_dates), infer_frequency(all_dates))  # shared by gap-free columns
        for c, values in numeric.items():
            column = headers[c] or column_letter(c)
            _add(out, ctx, _make_series(ctx, column, headers[c], arranged.take(values), units[c],
                                        full_frequency=full))
    else:
        _long_layout(grid, ctx, obs, numeric, units, headers, name_col, field_col, contiguous,
                     first, last, dcol, out)
    _dedupe_ids(out.series)
    _unshorten_clashing_names(out.series)
    return out


def _long_layout(grid, ctx, obs, numeric, units, headers, name_col, field_col, contiguous,
                 first, last, dcol, out) -> None:
    def codes_of(col: int | None) -> tuple[np.ndarray, list[str]] | None:
        """Per row: index into the distinct (stripped) texts of a key column."""
        if col is None:
            return None
        cells = grid[first: last + 1, col] if contiguous else grid[obs.rows, col]
        uniq, inverse = factorize(cells)
        labels = [sheet_layout._text(u) for u in uniq]
        relabel = {lab: k for k, lab in enumerate(dict.fromkeys(labels))}
        mapped = np.array([relabel[lab] for lab in labels], dtype=np.int64)
        return mapped[inverse], list(relabel)

    names, fields = codes_of(name_col), codes_of(field_col)
    parts = [k for k in (names, fields) if k is not None]
    if len(parts) == 1:
        combined_codes, label_of = parts[0][0], [[lab] for lab in parts[0][1]]
    else:
        width = len(parts[1][1])
        combined_codes = parts[0][0] * width + parts[1][0]
        label_of = [[a, b] for a in parts[0][1] for b in parts[1][1]]
    present, inverse = np.unique(combined_codes, return_inverse=True)
    uniq = [" ".join(p for p in label_of[int(c)] if p) or "(blank)" for c in present]
    if len(uniq) > MAX_LONG_KEYS or (len(uniq) > 50 and len(uniq) * 2 > len(combined_codes)):
        out.messages.append(ctx.msg(
            "warning", None, f"{len(uniq)} distinct names in column "
            f"{column_letter(name_col if name_col is not None else field_col)}, most with a single "
            "date: a cross-sectional snapshot, not time series; sheet not loaded"))
        return
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(uniq) + 1))
    one_value_col = len(numeric) == 1
    for k, label in enumerate(uniq):
        idx = order[bounds[k]: bounds[k + 1]]
        arranged = arrange(obs.subset(idx))
        report_order(ctx, arranged, label, out.messages.append, dcol)
        for c, values in numeric.items():
            column = label if one_value_col else f"{label} {headers[c] or column_letter(c)}"
            _add(out, ctx, _make_series(ctx, column, column, arranged.take(values[idx]), units[c],
                                        long_name=True))


def _all_numbers(grid: np.ndarray, first: int, last: int, date_rows: np.ndarray, contiguous: bool,
                 value_cols: list[int]) -> np.ndarray | None:
    """The dated rows x value columns as one float block when they hold only numbers."""
    if not value_cols:
        return None
    rows = slice(first, last + 1) if contiguous else date_rows
    lo, hi = value_cols[0], value_cols[-1] + 1
    cols = slice(lo, hi) if hi - lo == len(value_cols) else value_cols
    if not contiguous and not isinstance(cols, slice):
        return numeric_block(grid[np.ix_(date_rows, value_cols)])
    return numeric_block(grid[rows, cols])


def _looks_like_text(cells: np.ndarray, decimal_comma: bool = False, sample: int = 64) -> bool:
    """True when most of the first non-blank cells are text that is not a number (in
    either decimal spelling)."""
    head = [x for x in cells[: sample * 4] if not sheet_layout.is_blank(x)][:sample]
    if len(head) < 8:
        return False
    bad = sum(isinstance(x, str) and parse_number_text(x).bad
              and parse_number_text(x, decimal_comma=True).bad for x in head)
    return bad * 4 > len(head) * 3


def _single_key(grid: np.ndarray, col: int, rows: np.ndarray) -> bool:
    return len({sheet_layout._text(x) for x in grid[rows, col]}) <= 1


def _add(out: SheetResult, ctx: SheetContext, series: Series) -> None:
    if len(series):
        out.series.append(series)
    else:
        out.messages.append(ctx.msg("info", None, f"column {series.source.column!r} has no values "
                                    "on dated rows; no series"))


def _make_series(ctx: SheetContext, column: str, header: str, dv: tuple[np.ndarray, np.ndarray],
                 unit_hint: str | None, long_name: bool = False,
                 full_frequency: tuple[int, Frequency] | None = None) -> Series:
    dates, values = dv
    # A blank or unreadable cell is no observation: dropped, so loaded series hold no NaN
    # (the cell was already reported when it held text that is not a number).
    keep = ~np.isnan(values)
    if not keep.all():
        dates, values = dates[keep], values[keep]
    if full_frequency is not None and full_frequency[0] == len(dates):
        frequency = full_frequency[1]
    else:
        frequency = infer_frequency(dates)
    context = f"{ctx.stem} {ctx.sheet}"
    kind = hints.kind_of(header, context)
    meta = hints.asset_meta(f"{context} {header}") if kind in ("price", "positioning",
                                                               "short_interest") else {}
    unit = hints.unit_from_header(header) or unit_hint or hints.default_unit(kind, meta)
    name = hints.display_name(column)
    if not long_name and column.strip().lower() in _GENERIC:
        name = f"{ctx.stem} {column}"
    return Series(
        id=f"{ctx.stem}:{ctx.sheet}:{column}", name=name, unit=unit,
        frequency=frequency, source=SeriesSource(ctx.file, ctx.sheet, column),
        dates=dates, values=values, kind=kind, publication_lag=hints.publication_lag_for(kind),
        meta=meta)


def _unshorten_clashing_names(series: list[Series]) -> None:
    """Two columns whose short names match (net contracts vs net % of OI) keep their
    full header text, so no two series of a sheet read the same in a legend."""
    counts: dict[str, int] = {}
    for s in series:
        counts[s.name] = counts.get(s.name, 0) + 1
    for s in series:
        if counts[s.name] > 1 and s.source.column:
            s.name = s.source.column


def _dedupe_ids(series: list[Series]) -> None:
    seen: dict[str, int] = {}
    for s in series:
        n = seen.get(s.id, 0)
        seen[s.id] = n + 1
        if n:
            s.id = f"{s.id} ({n + 1})"


def _report_layout(grid, ctx, dc, first, last, is_date, say) -> None:
    gaps = np.flatnonzero(~is_date[first: last + 1]) + first
    text_rows = [int(r) for r in gaps if not sheet_layout.row_is_blank(grid[r])]
    for r in text_rows[:MAX_CELL_MESSAGES]:
        say(ctx.msg("warning", cell_name(r, dc), f"row {r + 1} inside the data has no date in "
                    f"{column_letter(dc)} ({sheet_layout._text(grid[r, dc]) or 'blank'!r}); row skipped"))
    if len(text_rows) > MAX_CELL_MESSAGES:
        say(ctx.msg("warning", column_letter(dc), f"{len(text_rows) - MAX_CELL_MESSAGES} more rows "
                    "without a date inside the data were skipped"))
    tail = grid[last + 1:]
    notes = [r for r in range(len(tail)) if not sheet_layout.row_is_blank(tail[r])]
    if notes:
        a, b = last + 2 + notes[0], last + 2 + notes[-1]
        span = f"rows {a}-{b}" if b > a else f"row {a}"
        say(ctx.msg("info", str(a), f"{span} below the data hold notes, not dated data; ignored"))


def _report_date_reading(grid, ctx, dc, dcol: DateColumn, date_rows, say) -> None:
    letter = column_letter(dc)
    if dcol.order_assumed:
        amb = dcol.ambiguous_rows
        r = int(date_rows[amb[date_rows]][0]) if amb is not None and amb[date_rows].any() else int(date_rows[0])
        say(ctx.msg("warning", cell_name(r, dc), f"day/month order cannot be told from the values "
                    f"(no field above 12 in column {letter}): read as month/day/year (US order). "
                    "If they are day/month, set the date order to DMY in the sheet mapping"))
    elif dcol.order_given:
        spelled = {"DMY": "day/month/year", "MDY": "month/day/year"}.get(dcol.order, dcol.order)
        say(ctx.msg("info", letter, f"dates read as {spelled}: the date order set in the sheet "
                    "mapping (yours or the one saved for this file layout), not detected "
                    "from the values"))
    elif dcol.order == "DMY":
        say(ctx.msg("info", letter, "dates read as day/month/year (a first field above 12 "
                    "appears, or every date is written D.M.Y with dots)"))
    for r in dcol.order_conflict[:MAX_CELL_MESSAGES]:
        say(ctx.msg("warning", cell_name(r, dc), f"{grid[r, dc]!r} cannot be {dcol.order}; read as "
                    f"{dcol.days[r]} instead: the column mixes day/month orders, check the source"))


def _report_bad_cells(ctx, c, rows, cells, say) -> None:
    for r, v in list(zip(rows, cells, strict=True))[:MAX_CELL_MESSAGES]:
        say(ctx.msg("warning", cell_name(int(r), c), f"{sheet_layout._text(v)!r} is not a number; "
                    "read as missing (NaN)"))
    if len(rows) > MAX_CELL_MESSAGES:
        say(ctx.msg("warning", column_letter(c), f"{len(rows) - MAX_CELL_MESSAGES} more non-numeric "
                    "cells in this column read as missing"))


def _report_markers(ctx, c: int, header: str, num, say) -> None:
    """One message per column: how many error values / placeholders were dropped."""
    total = sum(num.markers.values())
    top = sorted(num.markers.items(), key=lambda kv: -kv[1])
    kinds = ", ".join(f"{text!r} {n}" for text, n in top[:6]) + (" …" if len(top) > 6 else "")
    letter = column_letter(c)
    name = f"{letter} '{header}'" if header else letter
    kept = (f"{num.numeric_count} numbers loaded" if num.numeric_count
            else "no numbers in it, so no series")
    say(ctx.msg("info", letter, f"column {name}: {total} cells hold error values or missing "
                f"markers ({kinds}); read as missing and dropped, {kept}"))


def _report_formulas(ctx, say) -> None:
    cells = ctx.formula_probe() if ctx.formula_probe is not None else []
    for a1 in cells[:MAX_CELL_MESSAGES]:
        say(ctx.msg("warning", a1, "formula has no cached value (the file was saved without "
                    "calculating); read as missing. Open and save it in Excel to fix"))
    if len(cells) > MAX_CELL_MESSAGES:
        say(ctx.msg("warning", None, f"{len(cells) - MAX_CELL_MESSAGES} more formulas without "
                    "cached values read as missing"))

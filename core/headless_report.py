"""The headless report (``main.py report``): every figure of window A (and B) for every
series of the given files, relative performance, the positioning gap, the desk note and
the rate-cut odds, as one JSON-safe dict (dates YYYY-MM-DD, null where a figure does not
apply, never NaN)."""

from __future__ import annotations

import json
import math
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.analytics.engine import WindowEngine
from core.analytics.note import desk_note
from core.analytics.presets import PRESETS, preset_window, same_span_year_earlier
from core.analytics.results import Comparison, GapResult, RelativeResult
from core.analytics.window import Window, add_months
from core.catalog import Catalog
from core.markets import choose_pairs
from core.messages import Message

_LOOKBACK = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([ymw]?)\s*$", re.I)


class ReportArgumentError(ValueError):
    """A --window/--compare/--lookback value that cannot be understood."""


def parse_lookback(text: str | float | None) -> float:
    """Years from "3y", "18m", "156w" or a bare number of years."""
    if text is None:
        return 3.0
    if isinstance(text, (int, float)):
        return float(text)
    m = _LOOKBACK.match(str(text))
    if not m:
        raise ReportArgumentError(f"lookback {text!r} is not like 3y, 18m or 156w")
    n, unit = float(m.group(1)), m.group(2).lower()
    years = n / 12 if unit == "m" else n * 7 / 365.25 if unit == "w" else n
    if round(years * 12) < 1:
        raise ReportArgumentError(f"lookback {text!r} is shorter than a month")
    return years


def default_window(catalog: Catalog) -> Window | None:
    """The last year of data: end = the latest last date, start = 12 months before it."""
    lasts = [s.last_date for s in catalog if len(s)]
    if not lasts:
        return None
    end = max(lasts)
    return Window(add_months(end, -12), end)


def resolve_window(text: str | None, catalog: Catalog) -> Window | None:
    if text is None or not str(text).strip():
        return default_window(catalog)
    if str(text).strip().upper() in PRESETS:
        firsts = [s.first_date for s in catalog if len(s)]
        lasts = [s.last_date for s in catalog if len(s)]
        if not lasts:
            return None
        return preset_window(str(text), min(firsts), max(lasts))
    try:
        return Window.parse(str(text))
    except ValueError as exc:
        raise ReportArgumentError(str(exc)) from None


def resolve_compare(text: str | None, a: Window | None) -> Window | None:
    if text is None or not str(text).strip() or a is None:
        return None
    key = str(text).strip().lower()
    if key in ("prior-year", "prior_year", "year-earlier", "yoy"):
        return same_span_year_earlier(a)
    try:
        return Window.parse(str(text))
    except ValueError as exc:
        raise ReportArgumentError(f"compare: {exc}") from None


@dataclass
class ReportParts:
    """The report dict plus the objects behind it (for the workbook/note writers)."""

    report: dict
    catalog: Catalog
    comparison: Comparison | None = None
    relative: list[RelativeResult] = field(default_factory=list)
    gap: GapResult | None = None
    note: list[str] = field(default_factory=list)


def load_catalog(paths: list[str], public: bool = False) -> tuple[Catalog, list[Message]]:
    from core.pipeline import build_catalog, refresh_derived

    catalog = build_catalog(paths)
    extra: list[Message] = []
    if public:
        from core.public_data import public_results

        found = public_results()
        for result in found:
            catalog.add(result)
        refresh_derived(catalog)
        if not found:
            extra.append(Message("warning", "", None, None, "--public: no public data stored "
                                 "yet (run: main.py fetch all)"))
    return catalog, extra


def _cot_lookback(catalog: Catalog, years: float) -> None:
    """The COT index over the report's lookback (the catalog was built with 156 weeks)."""
    from core.analytics.positioning_measures import DEFAULT_COT_LOOKBACK_WEEKS, cot_lookback_weeks
    from core.pipeline import refresh_derived

    weeks = cot_lookback_weeks(years)
    if weeks != DEFAULT_COT_LOOKBACK_WEEKS:
        refresh_derived(catalog, cot_lookback_weeks=weeks)


def compute_report(paths: list[str], *, window: str | None = None, compare: str | None = None,
                   lookback: str | float = "3y", pairs: list[tuple[str, str]] | None = None,
                   alignment: str = "asof", catalog: Catalog | None = None,
                   public: bool = False) -> ReportParts:
    """Everything ``build_report`` returns, plus the result objects. Raises
    ReportArgumentError for a window/compare/lookback it cannot read."""
    years = parse_lookback(lookback)
    extra: list[Message] = []
    if catalog is None:
        catalog, extra = load_catalog(paths, public=public)
        _cot_lookback(catalog, years)
    a = resolve_window(window, catalog)
    b = resolve_compare(compare, a)
    series = [s for s in catalog]
    report: dict[str, Any] = {
        "windows": {"A": a.to_dict() if a else None, "B": b.to_dict() if b else None},
        "lookback_years": years,
        "alignment": alignment,
        "series": [s.describe() for s in series],
        "stats": {},
        "relative": [],
        "gap": None,
        "note": [],
        "messages": [m.to_dict() for m in (*catalog.messages, *extra)],
        "rates": None,
    }
    parts = ReportParts(report, catalog)
    if a is None:
        report["messages"].append(Message("error", "", None, None,
                                          "no series were read: nothing to report").to_dict())
        return parts
    engine = WindowEngine(series, lookback_years=years, alignment=alignment)
    comparison = engine.compare(a, b)
    parts.comparison = comparison
    for s in series:
        report["stats"][s.id] = {
            "A": comparison.a.series_dict(s.id),
            "B": comparison.b.series_dict(s.id) if comparison.b is not None else None,
        }
    chosen = choose_pairs(series)
    for pa, pb in pairs if pairs is not None else chosen.relative:
        missing = [sid for sid in (pa, pb) if sid not in catalog]
        if missing:
            report["messages"].append(Message(
                "warning", "", None, None,
                f"pair {pa} / {pb}: no series with id {', '.join(missing)}").to_dict())
            continue
        parts.relative.append(engine.relative(pa, pb, a))
    report["relative"] = [r.to_json() for r in parts.relative]
    if chosen.gap is not None:
        parts.gap = engine.gap(*chosen.gap, a)
        report["gap"] = parts.gap.to_json()
    parts.note = desk_note(engine, catalog, comparison, relative=parts.relative, gap=parts.gap)
    report["note"] = parts.note
    report["rates"] = _rates_block(catalog, a.end, report["messages"])
    if report["rates"]:
        # The odds at window A's end read as desk-note sentences too.
        parts.note.extend(report["rates"].get("sentences") or [])
        report["rates_start"] = _rates_block(catalog, a.start, report["messages"])
    return parts


def _rates_block(catalog: Catalog, date: np.datetime64, messages: list[dict]) -> dict | None:
    try:
        from core.rates import report_block
    except ImportError:
        return None
    try:
        return _json_safe(report_block(catalog, date))
    except Exception as exc:  # the rates block must never sink the whole report
        messages.append(Message("warning", "", None, None,
                                f"rate-cut odds not computed: {exc}").to_dict())
        return None


def _json_safe(value: Any) -> Any:
    """NaN/inf -> None, numpy scalars -> Python, dates -> ISO text, recursively."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def build_report(paths: list[str], *, window: str | None = None, compare: str | None = None,
                 lookback: str = "3y", pairs: list[tuple[str, str]] | None = None,
                 alignment: str = "asof") -> dict:
    """The report dict (see module doc). ``window``: 'START:END' or a preset name
    (default: the last year of data); ``compare``: 'START:END' or 'prior-year'."""
    return _json_safe(compute_report(paths, window=window, compare=compare, lookback=lookback,
                                     pairs=pairs, alignment=alignment).report)


def report_json(report: dict) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def run_report(args: Any) -> int:
    """``main.py report``: 0 on success, 1 when nothing could be read or written,
    2 for an argument it cannot understand. Errors are one line on stderr."""
    files = list(getattr(args, "files", None) or getattr(args, "paths", None) or [])
    public = bool(getattr(args, "public", False))
    if not files and not public:
        from core.paths import sample_path

        files = [str(sample_path())]
    pairs = [tuple(p) for p in getattr(args, "pair", None) or []] or None
    try:
        parts = compute_report(files, window=getattr(args, "window", None),
                               compare=getattr(args, "compare", None),
                               lookback=getattr(args, "lookback", "3y") or "3y",
                               pairs=pairs, alignment=getattr(args, "alignment", "asof"),
                               public=public)
    except ReportArgumentError as exc:
        print(f"gapwatch report: {exc}", file=sys.stderr)
        return 2
    report = _json_safe(parts.report)
    force = bool(getattr(args, "force", False))
    try:
        _write_outputs(args, parts, report, force)
    except (OSError, ValueError) as exc:
        print(f"gapwatch report: {exc}", file=sys.stderr)
        return 1
    return 0 if parts.comparison is not None else 1


def _write_outputs(args: Any, parts: ReportParts, report: dict, force: bool) -> None:
    from core.atomic import atomic_write_text, refuse_overwrite

    json_target = getattr(args, "json", None)
    others = [getattr(args, k, None) for k in ("xlsx", "png", "svg", "note")]
    if json_target == "-" or (json_target is None and not any(others)):
        sys.stdout.write(report_json(report))
    elif json_target:
        refuse_overwrite(json_target, force)
        atomic_write_text(json_target, report_json(report))
    windows = [parts.comparison.a.window, parts.comparison.b.window if parts.comparison.b
               else None] if parts.comparison else []
    if getattr(args, "note", None):
        from core.export.note_text import write_note_text

        write_note_text(args.note, parts.note, windows, force=force)
    if getattr(args, "xlsx", None) and parts.comparison is not None:
        from core.export.workbook import write_stats_workbook

        write_stats_workbook(args.xlsx, comparison=parts.comparison,
                             series_by_id={s.id: s for s in parts.catalog}, note=parts.note,
                             relative=parts.relative, force=force,
                             provenance={"windows": report["windows"],
                                         "lookback_years": report["lookback_years"]})
    # --png/--svg are drawn by main.py with the GUI's chart code (core imports no Qt).

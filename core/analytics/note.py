"""The desk note: sentences generated from the figures, each only when its condition holds.

Every number in a sentence is a figure the tables show (window A's table, the relative
results, the gap result), formatted by ``core.analytics.sentence_format``. Examples
(DOMAIN.md): "Russell 2000 short interest USD 16.0bn, highest since 2021-11-15",
"Lev-funds net RTY futures −5.1% of OI, lowest in 52 weeks (percentile 2)",
"RTY +26.1% since its 2025-04-08 low; SPX +24.0%", "Tech vs small-cap positioning gap
3.4σ, a record (data since 2006-06-13)" (a record of the loaded data).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from core.analytics import positioning_note
from core.analytics.figures import FIGURE_INDEX
from core.analytics.results import Comparison, FigureTable, GapResult, RelativeResult
from core.analytics.sentence_format import fmt_pct, fmt_value, label_of
from core.analytics.window import Window
from core.markets import asset_of, choose_pairs, is_leveraged_funds
from core.series import Series

AUTO: Any = object()  # "work it out": relative pairs and the gap pair from choose_pairs

LEVEL_KINDS = ("short_interest", "positioning", "price", "rate", "open_interest")
_MIN_SINCE_DAYS = 365  # "highest since" only when that date is at least ~a year back
_RALLY_MIN_PCT = 10.0
_RELATIVE_MIN_PCT = 1.0
_EXTREME_PCT = 10.0  # positioning percentile <= 10 or >= 90 is worth a line
_GAP_PCT = 90.0
MAX_UNTAGGED_LEVEL_SERIES = 40
"""Past this many series of no tagged market (a CFTC file holds ~300 markets, 25 series
each), level lines only for the tagged ones and those the caller names: the note is
about the desk's markets, not a line per wheat and bond contract."""
_END_DATE, _END_VALUE = FIGURE_INDEX["end_date"], FIGURE_INDEX["end_value"]
_PERCENTILE = FIGURE_INDEX["percentile"]
_SINCE_FIGURES = ((FIGURE_INDEX["highest_since"], "high", "highest"),
                  (FIGURE_INDEX["lowest_since"], "low", "lowest"))


def _lookup(catalog_or_series_lookup: Any, engine) -> Mapping[str, Series]:
    src = catalog_or_series_lookup
    if src is None:
        return {sid: engine.series(sid) for sid in engine.series_ids}
    if isinstance(src, Mapping):
        return src
    if hasattr(src, "get") and hasattr(src, "ids"):  # a Catalog
        return {sid: src.get(sid) for sid in src.ids}
    return {s.id: s for s in src}


def desk_note(engine, catalog_or_series_lookup, comparison: Comparison | Window,
              window_b: Window | None = None, *, relative: Sequence[RelativeResult] | Any = AUTO,
              gap: GapResult | None | Any = AUTO, focus: Iterable[str] | None = None) -> list[str]:
    """Sentences for window A (``comparison.a``; a bare Window is compared with
    ``window_b``). ``relative``/``gap`` default to the pairs ``choose_pairs`` picks.
    Level lines cover every series while at most ``MAX_UNTAGGED_LEVEL_SERIES`` belong to
    no tagged market (small caps, large caps, tech); past that, the tagged ones and those
    ``focus`` names (the GUI's checked series)."""
    if isinstance(comparison, Window):
        comparison = engine.compare(comparison, window_b)
    lookup = _lookup(catalog_or_series_lookup, engine)
    table = comparison.a
    window = table.window
    known = [lookup[sid] for sid in table.series_ids if lookup.get(sid) is not None]
    chosen = choose_pairs(known)
    if relative is AUTO:
        relative = [engine.relative(a, b, window) for a, b in chosen.relative]
    if gap is AUTO:
        gap = engine.gap(*chosen.gap, window) if chosen.gap else None

    ranked: list[tuple[int, float, str]] = []  # (topic, -extremity, sentence)

    def add(topic: int, line: str | None, extremity: float = 0.0) -> None:
        if line:
            ranked.append((topic, -extremity, line))

    subjects = _level_subjects(known, focus)
    covered = positioning_note.covered_ids(subjects)  # one line per market and class
    for s in subjects:
        if s.id not in covered:
            add(_topic(s), level_sentence(table, s), _extremity(table, s))
    by_group: dict[object, list[Series]] = {}
    for s in subjects:
        if s.id in covered:
            by_group.setdefault(positioning_note.group_of(s) or s.id, []).append(s)
    for members in by_group.values():
        topic = _topic(members[0])
        for line in positioning_note.positioning_sentences(table, members, lookup):
            add(topic, line, max(_extremity(table, s) for s in members))
    if gap is not None:
        add(TOPIC_GAP, gap_sentence(gap))
    for line in rally_sentences(engine, table, lookup, relative):
        add(TOPIC_RALLY, line)
    for line in relative_sentences(relative, lookup):
        add(TOPIC_RALLY, line)
    if comparison.b is not None:
        for line in comparison_sentences(comparison, lookup, relative):
            add(TOPIC_COMPARISON, line)
    ranked.sort(key=lambda r: (r[0], r[1]))  # stable: the order above among equals
    return [line for _, _, line in ranked]


# What the desk leads with (issue: the small-cap vs tech story): hedge funds in RTY and
# NDX, the gap between them, short interest, the rally, then the rest; within a topic
# the more extreme (percentile further from 50) first.
(TOPIC_STORY_POSITIONING, TOPIC_GAP, TOPIC_SHORT_INTEREST, TOPIC_RALLY,
 TOPIC_LARGE_CAP_POSITIONING, TOPIC_PRICES, TOPIC_COMPARISON, TOPIC_OTHER_POSITIONING,
 TOPIC_OTHER) = range(9)


def _topic(s: Series) -> int:
    asset = asset_of(s)
    if s.kind == "short_interest" or s.id.startswith(("si:", "si-basket:")):
        return TOPIC_SHORT_INTEREST if asset is not None or s.id.startswith("si") \
            else TOPIC_OTHER
    if s.kind == "positioning" or s.id.startswith("cftc"):
        if asset is None:
            return TOPIC_OTHER
        if not is_leveraged_funds(s):
            return TOPIC_OTHER_POSITIONING
        return TOPIC_LARGE_CAP_POSITIONING if asset == "large_cap" else TOPIC_STORY_POSITIONING
    if s.kind == "price" and asset is not None:
        return TOPIC_PRICES
    return TOPIC_OTHER


def _extremity(table: FigureTable, s: Series) -> float:
    try:
        pct = float(table.row(s.id)[_PERCENTILE])
    except (KeyError, IndexError, ValueError):
        return 0.0
    return abs(pct - 50.0) if math.isfinite(pct) else 0.0


def _level_subjects(known: list[Series], focus: Iterable[str] | None) -> list[Series]:
    untagged = [s for s in known if s.kind in LEVEL_KINDS and asset_of(s) is None]
    if len(untagged) <= MAX_UNTAGGED_LEVEL_SERIES:
        return known
    keep = set(focus or ())
    return [s for s in known if asset_of(s) is not None or s.id in keep]


def _first_observed_day(s: Series) -> int | None:
    """Day number of the first finite value; O(1) in the usual case (loaded series hold
    no NaN), since this runs for every series on every note refresh during a drag."""
    if not len(s):
        return None
    if math.isfinite(s.values[0]):
        return int(s.dates[0].astype(np.int64))
    finite = np.flatnonzero(np.isfinite(s.values))
    return int(s.dates[finite[0]].astype(np.int64)) if len(finite) else None


def _extreme_phrase(row: np.ndarray, s: Series) -> str | None:
    # Day numbers straight from the table row (floats), no datetime64 per figure: the note
    # runs this for every series up to 25 times a second while a window is dragged.
    end = float(row[_END_DATE])
    if not math.isfinite(end):
        return None
    first = _first_observed_day(s)
    long_history = first is not None and end - first >= _MIN_SINCE_DAYS
    weekly = s.frequency.value == "weekly"
    for column, word, adjective in _SINCE_FIGURES:
        since = float(row[column])
        if not math.isfinite(since):
            if long_history:  # a record of the loaded data: say how far back it goes
                return f"a record {word} (data since {np.datetime64(int(first), 'D')})"
            continue
        days = int(end - since)
        if weekly and 26 * 7 <= days < 104 * 7:
            return f"{adjective} in {days // 7} weeks"
        if days >= _MIN_SINCE_DAYS:
            return f"{adjective} since {np.datetime64(int(since), 'D')}"
    return None


def level_sentence(table: FigureTable, s: Series) -> str | None:
    if s.kind not in LEVEL_KINDS:
        return None
    row = table.row(s.id)
    end_value = float(row[_END_VALUE])
    if not math.isfinite(end_value):
        return None
    pct = float(row[_PERCENTILE])
    if s.kind == "positioning" and (not math.isfinite(pct)
                                    or _EXTREME_PCT < pct < 100 - _EXTREME_PCT):
        return None  # positioning lines only at a lookback extreme
    phrase = _extreme_phrase(row, s)
    if s.kind == "positioning":
        value = fmt_value(end_value, s.unit)  # the since-phrase adds context
        if phrase:
            return f"{s.name} {value}, {phrase} (percentile {pct:.0f})"
        return f"{s.name} {value}, percentile {pct:.0f}"
    return f"{s.name} {fmt_value(end_value, s.unit)}, {phrase}" if phrase else None


def rally_sentences(engine, table: FigureTable, lookup: Mapping[str, Series],
                    relative: Sequence[RelativeResult]) -> list[str]:
    """"RTY +26.1% since its 2025-04-08 low; SPX +24.0%": the others' returns are their
    return_pct over the since-low window [low date, A end] (the since-low preset's table)."""
    out = []
    by_a: dict[str, list[str]] = {}
    for r in relative:
        by_a.setdefault(r.a_id, []).append(r.b_id)
    for a_id, b_ids in by_a.items():
        rally, low = table.value(a_id, "rally_from_low_pct"), table.value(a_id, "min_date")
        if rally is None or low is None or rally < _RALLY_MIN_PCT:
            continue
        if low == table.value(a_id, "end_date"):
            continue
        since = engine.figures(Window(low, table.window.end))
        parts = [f"{label_of(lookup[a_id])} {fmt_pct(rally)} since its {low} low"]
        for b_id in b_ids:
            rb = since.value(b_id, "return_pct")
            if rb is not None:
                parts.append(f"{label_of(lookup[b_id])} {fmt_pct(rb)}")
        out.append("; ".join(parts))
    return out


def relative_sentences(relative: Sequence[RelativeResult],
                       lookup: Mapping[str, Series]) -> list[str]:
    out = []
    for r in relative:
        if r.relative_pct is None or abs(r.relative_pct) < _RELATIVE_MIN_PCT:
            continue
        verb = "outperformed" if r.relative_pct > 0 else "underperformed"
        out.append(f"{label_of(lookup[r.a_id])} {verb} {label_of(lookup[r.b_id])} by "
                   f"{fmt_pct(abs(r.relative_pct), signed=False)} over {r.window}")
    return out


def comparison_sentences(comparison: Comparison, lookup: Mapping[str, Series],
                         relative: Sequence[RelativeResult]) -> list[str]:
    """Window A's return against window B's for the series of the relative pairs."""
    out = []
    b_table = comparison.b
    seen: list[str] = []
    for r in relative:
        for sid in (r.a_id, r.b_id):
            if sid not in seen:
                seen.append(sid)
    for sid in seen:
        ra, rb = comparison.a.value(sid, "return_pct"), b_table.value(sid, "return_pct")
        if ra is None or rb is None:
            continue
        out.append(f"{label_of(lookup[sid])} {fmt_pct(ra)} in {comparison.a.window} vs "
                   f"{fmt_pct(rb)} in {b_table.window}")
    return out


def gap_sentence(g: GapResult) -> str | None:
    if g.gap is None or g.percentile is None:
        return None
    size = f"{g.gap:.1f}σ".replace("-", "−")
    if g.is_record:
        return f"Tech vs small-cap positioning gap {size}, a record (data since {g.dates[0]})"
    if g.percentile >= _GAP_PCT or g.percentile <= 100 - _GAP_PCT:
        return f"Tech vs small-cap positioning gap {size} (percentile {g.percentile:.0f})"
    return None

"""Desk-note sentences about CFTC positioning and short interest, in the desk's words:

- one line per market and trader class (its contracts, % of OI, notional and COT index
  are one subject, not four): "Lev-funds net RTY futures −USD 9.8bn, lowest in 52 weeks
  (COT index 3)", only at a lookback extreme (percentile ≤ 10 or ≥ 90) of the headline
  measure (notional, else net % of OI, else net contracts);
- a weekly change that is the largest in at least half a year and at an extreme of all
  weekly changes (percentile over history ≤ 10 or ≥ 90): "Lev-funds net RTY
  futures −27,675 contracts in the week to 2024-07-23, the largest weekly net selling
  since 2023-03-14 (shorts up 12k, longs down 3k; percentile 1 of all weekly changes)";
- a basket's short interest with its method: "IWM_holdings basket short interest USD
  16.0bn at the holdings file's prices (2026-05-05), highest since 2021-11-15".

Per-symbol short interest in USD reads through the note's ordinary level line ("IWM short
interest USD 16.0bn, highest since 2021-11-15"); its shares and % of float are then
quiet. ``covered_ids`` tells ``desk_note`` which series this module speaks for.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np

from core.analytics.figures import FIGURE_INDEX
from core.analytics.positioning_measures import percentile_in_history
from core.analytics.results import FigureTable
from core.analytics.sentence_format import MINUS, fmt_value
from core.series import Series

CLASS_LABEL = {"lev_money": "Lev-funds", "asset_mgr": "Asset managers", "dealer": "Dealers",
               "other_rept": "Other reportables", "nonrept": "Non-reportables",
               "noncommercial": "Noncommercials", "commercial": "Commercials"}
_HEADLINE = ("net_notional_usd", "net_pct_oi", "net")
_EXTREME_PCT = 10.0
_CHANGE_MIN_WEEKS = 26  # "largest weekly selling since" only when that is half a year back
_QUIET_SI = ("shares_short", "pct_float", "days_to_cover", "avg_daily_volume")
_END, _PCT = FIGURE_INDEX["end_value"], FIGURE_INDEX["percentile"]
_END_DATE = FIGURE_INDEX["end_date"]
_HIGH, _LOW = FIGURE_INDEX["highest_since"], FIGURE_INDEX["lowest_since"]


def _meta(s: Series) -> dict:
    return s.meta if isinstance(s.meta, dict) else {}


def group_of(s: Series) -> tuple[str, str, str] | None:
    """The (source, market code, trader class) one sentence speaks for, or None."""
    return _group(s)


def _group(s: Series) -> tuple[str, str, str] | None:
    meta = _meta(s)
    if s.id.startswith("cftc") and meta.get("cftc_code") and meta.get("trader_class"):
        return s.id.split(":", 1)[0], meta["cftc_code"], meta["trader_class"]
    return None


def covered_ids(subjects: Iterable[Series]) -> set[str]:
    """Ids whose sentences this module writes (the note's level loop skips them)."""
    items = list(subjects)
    with_usd = {_meta(s).get("symbol") for s in items if s.id.startswith("si:")
                and s.id.endswith(":short_usd")}
    out = set()
    for s in items:
        if _group(s) is not None or s.id.startswith("si-basket:"):
            out.add(s.id)
        elif s.id.startswith("si:") and _meta(s).get("measure") in _QUIET_SI:
            symbol = _meta(s).get("symbol")
            if symbol in with_usd or _meta(s).get("measure") != "shares_short":
                out.add(s.id)
    return out


def positioning_sentences(table: FigureTable, subjects: Iterable[Series],
                          lookup: Mapping[str, Series]) -> list[str]:
    """The sentences for the covered subjects, in subject order."""
    from core.analytics.note import _extreme_phrase  # the note's since-phrase, one wording

    groups: dict[tuple[str, str, str], dict[str, Series]] = {}
    out: list[str] = []
    for s in subjects:
        key = _group(s)
        if key is not None:
            groups.setdefault(key, {})[_meta(s).get("measure", "")] = s
        elif s.id.startswith("si-basket:"):
            line = _basket_sentence(table, s, _extreme_phrase)
            if line:
                out.append(line)
    for key, measures in groups.items():
        line = _level_line(table, key, measures, _extreme_phrase)
        if line:
            out.append(line)
        line = _change_line(table, key, measures, lookup)
        if line:
            out.append(line)
    return out


def subject_label(s: Series, trader_class: str) -> str:
    """"Lev-funds net RTY futures": the class, then the index ticker or market name."""
    meta = _meta(s)
    market = meta.get("ticker") or str(meta.get("market") or s.name).split(" - ")[0].strip()
    return f"{CLASS_LABEL.get(trader_class, trader_class)} net {market} futures"


def fmt_signed_usd_bn(value: float) -> str:
    """−USD 9.8bn / USD 1.2bn: the sign before the currency, as the desk writes it."""
    text = f"USD {abs(value):.1f}bn"
    return f"{MINUS}{text}" if value < 0 and round(abs(value), 1) > 0 else text


def _value_text(value: float, s: Series) -> str:
    if (s.unit or "").lower() == "usd bn":
        return fmt_signed_usd_bn(value)
    return fmt_value(value, s.unit)


def _level_line(table, key, measures, extreme_phrase) -> str | None:
    head = next((measures[m] for m in _HEADLINE if m in measures), None)
    if head is None:
        return None
    row = table.row(head.id)
    value, pct = float(row[_END]), float(row[_PCT])
    if not (math.isfinite(value) and math.isfinite(pct)):
        return None
    if _EXTREME_PCT < pct < 100 - _EXTREME_PCT:
        return None
    cot = measures.get("cot_index")
    cot_value = float(table.row(cot.id)[_END]) if cot is not None else math.nan
    # the COT index of the same report date only (it skips weeks where max == min)
    if cot is not None and float(table.row(cot.id)[_END_DATE]) != float(row[_END_DATE]):
        cot_value = math.nan
    tail = f"COT index {cot_value:.0f}" if math.isfinite(cot_value) else f"percentile {pct:.0f}"
    phrase = extreme_phrase(row, head)
    text = f"{subject_label(head, key[2])} {_value_text(value, head)}"
    return f"{text}, {phrase} ({tail})" if phrase else f"{text}, {tail}"


def _change_line(table, key, measures, lookup) -> str | None:
    change = measures.get("net_change_1w")
    if change is None:
        return None
    row = table.row(change.id)
    value, end = float(row[_END]), float(row[_END_DATE])
    if not (math.isfinite(value) and math.isfinite(end)) or value == 0:
        return None
    since = float(row[_LOW] if value < 0 else row[_HIGH])
    first = float(change.dates[0].astype(np.int64)) if len(change) else end
    if math.isfinite(since):
        if end - since < 7 * _CHANGE_MIN_WEEKS:
            return None
        when = f"since {np.datetime64(int(since), 'D')}"
    elif end - first >= 7 * _CHANGE_MIN_WEEKS:
        # "on record" would overstate 30 weeks of one file: say what history it beats
        when = f"since {np.datetime64(int(first), 'D')}, where the loaded history begins"
    else:
        return None
    day = np.datetime64(int(end), "D")
    index = int(np.searchsorted(change.dates, day))
    pct = percentile_in_history(change.values, index) if index < len(change) else None
    if pct is None or _EXTREME_PCT < pct < 100 - _EXTREME_PCT:
        return None  # the largest in half a year, but not an extreme of all weekly changes
    flow = "selling" if value < 0 else "buying"
    text = (f"{subject_label(change, key[2])} {fmt_value(value, 'contracts')} in the week to "
            f"{day}, the largest weekly net {flow} {when}")
    sides = side_changes(lookup, key, day)
    extras = [sides] if sides else []
    extras.append(f"percentile {pct:.0f} of all weekly changes")
    return f"{text} ({'; '.join(extras)})"


def side_changes(lookup: Mapping[str, Series], key: tuple[str, str, str],
                 day: np.datetime64) -> str | None:
    """"shorts up 12k, longs down 3k": the week's change of each side, larger first."""
    prefix, code, cls = key
    parts = []
    for side, word in (("short", "shorts"), ("long", "longs")):
        s = lookup.get(f"{prefix}:{code}:{cls}:{side}")
        if s is None:
            return None
        i = int(np.searchsorted(s.dates, day))
        if i == 0 or i >= len(s) or s.dates[i] != day:
            return None
        delta = float(s.values[i] - s.values[i - 1])
        parts.append((abs(delta), f"{word} {'up' if delta >= 0 else 'down'} {_thousands(delta)}"))
    parts.sort(key=lambda p: -p[0])
    return ", ".join(text for _, text in parts)


def _thousands(delta: float) -> str:
    size = abs(delta)
    return f"{size / 1000:.0f}k" if size >= 1000 else f"{size:.0f}"


def _basket_sentence(table, s: Series, extreme_phrase) -> str | None:
    row = table.row(s.id)
    value = float(row[_END])
    if not math.isfinite(value):
        return None
    phrase = extreme_phrase(row, s)
    if not phrase:
        return None
    stem = s.id.split(":")[1]
    method = _meta(s).get("method", "")
    return f"{stem} basket short interest {fmt_signed_usd_bn(value)} {method}, {phrase}"

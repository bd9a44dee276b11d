"""Cell values -> float64, column at a time.

Spreadsheet cells arrive as Python floats/ints (fast path: one numpy cast for the whole
column) or as text written by people and vendors: ``"$16.2bn"``, ``"(1,234)"``,
``"12.5%"``, ``"1.2e3"``, ``"19.2K"``, ``"-122.9K"``, and in European spelling with a
decimal comma (``"2022,6"``, ``"2.022.600,00"``) -- chosen per column, when it reads more
of the column's cells than the US spelling does (or, for a ';'-separated file, as many). Placeholders for "no value"
(``"—"``, ``"n/a"``, ``"-"``, ``"."``) and Excel/terminal error values (``"#N/A"``,
``"#N/A N/A"``, ``"#DIV/0!"``, ``"inf"`` ...) become NaN and are *counted* per column, so the
caller can say in one message how many cells it dropped (a Bloomberg column that is mostly
``#N/A N/A`` is a sparse numeric series, not text); blanks become NaN silently; any other
text is a *bad* cell the caller reports by name. Text is parsed once per distinct string.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

MISSING_TEXT = frozenset(
    {"", "-", "--", "—", "–", ".", "n/a", "na", "nan", "#n/a", "n.a.", "null", "none", "#value!",
     "#div/0!", "#ref!", "#num!", "#name?", "#null!", "nd", "inf", "+inf", "-inf", "infinity",
     "-infinity", "n.m.", "nm", "#n/a n/a"}
)
"""Lower-cased, stripped texts that mean "no observation" (NaN, counted, not a bad cell)."""

_ERROR_VALUE = re.compile(r"^#(?:n/a\b.*|[a-z][a-z0-9_/.]*[!?])$", re.IGNORECASE | re.DOTALL)
"""Excel's error values (``#SPILL!``, ``#CALC!``, ``#GETTING_DATA``...) and every Bloomberg
``#N/A ...`` flavour (``#N/A N/A``, ``#N/A Field Not Applicable``, ``#N/A Requesting Data``)."""


def is_missing_marker(text: str) -> bool:
    """True for a non-blank text that means "no value here" (an error value or placeholder)."""
    s = text.strip()
    return bool(s) and (s.lower() in MISSING_TEXT or s.lower() == "#getting_data"
                        or bool(_ERROR_VALUE.match(s)))

_SCALE = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "t": 1e12,
          "tn": 1e12}
_NUMBER = re.compile(
    r"""^(?P<neg1>[-+−]?)\s*(?P<cur>[$€£¥]?)\s*(?P<neg2>[-+−]?)\s*
        (?P<num>(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*
        (?P<suffix>k|m|mm|mn|mln|b|bn|t|tn)?\s*(?P<pct>%)?$""",
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedText:
    """One distinct text's reading: its value and any unit it announced."""

    value: float
    bad: bool = False
    unit_hint: str | None = None
    marker: bool = False  # an error value / "no value" placeholder (counted, not bad)


_SWAP_SEPARATORS = str.maketrans({".": ",", ",": "."})


def parse_number_text(text: str, decimal_comma: bool = False) -> ParsedText:
    """Read one human-written number. Scale suffixes multiply only when no currency
    unit hint is wanted: ``"19.2K"`` -> 19200; ``"$16.2bn"`` -> 16.2 with hint "USD bn"
    (a desk writes money in the unit it reports, so the column's unit is USD bn).
    ``decimal_comma``: ``","`` is the decimal mark and ``"."`` groups thousands."""
    if is_missing_marker(text.replace("\u00a0", " ")):
        return ParsedText(math.nan, marker=True)
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if decimal_comma:
        s = s.translate(_SWAP_SEPARATORS)
    if s.lower() in MISSING_TEXT:
        return ParsedText(math.nan)
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1]
    m = _NUMBER.match(s)
    if not m or not any(ch.isdigit() for ch in m.group("num")):
        return ParsedText(math.nan, bad=True)
    value = float(m.group("num").replace(",", ""))
    if "-" in (m.group("neg1"), m.group("neg2")) or "−" in (m.group("neg1"), m.group("neg2")):
        negative = not negative
    suffix = (m.group("suffix") or "").lower()
    hint = None
    if m.group("cur"):
        currency = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}[m.group("cur")]
        if suffix in ("b", "bn"):
            hint = f"{currency} bn"
        elif suffix in ("m", "mm", "mn", "mln"):
            hint = f"{currency} mn"
        else:
            hint = currency
            value *= _SCALE.get(suffix, 1.0)
    else:
        value *= _SCALE.get(suffix, 1.0)
    if m.group("pct"):
        hint = "percent"
    return ParsedText(-value if negative else value, unit_hint=hint)


def factorize(cells: np.ndarray) -> tuple[list, np.ndarray]:
    """(distinct values in first-seen order, code per cell): one hash pass, no sorting."""
    import pandas as pd  # its hash table beats a Python dict loop ~10x on 100k+ cells

    codes, uniques = pd.factorize(cells)
    if len(codes) and codes.min() < 0:
        # None/NaN cells: keep them as values of their own. Only then, because pandas'
        # NA-keeping mode scans every cell for NA first (3x the cost on text columns).
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
    return list(uniques), np.asarray(codes, dtype=np.int64)


@dataclass(slots=True)
class NumericColumn:
    """A column read as numbers: ``values`` (NaN where absent), ``bad`` marks cells that
    held text that is not a number (to report), ``unit_hint`` from "$..bn"/"%" texts."""

    values: np.ndarray
    bad: np.ndarray
    numeric_count: int
    unit_hint: str | None = None
    decimal_comma: bool = False  # text cells were read with "," as the decimal mark
    markers: dict[str, int] = field(default_factory=dict)  # error/placeholder text -> cells


def numeric_block(block: np.ndarray) -> np.ndarray | None:
    """The whole 2-d object block as float64 columns (column-major, inf -> NaN) when every
    cell is a number or ``None``; else None and the caller converts column by column.

    Why: a desk export's data area is usually all numbers, and one cast of the block costs
    a third of 100 separate column casts (which also need a gather copy each)."""
    try:
        values = block.astype(np.float64, order="F")
    except (TypeError, ValueError):
        return None
    values[np.isinf(values)] = np.nan
    return values


def from_floats(values: np.ndarray) -> NumericColumn:
    """A column already cast by ``numeric_block``: nothing bad, no unit hint."""
    return NumericColumn(values, np.zeros(len(values), dtype=bool),
                         int(np.count_nonzero(~np.isnan(values))))


def to_numbers(cells: np.ndarray, prefer_decimal_comma: bool = False) -> NumericColumn:
    """Convert a 1-d object array of cells. Fast path when every cell is a number.
    ``prefer_decimal_comma`` breaks a tie between the two spellings (a ';'-separated
    file, where ``"1,234"`` most likely means 1.234)."""
    n = len(cells)
    try:
        values = cells.astype(np.float64)
    except (TypeError, ValueError):
        pass
    else:
        # bool/str-of-number casts succeed too, but those are rare in exports and fine.
        values[np.isinf(values)] = np.nan
        gaps = np.isnan(values)
        finite = int(n - np.count_nonzero(gaps))
        # "nan"/"inf" written as text cast too: count them as the slow path would
        markers = _count_markers(cells[gaps]) if finite < n else {}
        return NumericColumn(values, np.zeros(n, dtype=bool), finite, markers=markers)
    values = np.full(n, np.nan)
    bad = np.zeros(n, dtype=bool)
    kinds = np.fromiter(map(_KIND_BY_TYPE.get, map(type, cells), repeat(3)), dtype=np.int8, count=n)
    is_num = kinds == 1
    if is_num.any():
        values[is_num] = cells[is_num].astype(np.float64)
    bad |= kinds == 3  # dates/times/bools in a numeric column
    is_text = kinds == 2
    hints: dict[str, int] = {}
    markers: dict[str, int] = {}
    comma = False
    if is_text.any():
        uniq, inverse = factorize(cells[is_text])
        counts = np.bincount(inverse, minlength=len(uniq))
        parsed = [parse_number_text(t) for t in uniq]
        us_bad = sum(int(c) for p, c in zip(parsed, counts, strict=True) if p.bad)
        if us_bad or (prefer_decimal_comma and any("," in t for t in uniq)):
            euro = [parse_number_text(t, decimal_comma=True) for t in uniq]
            eu_bad = sum(int(c) for p, c in zip(euro, counts, strict=True) if p.bad)
            if eu_bad < us_bad or (prefer_decimal_comma and eu_bad == us_bad):
                parsed, comma = euro, True
        uvals = np.array([p.value for p in parsed])
        ubad = np.array([p.bad for p in parsed])
        values[is_text] = uvals[inverse]
        bad[np.flatnonzero(is_text)[ubad[inverse]]] = True
        for t, p, c in zip(uniq, parsed, counts, strict=True):
            if p.unit_hint:
                hints[p.unit_hint] = hints.get(p.unit_hint, 0) + int(c)
            if p.marker:
                markers[t.strip()] = markers.get(t.strip(), 0) + int(c)
    values[np.isinf(values)] = np.nan
    hint = max(hints, key=hints.__getitem__) if hints else None
    return NumericColumn(values, bad, int(np.count_nonzero(~np.isnan(values))), hint, comma,
                         markers)


def _count_markers(cells: np.ndarray) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in cells:
        if isinstance(x, str) and is_missing_marker(x):
            out[x.strip()] = out.get(x.strip(), 0) + 1
    return out


_KIND_BY_TYPE = {type(None): 0, float: 1, int: 1, np.float64: 1, str: 2, bool: 3}
"""Cell type -> 0 empty, 1 number, 2 text (blank text parses as missing), 3 other."""

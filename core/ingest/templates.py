"""Which template a file belongs to, from its name: the file stem with its export date
(``2025-07-29``, ``20250729``, ``29Jul2025``, ``Jul 29, 2025``, ``07-29-2025``, with a
time stamp after it if any) and the separator before it removed, so that
``desk_positioning_2025-07-22.xlsx`` and ``desk_positioning_2025-07-29.xlsx`` give the
same series ids ``desk_positioning:<sheet>:<column header>`` (INTERFACES.md).

Only whole dates count: ``FinFutYY_2024-01_to_2024-07`` names a span of months, not the
day an export was made, and keeps its stem. A stem that is nothing but a date keeps it
too (an empty template name would say nothing).

A browser or Explorer saves a re-downloaded export as ``desk_2025-07-29 (1)``,
``desk_2025-07-29(2)``, ``desk_2025-07-29 - Copy`` or ``desk_2025-07-29 copy``: that
suffix is the same export again, so it is dropped from the end of a dated stem before the
date is read. A stem with no date keeps it (``report (1)`` may be what the user named it).

``template_names`` adds the names users give templates and migrates ids saved before
templates existed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_MON = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_SEP = r"[-_. ]?"
_TIME = r"(?:[-_ T]?\d{2}[-_:.h]?\d{2}(?:[-_:.m]?\d{2}(?:[.,]\d+)?s?)?)?"
_PATTERNS = [
    re.compile(rf"(?<!\d)(?P<y>(?:19|20)\d{{2}})(?P<s>{_SEP})(?P<m>[01]\d)(?P=s)(?P<d>[0-3]\d){_TIME}(?!\d)"),
    re.compile(rf"(?<![\d])(?P<d>[0-3]?\d){_SEP}{_MON}{_SEP}(?P<y>(?:19|20)\d{{2}}|\d{{2}}){_TIME}(?![\da-z])",
               re.IGNORECASE),
    re.compile(rf"(?<![a-z]){_MON}{_SEP}(?P<d>[0-3]?\d),?{_SEP}(?P<y>(?:19|20)\d{{2}}){_TIME}(?!\d)",
               re.IGNORECASE),
    re.compile(rf"(?<!\d)(?P<a>[0-3]\d)(?P<s>[-_.])(?P<b>[0-3]\d)(?P=s)(?P<y>(?:19|20)\d{{2}}){_TIME}(?!\d)"),
]
_SEPARATORS = " _-.,"
# "(1)", "(2)" (up to three digits: "(2025)" is a year), " - Copy", " - Copy (3)", " copy",
# " copy 2" (macOS), at the very end of the stem.
_DOWNLOAD_DUPLICATE = re.compile(
    r"(?:\s*\(\d{1,3}\)|\s*-\s*copy(?:\s*\(\d{1,3}\))?|\s+copy(?:\s+\d{1,3})?)$", re.IGNORECASE)


@dataclass(frozen=True)
class TemplateName:
    """A file stem read as ``name`` + export ``date`` (None when the stem has no date)."""

    name: str
    date: dt.date | None


def split_stem(stem: str) -> TemplateName:
    """``desk_positioning_2025-07-29`` -> ("desk_positioning", 2025-07-29). The last date
    in the stem counts (exports put it last; a report's own year may come earlier).
    ``desk_positioning_2025-07-29 (1)`` gives the same: a download duplicate's suffix goes."""
    original = _strip_download_duplicate(stem)
    if original != stem:
        split = _split_dated(original)
        if split.date is not None:
            return split
    return _split_dated(stem)


def _strip_download_duplicate(stem: str) -> str:
    """``x (1) - Copy`` -> ``x``: every duplicate suffix at the end, however many."""
    while (m := _DOWNLOAD_DUPLICATE.search(stem)) and m.start() > 0:
        stem = stem[:m.start()]
    return stem


def _split_dated(stem: str) -> TemplateName:
    best: tuple[int, int, dt.date] | None = None
    for pattern in _PATTERNS:
        for m in pattern.finditer(stem):
            day = _date_of(m)
            if day is not None and (best is None or m.start() > best[0]):
                best = (m.start(), m.end(), day)
    if best is None:
        return TemplateName(stem, None)
    start, end, day = best
    head, tail = stem[:start].rstrip(_SEPARATORS), stem[end:]
    if head[-1:] in "([" and tail[:1] in ")]":  # "desk (2025-07-29)": the brackets go too
        head, tail = head[:-1].rstrip(_SEPARATORS), tail[1:]
    name = (head + tail) if head else tail.lstrip(_SEPARATORS)
    if not name.strip(_SEPARATORS):
        return TemplateName(stem, None)
    return TemplateName(name, day)


def template_of(stem: str) -> str:
    """The first part of the series ids of a file with this stem."""
    return split_stem(stem).name


def _date_of(m: re.Match) -> dt.date | None:
    g = m.groupdict()
    try:
        year = int(g["y"])
        if year < 100:
            year += 2000
        if g.get("mon"):
            return dt.date(year, _MONTHS[g["mon"].lower()[:3]], int(g["d"]))
        if g.get("a"):
            a, b = int(g["a"]), int(g["b"])
            month, day = (a, b) if a <= 12 else (b, a)  # US first, day-first when it must be
            return dt.date(year, month, day)
        return dt.date(year, int(g["m"]), int(g["d"]))
    except ValueError:
        return None

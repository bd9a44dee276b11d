"""Cells -> calendar dates, column at a time.

Handles real Excel dates (``datetime.date``/``datetime.datetime`` from the reader),
Excel serial numbers (only where the caller allows: a number is not a date unless the
header or the user says so), ISO text, slashed numeric text whose day/month order is
decided per column, ``15-Jul-25``, ``Sep 20, 2024``, ``28-Aug-2023 12:53:25.937`` and
YYMMDD numbers (CFTC). Text is parsed once per distinct string.

Day/month order for slashed dates (``1/5/2024``): any first field > 12 means D/M/Y, any
second field > 12 means M/D/Y; when the values cannot tell, the US order is assumed and
the caller warns. ``DateColumn.order`` says what was decided and why.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from core.ingest.numbers import factorize

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_MS_PER_DAY = 86_400_000
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_TIME = r"(?:[ T](?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:\.(?P<fr>\d{1,6}))?)?\s*(?P<ap>[AaPp][Mm])?)?"
_ISO = re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME + r"(?:Z|[+-]\d{2}:?\d{2})?$")
_SLASH = re.compile(r"^(?P<a>\d{1,2})[/.-](?P<b>\d{1,2})[/.-](?P<y>\d{4}|\d{2})" + _TIME + "$")
_DMONY = re.compile(r"^(?P<d>\d{1,2})[- ](?P<mon>[A-Za-z]{3,9})\.?[- ,]+(?P<y>\d{4}|\d{2})" + _TIME + "$")
_MONDY = re.compile(r"^(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})" + _TIME + "$")
_YMD8 = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})$")

DATE_HEADER = re.compile(r"date|time|day|as of|period|^dt$|^as_of", re.IGNORECASE)
"""Header words that make a number column acceptable as Excel serial dates."""


@dataclass
class DateColumn:
    """``days``: datetime64[D], NaT where the cell is not a date. ``stamps_ms``: the full
    timestamp (for ordering intraday rows) or None when no cell carried a time.
    ``order``: the day/month order used for slashed text (MDY/DMY/YMD) or None.
    ``order_assumed``: True when the values could not tell and US order was assumed.
    ``order_given``: True when the order came from the caller (the user's sheet mapping
    or its saved template), not from the values.
    ``order_conflict``: cells that contradict the decided order (mixed D/M and M/D)."""

    days: np.ndarray
    stamps_ms: np.ndarray | None = None
    order: str | None = None
    order_assumed: bool = False
    order_conflict: list[int] = field(default_factory=list)
    ambiguous_rows: np.ndarray | None = None
    order_given: bool = False

    @property
    def is_date(self) -> np.ndarray:
        return ~np.isnat(self.days)


def _year(y: str) -> int:
    yi = int(y)
    if len(y) == 2:  # Python's %y pivot: 00-68 -> 20xx, 69-99 -> 19xx
        yi += 2000 if yi < 69 else 1900
    return yi


def _ms(m: re.Match) -> int:
    if not m.group("hh"):
        return 0
    hh = int(m.group("hh"))
    ap = (m.group("ap") or "").lower()
    if ap == "pm" and hh < 12:
        hh += 12
    elif ap == "am" and hh == 12:
        hh = 0
    ss = int(m.group("ss") or 0)
    fr = int((m.group("fr") or "0").ljust(3, "0")[:3])
    return ((hh * 60 + int(m.group("mi"))) * 60 + ss) * 1000 + fr


def _make(y: int, mo: int, d: int) -> int | None:
    """Days since the epoch, or None if not a valid calendar date."""
    try:
        return (dt.date(y, mo, d) - dt.date(1970, 1, 1)).days
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class _TextDate:
    """A parsed text: ``days``/``ms`` when unambiguous, ``slash`` = (a, b, y) otherwise."""

    days: int | None = None
    ms: int = 0
    slash: tuple[int, int, int] | None = None
    dotted: bool = False  # "02.01.2024": the European D.M.Y spelling


def parse_date_text(text: str) -> _TextDate | None:
    s = text.strip()
    if not s or len(s) > 40:
        return None
    if m := _ISO.match(s):
        days = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        return None if days is None else _TextDate(days, _ms(m))
    if m := _SLASH.match(s):
        return _TextDate(ms=_ms(m), slash=(int(m["a"]), int(m["b"]), _year(m["y"])),
                         dotted=s[m.end("a")] == ".")
    for rx in (_DMONY, _MONDY):
        if m := rx.match(s):
            mon = _MONTHS.get(m["mon"][:3].lower())
            if mon is None or (len(m["mon"]) > 3 and not _is_month_name(m["mon"])):
                return None
            days = _make(_year(m["y"]), mon, int(m["d"]))
            return None if days is None else _TextDate(days, _ms(m))
    if m := _YMD8.match(s):
        days = _make(int(m["y"]), int(m["m"]), int(m["d"]))
        return None if days is None else _TextDate(days)
    return None


_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "sept")


def _is_month_name(word: str) -> bool:
    w = word.lower().rstrip(".")
    return any(full.startswith(w) for full in _FULL_MONTHS)


def decide_order(slashes: list[tuple[int, int, int]], dotted: bool = False) -> tuple[str, bool]:
    """(order, assumed) for slashed dates: the values decide; else D.M.Y when every
    date is written with dots (the European convention: nobody writes 01.02.2024 for
    January 2nd); else US order, assumed."""
    first_big = any(a > 12 for a, _, _ in slashes)
    second_big = any(b > 12 for _, b, _ in slashes)
    if first_big and not second_big:
        return "DMY", False
    if second_big:
        return "MDY", False
    if all(a == b for a, b, _ in slashes):
        return "MDY", False  # 3/3/2024 reads the same either way
    if dotted:
        return "DMY", False
    return "MDY", True


def parse_dates(cells: np.ndarray, *, allow_serial: bool = False, yymmdd: bool = False,
                order: str | None = None) -> DateColumn:
    """Read a 1-d object array of cells as dates. ``order`` forces MDY/DMY/YMD."""
    if len(cells) >= _REPEATS_MIN_CELLS and _mostly_repeats(cells):
        # A long layout repeats each date once per ticker and field: read each distinct
        # cell once -- when they are dates, datetimes and text only (1 == 1.0 == True
        # would merge; a merged pair shows up as a number or bool among the distinct).
        codes, uniq = _distinct(cells)
        if set(map(type, uniq)) <= _REPEAT_SAFE_TYPES:
            inner = _parse_dates(uniq, allow_serial=allow_serial, yymmdd=yymmdd, order=order)
            return _expanded(inner, codes)
    return _parse_dates(cells, allow_serial=allow_serial, yymmdd=yymmdd, order=order)


_REPEATS_MIN_CELLS = 20_000
_REPEATS_SAMPLE = 2_000
_REPEAT_SAFE_TYPES = frozenset({dt.date, dt.datetime, str})


def _mostly_repeats(cells: np.ndarray) -> bool:
    """A sample of the data end (the top holds titles and headers) repeats its cells."""
    head = cells[-_REPEATS_SAMPLE:]
    return set(map(type, head)) <= _REPEAT_SAFE_TYPES and len(set(head)) * 4 <= len(head)


def _distinct(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code per cell, the distinct cells as an object array)."""
    uniques, codes = factorize(cells)
    out = np.empty(len(uniques), dtype=object)
    out[:] = uniques
    return codes, out


def _expanded(inner: DateColumn, codes: np.ndarray) -> DateColumn:
    """``inner`` read on the distinct cells, spread back over every cell."""
    conflict = np.flatnonzero(np.isin(codes, inner.order_conflict)).tolist() \
        if inner.order_conflict else []
    return DateColumn(inner.days[codes],
                      None if inner.stamps_ms is None else inner.stamps_ms[codes],
                      inner.order, inner.order_assumed, conflict,
                      None if inner.ambiguous_rows is None else inner.ambiguous_rows[codes],
                      inner.order_given)


def _parse_dates(cells: np.ndarray, *, allow_serial: bool, yymmdd: bool,
                 order: str | None) -> DateColumn:
    n = len(cells)
    days = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)  # NaT
    ms = np.zeros(n, dtype=np.int64)
    # Known types by a dict lookup per cell (no Python call); the rare others resolved after.
    kinds = np.fromiter(map(_KIND_BY_TYPE.get, map(type, cells), repeat(-1)), dtype=np.int8, count=n)
    unknown = np.flatnonzero(kinds < 0)
    if len(unknown):
        kinds[unknown] = [_kind_of_type(type(cells[i])) for i in unknown]
    if (kinds == 2).any():  # NaN floats are empty, not numbers
        nums = kinds == 2
        nan = np.zeros(n, dtype=bool)
        nan[nums] = np.isnan(cells[nums].astype(np.float64))
        kinds[nan] = 0

    is_dt = (kinds == 1) | (kinds == 4)
    if is_dt.any():
        # toordinal per object is ~30x faster than numpy's object -> datetime64 cast
        days[is_dt] = np.fromiter(map(_ORDINAL, cells[is_dt]), dtype=np.int64) - _ORDINAL_1970
        with_time = kinds == 4
        if with_time.any():
            ms[with_time] = np.fromiter(map(_time_ms, cells[with_time]), dtype=np.int64)

    is_num = kinds == 2
    if is_num.any() and (allow_serial or yymmdd):
        nums = cells[is_num].astype(np.float64)
        if yymmdd:
            got = _from_yymmdd(nums)
            days[is_num] = got
        else:
            ok = (nums >= 1) & (nums < 2_958_466)
            whole = np.floor(np.where(ok, nums, 0.0))  # no int cast of 1e20 or NaN
            got = np.where(ok, whole.astype(np.int64) + EXCEL_EPOCH.astype(np.int64), days[is_num])
            days[is_num] = got
            frac = np.where(ok, np.round((nums - whole) * _MS_PER_DAY), 0).astype(np.int64)
            ms[is_num] = frac

    out_order: str | None = None
    assumed = given = False
    conflict: list[int] = []
    ambiguous = None
    is_text = kinds == 3
    if is_text.any():
        idx = np.flatnonzero(is_text)
        uniq, inverse = factorize(cells[is_text])
        parsed = [parse_date_text(t) for t in uniq]
        if yymmdd:
            parsed = [p if p is not None else _yymmdd_text(t) for p, t in zip(parsed, uniq, strict=True)]
        slashed = [p for p in parsed if p is not None and p.slash is not None]
        slashes = [p.slash for p in slashed]
        if slashes:
            if order in ("MDY", "DMY"):
                out_order, given = order, True
            else:
                out_order, assumed = decide_order(slashes, dotted=all(p.dotted for p in slashed))
        udays = np.full(len(uniq), np.iinfo(np.int64).min, dtype=np.int64)
        ums = np.zeros(len(uniq), dtype=np.int64)
        uconflict = np.zeros(len(uniq), dtype=bool)
        uambig = np.zeros(len(uniq), dtype=bool)
        for k, p in enumerate(parsed):
            if p is None:
                continue
            ums[k] = p.ms
            if p.slash is None:
                udays[k] = p.days
                continue
            a, b, y = p.slash
            first, second = (b, a) if out_order == "DMY" else (a, b)
            got = _make(y, first, second)
            if got is None:
                # Contradicts the column's order (e.g. 25/12/2024 in an M/D/Y column):
                # read it the only way it can be read, and let the caller report it.
                got = _make(y, second, first)
                uconflict[k] = got is not None
            uambig[k] = a <= 12 and b <= 12 and a != b
            if got is not None:
                udays[k] = got
        days[idx] = udays[inverse]
        ms[idx] = ums[inverse]
        conflict = idx[uconflict[inverse]].tolist()
        ambiguous = np.zeros(n, dtype=bool)
        ambiguous[idx] = uambig[inverse]

    result = days.view("datetime64[D]")
    has_time = bool(np.any(ms[~np.isnat(result)] != 0))
    stamps = days * _MS_PER_DAY + ms if has_time else None
    return DateColumn(result, stamps, out_order, assumed, conflict, ambiguous, given)


def _from_yymmdd(nums: np.ndarray) -> np.ndarray:
    out = np.full(len(nums), np.iinfo(np.int64).min, dtype=np.int64)
    for i, v in enumerate(nums):
        if v == v and v >= 0:
            got = _yymmdd_text(f"{int(v):06d}")
            if got is not None and got.days is not None:
                out[i] = got.days
    return out


def _yymmdd_text(text: str) -> _TextDate | None:
    s = text.strip()
    if len(s) == 5 and s.isdigit():  # years 2000-2009 lose the leading zero as numbers
        s = "0" + s
    if len(s) != 6 or not s.isdigit():
        return None
    days = _make(_year(s[:2]), int(s[2:4]), int(s[4:]))
    return None if days is None else _TextDate(days)


_KIND_BY_TYPE = {dt.date: 1, dt.datetime: 4, float: 2, int: 2, str: 3}
_ORDINAL = operator.methodcaller("toordinal")
_ORDINAL_1970 = dt.date(1970, 1, 1).toordinal()


def _time_ms(stamp: dt.datetime) -> int:
    return ((stamp.hour * 60 + stamp.minute) * 60 + stamp.second) * 1000 + stamp.microsecond // 1000


def _kind_of_type(t: type) -> int:
    """0 other/empty, 1 date, 4 datetime, 2 number, 3 text (blank text parses to NaT)."""
    k = _KIND_BY_TYPE.get(t)
    if k is None:
        k = 4 if issubclass(t, dt.datetime) else 1 if issubclass(t, dt.date) else (2 if issubclass(t, (int, float)) and t is not bool else 0)
        _KIND_BY_TYPE[t] = k
    return k

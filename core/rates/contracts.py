"""Which month a fed funds futures contract delivers, read from header text.

Desk exports head contract columns with CME/Bloomberg tickers (``FFN5``, ``FFQ25``,
``ZQU24``, ``FFQ5 Comdty``) or with month names (``FF Jul-25``, ``Jul 2025``,
``2025-07``). Generic tickers (``FF1 Comdty``) name no month and give None.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np

MONTH_CODES = "FGHJKMNQUVXZ"  # CME delivery-month letters, January .. December

_TICKER = re.compile(
    r"(?<![A-Za-z0-9])(?:FF|ZQ)([FGHJKMNQUVXZ])(\d{4}|\d{2}|\d)(?![0-9])", re.IGNORECASE
)

_MONTH_NAMES = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_NAME_ALTERNATION = "|".join(sorted(_MONTH_NAMES, key=len, reverse=True))
_MONTH_NAME = re.compile(
    rf"(?<![A-Za-z])({_NAME_ALTERNATION})(?![A-Za-z])\.?[\s\-/']*(\d{{4}}|\d{{2}})(?![0-9])",
    re.IGNORECASE,
)
# "2025-07" or "2025/07" but not a full date such as "2025-07-15".
_ISO_MONTH = re.compile(r"(?<![0-9])((?:19|20)\d{2})[-/](0[1-9]|1[0-2])(?![-/]?[0-9])")

# Words that show a header belongs to fed funds futures even without a ticker.
_FF_CONTEXT = re.compile(
    r"fed[\s_\-]*funds?|(?<![A-Za-z0-9])(?:FF|ZQ)(?![A-Za-z])", re.IGNORECASE
)


def parse_contract_month(
    text: str | None, reference_date: np.datetime64 | str | _dt.date | None = None
) -> tuple[int, int] | None:
    """``(year, month)`` of the contract named in ``text``, or None.

    A one-digit year (``FFQ5``) is resolved to the decade that puts the year nearest the
    reference date (default today); ties go forward, because futures trade ahead of
    their delivery month. Two-digit years are 20xx.
    """
    if not text:
        return None
    ticker = _TICKER.search(text)
    if ticker:
        month = MONTH_CODES.index(ticker.group(1).upper()) + 1
        return _resolve_year(ticker.group(2), reference_date), month
    named = _MONTH_NAME.search(text)
    if named:
        month = _MONTH_NAMES[named.group(1).lower()]
        return _resolve_year(named.group(2), reference_date), month
    iso = _ISO_MONTH.search(text)
    if iso:
        return int(iso.group(1)), int(iso.group(2))
    return None


def has_ticker(text: str | None) -> bool:
    """True when the text carries an FF/ZQ ticker with a month code (``FFQ5``)."""
    return bool(text and _TICKER.search(text))


def mentions_fed_funds(text: str | None) -> bool:
    """True when the text says fed funds (``Fed Funds``, ``FF Jul-25``, ``ZQ``)."""
    return bool(text and _FF_CONTEXT.search(text))


def contract_label(month: tuple[int, int]) -> str:
    """Ticker-style name of a contract month: ``(2015, 8) -> "FFQ15"``."""
    year, mon = month
    return f"FF{MONTH_CODES[mon - 1]}{year % 100:02d}"


def month_name(month: tuple[int, int]) -> str:
    """Readable month: ``(2015, 8) -> "Aug 2015"``."""
    return _dt.date(month[0], month[1], 1).strftime("%b %Y")


def _resolve_year(digits: str, reference_date: np.datetime64 | str | _dt.date | None) -> int:
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 2:
        return 2000 + int(digits)
    ref_year = _reference_year(reference_date)
    digit = int(digits)
    base = ref_year - ref_year % 10 + digit
    candidates = (base - 10, base, base + 10)
    # Nearest to the reference year; on a tie (5 years either way) the later one.
    return min(candidates, key=lambda y: (abs(y - ref_year), -y))


def _reference_year(reference_date: np.datetime64 | str | _dt.date | None) -> int:
    if reference_date is None:
        return _dt.date.today().year
    day = np.datetime64(reference_date, "D")
    return int(str(day)[:4])

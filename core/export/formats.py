"""Cell values and Excel number formats for each kind of figure.

Choices (also written on the workbook's definitions sheet):
- ``pct`` figures (return_pct, vol_ann_pct, ...) are computed in percent units
  (26.1 means +26.1%). In the workbook they are stored as Excel percentages
  (0.261, format ``0.0%``), so a recipient's formulas work (``=1+C3``) and
  the display matches the app. A − B of a percent figure is the difference in
  percentage points, stored the same way (0.032 shows as +3.2%).
- ``date`` figures arrive as float days since 1970-01-01 and are written as real
  Excel dates (``yyyy-mm-dd``); their A − B is not meaningful and is omitted.
- ``value`` figures take the series' unit: USD bn as ``#,##0.0 "bn"``, contracts
  as whole numbers, prices with up to four decimals (fed funds futures quote
  99.8675), anything else with two decimals.
- ``z`` two decimals, ``percentile`` and ``count`` whole numbers.
- A − B columns use signed formats (+/−) of the same kind.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

EPOCH = dt.date(1970, 1, 1)
DATE_FORMAT = "yyyy-mm-dd"
PCT_FORMAT = "0.0%"
Z_FORMAT = "0.00"
WHOLE_FORMAT = "#,##0"
PERCENTILE_FORMAT = "0"

_FIXED_FORMATS = {
    "pct": PCT_FORMAT,
    "date": DATE_FORMAT,
    "z": Z_FORMAT,
    "percentile": PERCENTILE_FORMAT,
    "count": WHOLE_FORMAT,
}


def value_format(unit: str) -> str:
    """Number format of a level/change in the series' own unit."""
    u = unit.strip().lower()
    if u.endswith("bn") or " bn" in u or "billion" in u:
        return '#,##0.0 "bn"'
    if "contract" in u:
        return WHOLE_FORMAT
    if "price" in u:
        return "#,##0.00##"
    if u in {"usd", "$"} or u.startswith("usd "):
        return WHOLE_FORMAT
    return "#,##0.00"


def number_format(fmt: str, unit: str, *, diff: bool = False) -> str:
    """Excel number format for a figure of kind ``fmt`` (A/B column, or A − B if ``diff``)."""
    base = value_format(unit) if fmt == "value" else _FIXED_FORMATS.get(fmt, "#,##0.00")
    if diff and fmt != "date":
        return signed(base)
    return base


def signed(base: str) -> str:
    """``+x;-x;x`` version of a format, so differences show their sign."""
    return f"+{base};-{base};{base}"


def cell_value(fmt: str, value: float) -> float | dt.date | None:
    """What to store in the cell for a figure value (None for null)."""
    if value is None or not math.isfinite(value):
        return None
    if fmt == "pct":
        return value / 100.0
    if fmt == "date":
        return EPOCH + dt.timedelta(days=round(value))
    return float(value)


def display_width(fmt: str, unit: str, value: float | dt.date | None) -> int:
    """Rough number of characters Excel shows for the value (for column widths)."""
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if fmt == "pct":
        return len(f"{value * 100:+,.1f}%")
    if fmt in ("percentile", "count"):
        return len(f"{value:+,.0f}")
    suffix = 3 if value_format(unit).endswith('"bn"') and fmt == "value" else 0
    return len(f"{value:+,.2f}") + suffix


def iso_date(day: object) -> str:
    """``YYYY-MM-DD`` of a ``datetime64``/``date``."""
    return str(np.datetime64(day, "D"))


def window_text(window: object) -> str:
    """``2025-04-08 to 2025-07-31`` for a window with ``start``/``end``."""
    return f"{iso_date(window.start)} to {iso_date(window.end)}"  # type: ignore[attr-defined]

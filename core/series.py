"""The series model: dated observations of one quantity from one source column.

Dates are ``datetime64[D]`` (calendar dates, no time zone), strictly increasing and
unique; values are float64 (NaN allowed only where a source cell was blank and the
loader chose to keep the date). Everything downstream (catalog, window engine, views)
relies on those invariants, so ``Series.__post_init__`` checks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np


class Frequency(str, Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    TWICE_MONTHLY = "twice_monthly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    IRREGULAR = "irregular"

    @property
    def periods_per_year(self) -> float | None:
        """Annualisation factor of DOMAIN.md (vol_ann_pct); None when irregular."""
        return _PERIODS_PER_YEAR[self]


_PERIODS_PER_YEAR = {
    Frequency.DAILY: 252.0,
    Frequency.WEEKLY: 52.0,
    Frequency.TWICE_MONTHLY: 24.0,
    Frequency.MONTHLY: 12.0,
    Frequency.QUARTERLY: 4.0,
    Frequency.IRREGULAR: None,
}


def infer_frequency(dates: np.ndarray) -> Frequency:
    """Frequency from the median spacing of observation dates (calendar days)."""
    if len(dates) < 3:
        return Frequency.IRREGULAR
    gaps = np.diff(dates.astype("datetime64[D]").astype(np.int64))
    med = float(np.median(gaps))
    if med <= 4:
        return Frequency.DAILY
    if 6 <= med <= 8:
        return Frequency.WEEKLY
    if 13 <= med <= 17:
        return Frequency.TWICE_MONTHLY
    if 27 <= med <= 32:
        return Frequency.MONTHLY
    if 85 <= med <= 95:
        return Frequency.QUARTERLY
    return Frequency.IRREGULAR


@dataclass(frozen=True, slots=True)
class SeriesSource:
    """Where a series came from. ``column`` is the header text (or CFTC field)."""

    file: str
    sheet: str | None
    column: str | None

    def to_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "column": self.column}


@dataclass(frozen=True, slots=True)
class PublicationLag:
    """How long after its as-of date an observation became known.

    CFTC positions: as of Tuesday, published Friday -> ``days=3``.
    Short interest: about 8 business days after settlement -> ``business_days=8``.
    """

    days: int = 0
    business_days: int = 0

    def apply(self, dates: np.ndarray) -> np.ndarray:
        out = dates.astype("datetime64[D]")
        if self.days:
            out = out + np.timedelta64(self.days, "D")
        if self.business_days:
            out = np.busday_offset(out, self.business_days, roll="forward")
        return out


@dataclass(eq=False)
class Series:
    """One named, dated series. ``kind`` is a role hint used to pick sensible defaults:
    ``price``, ``short_interest``, ``positioning``, ``open_interest``, ``ff_future``,
    ``rate``, ``probability`` or ``other``."""

    id: str
    name: str
    unit: str
    frequency: Frequency
    source: SeriesSource
    dates: np.ndarray
    values: np.ndarray
    kind: str = "other"
    publication_lag: PublicationLag | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dates = np.asarray(self.dates).astype("datetime64[D]")
        self.values = np.asarray(self.values, dtype=np.float64)
        if self.dates.shape != self.values.shape or self.dates.ndim != 1:
            raise ValueError(f"{self.id}: dates and values must be 1-d of equal length")
        if len(self.dates) > 1 and not np.all(np.diff(self.dates.astype(np.int64)) > 0):
            raise ValueError(f"{self.id}: dates must be strictly increasing and unique")
        if np.isinf(self.values).any():
            raise ValueError(f"{self.id}: values must be finite or NaN")
        self.dates.flags.writeable = False
        self.values.flags.writeable = False

    def __len__(self) -> int:
        return len(self.dates)

    @property
    def first_date(self) -> np.datetime64 | None:
        return self.dates[0] if len(self.dates) else None

    @property
    def last_date(self) -> np.datetime64 | None:
        return self.dates[-1] if len(self.dates) else None

    def publication_dates(self) -> np.ndarray:
        """Dates at which each observation became known (as-of dates if no lag)."""
        if self.publication_lag is None:
            return self.dates
        return self.publication_lag.apply(self.dates)

    def describe(self) -> dict:
        """The JSON shape of ``main.py series`` / report ``series`` entries."""
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "frequency": self.frequency.value,
            "source": self.source.to_dict(),
            "first_date": _iso(self.first_date),
            "last_date": _iso(self.last_date),
            "count": int(len(self)),
        }


def _iso(d: np.datetime64 | None) -> str | None:
    return None if d is None else str(d.astype("datetime64[D]"))

"""Building fed funds futures series by hand, the way ingestion would hand them over."""

from __future__ import annotations

import numpy as np

from core.series import Frequency, Series, SeriesSource


def contract(
    column: str,
    prices: dict[str, float] | float,
    *,
    file: str = "desk_export.xlsx",
    sheet: str | None = "FF futures",
    kind: str = "price",
    name: str | None = None,
    day: str = "2015-09-01",
) -> Series:
    """One contract column; ``prices`` is {date: price} or one price on ``day``."""
    if not isinstance(prices, dict):
        prices = {day: prices}
    dates = np.array(sorted(prices), dtype="datetime64[D]")
    values = np.array([prices[str(d)] for d in dates], dtype=np.float64)
    return Series(
        id=f"{file}:{column}",
        name=name or column,
        unit="price",
        frequency=Frequency.DAILY,
        source=SeriesSource(file, sheet, column),
        dates=dates,
        values=values,
        kind=kind,
    )

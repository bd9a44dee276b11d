"""Real ZQ contract files (one contract per file, Date/Close columns), read with openpyxl.

Only March, September and December 2024 contracts exist, so no meeting can be priced by
the FedWatch method (it needs adjacent months); the curve builder and the honesty of the
result (null meetings naming the missing months, no crash) are what is checked.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from core.rates import (
    fedwatch,
    fedwatch_history,
    futures_curve_from_series,
    load_fomc_calendar,
    load_target_ranges,
)
from core.series import Frequency, Series, SeriesSource

pytestmark = pytest.mark.realdata


def _file_series(path) -> list[Series]:
    """What an ingestion layer would produce: one series per numeric column."""
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["Sheet1"].iter_rows(values_only=True))
    book.close()
    header, body = rows[0], rows[1:]
    dates = np.array([r[0].date() for r in body], dtype="datetime64[D]")
    out = []
    for col in ("Open", "High", "Low", "Close", "Volume", "OpenInterest"):
        j = header.index(col)
        values = np.array([r[j] for r in body], dtype=np.float64)
        source = SeriesSource(str(path), "Sheet1", col)
        out.append(Series(f"{path.stem}:{col}", f"{path.stem} {col}", "price",
                          Frequency.DAILY, source, dates, values))  # fmt: skip
    return out


def test_real_zq_files_build_a_three_contract_curve(real_data):
    files = [real_data / "rates_fed" / f"ZQ{m}24.xlsx" for m in "HUZ"]
    if not all(f.exists() for f in files):
        pytest.skip("ZQ contract files not present")
    series = [s for f in files for s in _file_series(f)]
    curve = futures_curve_from_series(series)
    assert curve.months == [(2024, 3), (2024, 9), (2024, 12)]
    assert curve.messages == []
    assert [i.split(":")[1] for i in curve.source_ids] == ["Close"] * 3
    assert str(curve.dates[0]) == "2020-09-21" and str(curve.dates[-1]) == "2023-09-15"
    assert len(curve.dates) == 753
    last = curve.quotes_at("2023-09-15")
    assert [last[m].price for m in curve.months] == [94.595, 95.055, 95.39]
    assert not any(q.stale for q in last.values())
    implied = 100.0 - curve.prices
    assert np.nanmin(implied) >= -0.1 and np.nanmax(implied) <= 6.0
    # September 2023: the range was 5.25-5.50 and the curve priced cuts by December 2024.
    assert last[(2024, 12)].implied_rate < 5.25 < last[(2024, 3)].implied_rate + 0.25

    calendar, ranges = load_fomc_calendar(), load_target_ranges()
    result = fedwatch(curve, calendar, ranges, "2023-09-15")
    assert result.current_range == (5.25, 5.50)
    assert result.meetings and not any(m.priced for m in result.meetings)
    notes = " ".join(m.text for m in result.messages)
    assert "FFQ24 (Aug 2024)" in notes and "FFK24 (May 2024)" in notes
    for odds in result.meetings:
        for p in (odds.p_cut, odds.p_hold, odds.p_hike, odds.p_lower_than_now):
            assert p is None or 0.0 <= p <= 1.0
    assert fedwatch_history(curve, calendar, ranges) == []

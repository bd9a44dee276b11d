"""Small in-memory desk: three index closes, two positioning series, short interest.

Random walks with a fixed seed; the tests compare the GUI with the engine, so the
numbers only need to be realistic in shape, not in level.
"""

from __future__ import annotations

import numpy as np

from core.catalog import LoadResult
from core.series import Frequency, Series, SeriesSource


def _walk(rng: np.random.Generator, n: int, start: float, vol: float) -> np.ndarray:
    return start * np.exp(np.cumsum(rng.normal(0.0003, vol, n)))


def desk_result(file: str = "synthetic.xlsx", seed: int = 7, years: int = 6) -> LoadResult:
    rng = np.random.default_rng(seed)
    days = np.arange(np.datetime64("2019-01-01"), np.datetime64("2019-01-01") + 365 * years,
                     dtype="datetime64[D]")
    bdays = days[np.is_busday(days)]
    weekly = days[(days.astype(np.int64) + 3) % 7 == 2][: 52 * years]  # Tuesdays
    semi = np.array(sorted({np.datetime64(f"{y}-{m:02d}-15") for y in range(2019, 2019 + years)
                            for m in range(1, 13)}), dtype="datetime64[D]")

    def ser(sid, name, unit, freq, sheet, dates, values, kind):
        return Series(sid, name, unit, freq, SeriesSource(file, sheet, name), dates, values, kind)

    series = [
        ser("RTY", "Russell 2000", "index points", Frequency.DAILY, "Prices", bdays,
            _walk(rng, len(bdays), 1500, 0.013), "price"),
        ser("SPX", "S&P 500", "index points", Frequency.DAILY, "Prices", bdays,
            _walk(rng, len(bdays), 2500, 0.010), "price"),
        ser("NDX", "Nasdaq-100", "index points", Frequency.DAILY, "Prices", bdays,
            _walk(rng, len(bdays), 6500, 0.012), "price"),
        ser("pos:RTY", "Lev funds net RTY % OI", "% of open interest", Frequency.WEEKLY,
            "Positioning", weekly, np.cumsum(rng.normal(0, 1.0, len(weekly))) - 5, "positioning"),
        ser("pos:NDX", "Lev funds net NDX % OI", "% of open interest", Frequency.WEEKLY,
            "Positioning", weekly, np.cumsum(rng.normal(0, 1.0, len(weekly))), "positioning"),
        ser("si:RTY", "Russell 2000 short interest", "USD bn", Frequency.TWICE_MONTHLY,
            "Short interest", semi, 12 + np.cumsum(rng.normal(0, 0.3, len(semi))),
            "short_interest"),
    ]
    return LoadResult(file=file, series=series)

"""Hand-built window-engine results and series for the export tests.

The tables are the engine's own result classes, filled with hand-picked numbers (not
computed by any Gapwatch code), so the tests can say exactly what each cell must hold.
"""

from __future__ import annotations

import numpy as np

from core.analytics.figures import FIGURE_NAMES
from core.analytics.results import Comparison, FigureTable, RelativeResult
from core.analytics.window import Window
from core.series import Frequency, Series, SeriesSource

HOSTILE_NAME = '=HYPERLINK("http://x","y")'
WINDOW_A = Window(np.datetime64("2025-04-08"), np.datetime64("2025-07-31"))
WINDOW_B = Window(np.datetime64("2024-04-08"), np.datetime64("2024-07-31"))
SERIES_IDS = ("RTY", "SI", "NET")


def day(iso: str) -> float:
    """Float days since 1970-01-01, as the engine stores date figures."""
    return float(np.datetime64(iso, "D").astype(np.int64))


# Figures not listed are null (NaN).
A_FIGURES = {
    "RTY": {"end_value": 2211.6, "end_date": day("2025-07-31"), "return_pct": 26.1,
            "zscore": 1.25, "percentile": 95.0, "count": 80.0},
    "SI": {"end_value": 16.0, "end_date": day("2025-07-15"), "zscore": 2.5,
           "percentile": 100.0, "count": 8.0},
    "NET": {"end_value": -41250.0, "end_date": day("2025-07-29"), "zscore": -1.75,
            "percentile": 5.0, "count": 17.0},
}
B_FIGURES = {
    "RTY": {"end_value": 2254.5, "end_date": day("2024-07-31"), "return_pct": 10.2,
            "zscore": 0.1, "percentile": 10.0, "count": 81.0},
    "SI": {"end_value": 11.5, "end_date": day("2024-07-15"), "zscore": 0.5,
           "percentile": 50.0, "count": 8.0},
    "NET": {"end_value": -20000.0, "end_date": day("2024-07-30"), "zscore": -0.5,
            "percentile": 40.0, "count": 17.0},
}


def figure_matrix(figures: dict[str, dict[str, float]], ids: tuple[str, ...]) -> np.ndarray:
    out = np.full((len(ids), len(FIGURE_NAMES)), np.nan)
    for i, sid in enumerate(ids):
        for name, value in figures[sid].items():
            out[i, FIGURE_NAMES.index(name)] = value
    return out


def make_comparison() -> Comparison:
    a = FigureTable(WINDOW_A, SERIES_IDS, figure_matrix(A_FIGURES, SERIES_IDS))
    b = FigureTable(WINDOW_B, SERIES_IDS, figure_matrix(B_FIGURES, SERIES_IDS))
    return Comparison.of(a, b)


def make_shuffled_b_comparison() -> Comparison:
    """B's rows in another order than A's: the export must match rows by id."""
    b_ids = ("SI", "RTY", "NET")
    a = FigureTable(WINDOW_A, SERIES_IDS, figure_matrix(A_FIGURES, SERIES_IDS))
    b = FigureTable(WINDOW_B, b_ids, figure_matrix(B_FIGURES, b_ids))
    return Comparison(a, b, None)


def make_a_only() -> Comparison:
    a = FigureTable(WINDOW_A, SERIES_IDS, figure_matrix(A_FIGURES, SERIES_IDS))
    return Comparison.of(a, None)


def make_relative() -> list[RelativeResult]:
    dates = np.array(
        ["2025-04-08", "2025-04-09", "2025-04-10", "2025-04-11"], dtype="datetime64[D]"
    )
    line = np.array([100.0, 101.0, 102.5, 103.5])
    return [RelativeResult("RTY", "SI", WINDOW_A, 3.5, dates, line)]


def make_series() -> dict[str, Series]:
    days = np.arange(np.datetime64("2025-04-01"), np.datetime64("2025-08-06"))
    busdays = days[np.is_busday(days)]
    rty = Series(
        id="RTY",
        name="Russell 2000",
        unit="index points",
        frequency=Frequency.DAILY,
        source=SeriesSource("closes.xlsx", "Closes", "RTY"),
        dates=busdays,
        values=1800.0 + np.arange(len(busdays), dtype=np.float64),
        kind="price",
    )
    si = Series(
        id="SI",
        name=HOSTILE_NAME,
        unit="USD bn",
        frequency=Frequency.TWICE_MONTHLY,
        source=SeriesSource("=cmd|' /C calc'!A0.xlsx", "@SUM(1)", "+Short interest"),
        dates=np.array(
            ["2025-03-31", "2025-04-15", "2025-04-30", "2025-05-15", "2025-07-15"],
            dtype="datetime64[D]",
        ),
        values=np.array([14.0, 12.0, 15.0, 13.5, 16.0]),
        kind="short_interest",
    )
    net = Series(
        id="NET",
        name="Lev funds net RTY",
        unit="contracts",
        frequency=Frequency.WEEKLY,
        source=SeriesSource("cot.csv", None, "Lev_Money"),
        dates=np.array(["2025-04-08", "2025-04-15", "2025-07-29"], dtype="datetime64[D]"),
        values=np.array([-10000.0, 5000.0, -41250.0]),
        kind="positioning",
    )
    return {s.id: s for s in (rty, si, net)}

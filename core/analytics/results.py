"""Result objects of the window engine: plain arrays plus JSON conversion."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from core.analytics.figures import DATE_FIGURES, FIGURE_INDEX, FIGURE_NAMES
from core.analytics.window import Window

_DATE_COLUMNS = np.array([name in DATE_FIGURES for name in FIGURE_NAMES])


def day_to_iso(day: float) -> str | None:
    """Days since 1970-01-01 (float, NaN = null) as YYYY-MM-DD."""
    if day is None or not math.isfinite(day):
        return None
    return str(np.datetime64(int(day), "D"))


def json_number(value: float) -> float | int | None:
    """A JSON-safe number: NaN/inf become None."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)


@dataclass(frozen=True, eq=False)
class FigureTable:
    """Every figure of one window for every series.

    ``values[i, k]`` is figure ``figure_names[k]`` of ``series_ids[i]``: float64, NaN
    where the figure does not apply; date figures as days since 1970-01-01.
    """

    window: Window
    series_ids: tuple[str, ...]
    values: np.ndarray
    figure_names: tuple[str, ...] = FIGURE_NAMES
    _row: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._row:  # the engine passes one shared id -> row map for all its tables
            self._row.update({sid: i for i, sid in enumerate(self.series_ids)})
        self.values.flags.writeable = False

    def row(self, series_id: str) -> np.ndarray:
        return self.values[self._row[series_id]]

    def value(self, series_id: str, figure: str) -> float | np.datetime64 | None:
        """One figure: a float, a ``datetime64[D]`` for date figures, or None (null)."""
        v = float(self.values[self._row[series_id], FIGURE_INDEX[figure]])
        if not math.isfinite(v):
            return None
        if figure in DATE_FIGURES:
            return np.datetime64(int(v), "D")
        return v

    def number(self, series_id: str, figure: str) -> float:
        """One figure as a float, NaN where it does not apply or the series is not in
        the table (what charts and rebase factors need)."""
        i = self._row.get(series_id)
        return math.nan if i is None else float(self.values[i, FIGURE_INDEX[figure]])

    def series_dict(self, series_id: str) -> dict:
        """``{figure: number | "YYYY-MM-DD" | None}`` for one series."""
        row = self.values[self._row[series_id]]
        out: dict = {}
        for k, name in enumerate(self.figure_names):
            v = float(row[k])
            if name in DATE_FIGURES:
                out[name] = day_to_iso(v)
            elif name == "count":
                out[name] = int(v) if math.isfinite(v) else None
            else:
                out[name] = json_number(v)
        return out

    def to_json(self) -> dict:
        return {sid: self.series_dict(sid) for sid in self.series_ids}


@dataclass(frozen=True, eq=False)
class Comparison:
    """Window A, optional window B, and ``diff`` = A − B for numeric figures (NaN for dates)."""

    a: FigureTable
    b: FigureTable | None
    diff: FigureTable | None

    @staticmethod
    def of(a: FigureTable, b: FigureTable | None) -> Comparison:
        if b is None:
            return Comparison(a, None, None)
        diff = a.values - b.values
        diff[:, _DATE_COLUMNS] = np.nan
        return Comparison(a, b, FigureTable(a.window, a.series_ids, diff, _row=a._row))


@dataclass(frozen=True, eq=False)
class RelativeResult:
    """Relative performance of ``a_id`` over ``b_id`` in ``window``.

    ``relative_pct`` = 100 × ((1 + ra) / (1 + rb) − 1) from the two window returns (null
    when either is). ``line`` is a/b rebased to 100 at its first date, each series taken
    as of each date (its last observation on or before it).
    """

    a_id: str
    b_id: str
    window: Window
    relative_pct: float | None
    dates: np.ndarray
    line: np.ndarray

    def to_json(self) -> dict:
        return {
            "a": self.a_id,
            "b": self.b_id,
            "window": self.window.to_dict(),
            "relative_pct": json_number(self.relative_pct),
        }


@dataclass(frozen=True, eq=False)
class GapResult:
    """Positioning gap z_tech − z_small at the window end, and the whole gap series.

    ``date``/``gap``: the last gap observation in the window (None when none);
    ``percentile``: 100 × share of gap values up to then that are ≤ it; ``is_record``:
    it is ≥ every earlier value (needs one earlier value). ``dates``/``values`` are the
    whole gap series (read-only, for plotting); ``lo:hi`` slices the window's part.
    """

    small_id: str
    tech_id: str
    window: Window
    date: np.datetime64 | None
    gap: float | None
    percentile: float | None
    is_record: bool | None
    dates: np.ndarray
    values: np.ndarray
    lo: int
    hi: int

    def to_json(self) -> dict:
        return {
            "small": self.small_id,
            "tech": self.tech_id,
            "window": self.window.to_dict(),
            "date": None if self.date is None else str(self.date),
            "gap": json_number(self.gap),
            "percentile": json_number(self.percentile),
            "is_record": self.is_record,
            "observations": int(len(self.values)),
        }

"""Native Excel line charts over a "Chart data" sheet.

The charts reference cells on "Chart data" (they do not embed numbers), so the
recipient can restyle, extend or re-point them in Excel. Each chart's data is one
block of columns: dates in the first, one column per line; series of different
frequencies share the union of their dates, with blank cells where a series has no
observation (the chart spans the gaps rather than dropping to zero).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import DateAxis
from openpyxl.worksheet.worksheet import Worksheet

from core.export.cells import ColumnWidths, clean_text, put_number, put_text
from core.export.contracts import WindowLike
from core.export.formats import DATE_FORMAT

DATA_FIRST_ROW = 2  # row 1 holds the headers
LINE_FORMAT = "0.00"
CHART_ROWS = 20  # vertical spacing of stacked charts on the Charts sheet


@dataclass(frozen=True)
class ChartLine:
    """One line of a chart: a header (legend text) and dated values."""

    title: str
    dates: np.ndarray
    values: np.ndarray


@dataclass(frozen=True)
class ChartBlock:
    """Where one chart's data sits on the data sheet (1-based columns and rows)."""

    title: str
    y_title: str
    date_col: int
    first_value_col: int
    last_value_col: int
    last_row: int

    @property
    def next_free_col(self) -> int:
        return self.last_value_col + 2  # one blank column between blocks


def write_chart_data(
    ws: Worksheet, first_col: int, lines: Sequence[ChartLine], *, title: str, y_title: str
) -> ChartBlock | None:
    """Write the union-of-dates table for ``lines`` from ``first_col``; None if no data."""
    lines = [line for line in lines if len(line.dates)]
    if not lines:
        return None
    all_dates = np.unique(
        np.concatenate([np.asarray(ln.dates, dtype="datetime64[D]") for ln in lines])
    )
    grid = np.full((len(all_dates), len(lines)), np.nan)
    for j, line in enumerate(lines):
        rows = np.searchsorted(all_dates, np.asarray(line.dates, dtype="datetime64[D]"))
        grid[rows, j] = np.asarray(line.values, dtype=np.float64)

    widths = ColumnWidths(maximum=40)
    put_text(ws, 1, first_col, "Date", bold=True)
    widths.see(first_col, 10)
    for j, line in enumerate(lines):
        put_text(ws, 1, first_col + 1 + j, line.title, bold=True)
        widths.see_text(first_col + 1 + j, clean_text(line.title))
    for i, day in enumerate(all_dates.tolist()):  # datetime64[D] -> datetime.date
        row = DATA_FIRST_ROW + i
        put_number(ws, row, first_col, day, DATE_FORMAT)
        for j in range(len(lines)):
            put_number(ws, row, first_col + 1 + j, float(grid[i, j]), LINE_FORMAT)
    widths.apply(ws)
    return ChartBlock(
        title=title,
        y_title=y_title,
        date_col=first_col,
        first_value_col=first_col + 1,
        last_value_col=first_col + len(lines),
        last_row=DATA_FIRST_ROW + len(all_dates) - 1,
    )


def add_line_chart(
    chart_ws: Worksheet, data_ws: Worksheet, block: ChartBlock, anchor: str
) -> LineChart:
    """A line chart with a date axis whose series point at ``block`` on ``data_ws``."""
    chart = LineChart()
    chart.title = clean_text(block.title)
    chart.height = 9
    chart.width = 20
    chart.display_blanks = "span"
    chart.y_axis.title = block.y_title
    chart.y_axis.crossAx = 500
    chart.y_axis.number_format = LINE_FORMAT
    chart.y_axis.delete = False
    chart.x_axis = DateAxis(crossAx=100)
    chart.x_axis.axPos = "b"  # openpyxl's default puts the date axis on the left
    chart.x_axis.number_format = DATE_FORMAT
    chart.x_axis.title = "Date"
    chart.x_axis.delete = False
    values = Reference(
        data_ws,
        min_col=block.first_value_col,
        max_col=block.last_value_col,
        min_row=DATA_FIRST_ROW - 1,
        max_row=block.last_row,
    )
    chart.add_data(values, titles_from_data=True)
    chart.set_categories(
        Reference(data_ws, min_col=block.date_col, min_row=DATA_FIRST_ROW, max_row=block.last_row)
    )
    for series in chart.series:
        series.smooth = False
        series.marker.symbol = "none"
    chart_ws.add_chart(chart, anchor)
    return chart


def rebased_lines(
    observations: Mapping[str, tuple[np.ndarray, np.ndarray]], window: WindowLike
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{id: (dates, 100 × x / x_first)}`` over the window, for every rebasable series.

    Pass the observations the way the engine sees them (``engine.observations(id)``:
    publication-date alignment applied) to chart exactly what the app shows.
    """
    out = {}
    for sid, (dates, values) in observations.items():
        rebased = rebase_over_window(dates, values, window)
        if rebased is not None:
            out[sid] = rebased
    return out


def rebase_over_window(
    dates: np.ndarray, values: np.ndarray, window: WindowLike
) -> tuple[np.ndarray, np.ndarray] | None:
    """Observations in [start, end] as 100 × x / x_first (dates increasing).

    None when the window holds no observation or a value that is not positive:
    rebasing a series that is zero or negative anywhere in the window means nothing
    (as for return_pct), so such series are left off the chart. NaN values are dropped.
    """
    dates = np.asarray(dates).astype("datetime64[D]")
    values = np.asarray(values, dtype=np.float64)
    start = np.datetime64(window.start, "D")
    end = np.datetime64(window.end, "D")
    lo = int(np.searchsorted(dates, start, side="left"))
    hi = int(np.searchsorted(dates, end, side="right"))
    dates, values = dates[lo:hi], values[lo:hi]
    keep = np.isfinite(values)
    dates, values = dates[keep], values[keep]
    if len(values) == 0 or not np.all(values > 0):
        return None
    return dates, 100.0 * values / values[0]

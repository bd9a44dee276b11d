"""The "A vs B" sheet: one row per series, figure columns for A, B and A − B.

Layout: row 1 holds the group headers ("Window A: 2025-04-08 to 2025-07-31", ...)
merged over their columns, row 2 the figure labels, data from row 3. Columns A–C
are series name, id and unit; panes are frozen at D3 so both stay in view.
Percentile columns of A and B are coloured: >= 90 light red, <= 10 light blue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.export.cells import CENTRE, HEADER_FILL, ColumnWidths, put_number, put_text
from core.export.contracts import ComparisonLike, FigureSpecLike, FigureTableLike
from core.export.formats import cell_value, display_width, number_format, window_text
from core.series import Series

GROUP_ROW = 1
LABEL_ROW = 2
FIRST_DATA_ROW = 3
FIRST_FIGURE_COL = 4  # D: after name, id, unit
HIGH_PERCENTILE = 90
LOW_PERCENTILE = 10
HIGH_FILL = PatternFill("solid", start_color="F8CBAD", end_color="F8CBAD")
LOW_FILL = PatternFill("solid", start_color="BDD7EE", end_color="BDD7EE")


@dataclass(frozen=True)
class _Block:
    """A group of figure columns drawn from one matrix."""

    title: str
    rows: dict[str, int]  # series id -> row in ``values``
    names: tuple[str, ...]  # figure names of ``values`` columns
    values: np.ndarray
    specs: tuple[FigureSpecLike, ...]  # the figures to show, in order
    diff: bool


def write_figures_sheet(
    ws: Worksheet,
    comparison: ComparisonLike,
    series_by_id: Mapping[str, Series],
    specs: Sequence[FigureSpecLike],
) -> None:
    """Fill ``ws`` with the figures table of one window pair.

    Columns follow ``specs`` (order and selection); figures the table lacks are skipped.
    """
    a = comparison.a
    specs = tuple(s for s in specs if s.name in a.figure_names)
    blocks = [_table_block(f"Window A: {window_text(a.window)}", a, specs)]
    if comparison.b is not None:
        b_title = f"Window B: {window_text(comparison.b.window)}"
        blocks.append(_table_block(b_title, comparison.b, specs))
        if comparison.diff is not None:
            blocks.append(_diff_block(comparison.diff, a, specs))

    widths = ColumnWidths()
    for col, label in enumerate(("Series", "ID", "Unit"), start=1):
        cell = put_text(ws, LABEL_ROW, col, label, bold=True)
        cell.fill = HEADER_FILL
        widths.see_text(col, label)
    for row, sid in enumerate(a.series_ids, start=FIRST_DATA_ROW):
        series = series_by_id.get(sid)
        name = series.name if series is not None else sid
        unit = series.unit if series is not None else ""
        for col, text in enumerate((name, sid, unit), start=1):
            widths.see_text(col, put_text(ws, row, col, text).value)

    last_row = FIRST_DATA_ROW + len(a.series_ids) - 1
    col = FIRST_FIGURE_COL
    for block in blocks:
        first_col = col
        for spec in block.specs:
            _write_figure_column(ws, col, block, spec, a.series_ids, series_by_id, widths)
            if spec.fmt == "percentile" and not block.diff and last_row >= FIRST_DATA_ROW:
                _colour_percentiles(ws, col, last_row)
            col += 1
        if col > first_col:
            header = put_text(ws, GROUP_ROW, first_col, block.title, bold=True)
            header.alignment = CENTRE
            header.fill = HEADER_FILL
            if col - 1 > first_col:
                ws.merge_cells(
                    start_row=GROUP_ROW,
                    start_column=first_col,
                    end_row=GROUP_ROW,
                    end_column=col - 1,
                )

    widths.apply(ws)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=FIRST_FIGURE_COL)


def _table_block(title: str, table: FigureTableLike, specs: tuple[FigureSpecLike, ...]) -> _Block:
    return _Block(
        title=title,
        rows={sid: i for i, sid in enumerate(table.series_ids)},
        names=tuple(table.figure_names),
        values=np.asarray(table.values, dtype=np.float64),
        specs=specs,
        diff=False,
    )


def _diff_block(
    diff: FigureTableLike | np.ndarray, a: FigureTableLike, specs: tuple[FigureSpecLike, ...]
) -> _Block:
    """A − B: a table of its own (engine) or a bare matrix shaped like A's values."""
    table = diff if hasattr(diff, "values") and hasattr(diff, "series_ids") else None
    source = table if table is not None else a
    return _Block(
        title="A − B",
        rows={sid: i for i, sid in enumerate(source.series_ids)},
        names=tuple(source.figure_names),
        values=np.asarray(table.values if table is not None else diff, dtype=np.float64),
        specs=tuple(s for s in specs if s.fmt != "date"),
        diff=True,
    )


def _write_figure_column(
    ws: Worksheet,
    col: int,
    block: _Block,
    spec: FigureSpecLike,
    series_ids: Sequence[str],
    series_by_id: Mapping[str, Series],
    widths: ColumnWidths,
) -> None:
    label = put_text(ws, LABEL_ROW, col, spec.label, bold=True)
    label.fill = HEADER_FILL
    label.alignment = CENTRE
    widths.see_text(col, spec.label)
    fig_col = block.names.index(spec.name) if spec.name in block.names else None
    for row, sid in enumerate(series_ids, start=FIRST_DATA_ROW):
        src_row = block.rows.get(sid)
        missing = src_row is None or fig_col is None
        raw = np.nan if missing else float(block.values[src_row, fig_col])
        series = series_by_id.get(sid)
        unit = series.unit if series is not None else ""
        value = cell_value(spec.fmt, raw)
        put_number(ws, row, col, value, number_format(spec.fmt, unit, diff=block.diff))
        widths.see(col, display_width(spec.fmt, unit, value))


def _colour_percentiles(ws: Worksheet, col: int, last_row: int) -> None:
    letter = get_column_letter(col)
    cells = f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}"
    high = CellIsRule(operator="greaterThanOrEqual", formula=[str(HIGH_PERCENTILE)], fill=HIGH_FILL)
    low = CellIsRule(operator="lessThanOrEqual", formula=[str(LOW_PERCENTILE)], fill=LOW_FILL)
    ws.conditional_formatting.add(cells, high)
    ws.conditional_formatting.add(cells, low)

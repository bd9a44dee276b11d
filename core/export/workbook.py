"""The statistics workbook: figures per window pair, desk note, definitions, charts.

``write_stats_workbook`` builds the whole workbook in memory and saves it through
``core.atomic.atomic_path``: the target file is replaced in one step or not at all.
Sheets, in order:
- "A vs B" (or "Window A" when there is no window B), one per window pair;
- "Desk note": one sentence per row;
- "Definitions & provenance": windows, lookback, alignment, files, series, figures;
- "Charts": native line charts (rebased series over window A, each relative line);
- "Chart data": the cells those charts reference.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.atomic import atomic_path, refuse_overwrite
from core.export.charts import (
    ChartBlock,
    ChartLine,
    add_line_chart,
    rebased_lines,
    write_chart_data,
)
from core.export.contracts import ComparisonLike, FigureSpecLike, RelativeLike
from core.export.figures_sheet import write_figures_sheet
from core.export.formats import window_text
from core.export.text_sheets import write_definitions_sheet, write_note_sheet
from core.series import Series

NOTE_SHEET = "Desk note"
DEFINITIONS_SHEET = "Definitions & provenance"
CHARTS_SHEET = "Charts"
CHART_DATA_SHEET = "Chart data"
REBASED_Y_TITLE = "Rebased (window start = 100)"
CHART_SPACING_ROWS = 20

Rebased = Mapping[str, tuple[np.ndarray, np.ndarray]]


def write_stats_workbook(
    path: str | os.PathLike[str],
    *,
    comparison: ComparisonLike | Sequence[ComparisonLike],
    series_by_id: Mapping[str, Series],
    note: Sequence[str] = (),
    relative: Sequence[RelativeLike] = (),
    rebased: Rebased | None = None,
    provenance: Mapping[str, object] | None = None,
    figure_specs: Sequence[FigureSpecLike] | None = None,
    force: bool = False,
) -> Path:
    """Write the .xlsx to ``path`` atomically and return it.

    ``comparison`` is one window pair or several (a sheet each). ``rebased`` maps a
    series id to (dates, values rebased to 100) over window A (see
    ``core.export.rebased_lines``); when None it is computed from the as-of dates in
    ``series_by_id`` for the series of the first pair (positive series only).
    ``figure_specs`` picks and orders the figure columns (default: all of
    ``core.analytics.figures.FIGURE_SPECS``). Raises FileExistsError if ``path``
    exists and not ``force``; the file is replaced atomically or not at all.
    """
    target = Path(path)
    refuse_overwrite(target, force)
    comparisons = _as_list(comparison)
    if not comparisons:
        raise ValueError("write_stats_workbook needs at least one comparison")
    specs = tuple(figure_specs) if figure_specs is not None else _default_specs()

    wb = Workbook()
    wb.remove(wb.active)
    for i, pair in enumerate(comparisons):
        base = "A vs B" if pair.b is not None else "Window A"
        ws = wb.create_sheet(base if i == 0 else f"{base} ({i + 1})")
        write_figures_sheet(ws, pair, series_by_id, specs)

    first = comparisons[0]
    windows = f"A: {window_text(first.a.window)}" + (
        f"; B: {window_text(first.b.window)}" if first.b is not None else ""
    )
    write_note_sheet(wb.create_sheet(NOTE_SHEET), note, windows)
    write_definitions_sheet(
        wb.create_sheet(DEFINITIONS_SHEET),
        comparisons,
        series_by_id,
        specs,
        provenance or {},
        dt.datetime.now().astimezone(),
    )

    charts_ws = wb.create_sheet(CHARTS_SHEET)
    data_ws = wb.create_sheet(CHART_DATA_SHEET)
    blocks = _write_all_chart_data(data_ws, first, series_by_id, relative, rebased)
    for k, block in enumerate(blocks):
        add_line_chart(charts_ws, data_ws, block, f"B{2 + k * CHART_SPACING_ROWS}")
    if not blocks:
        charts_ws["A1"] = "No chartable data: no positive series in window A and no relative lines."

    with atomic_path(target) as temp:
        wb.save(temp)
    return target


def _write_all_chart_data(
    data_ws: Worksheet,
    first: ComparisonLike,
    series_by_id: Mapping[str, Series],
    relative: Sequence[RelativeLike],
    rebased: Rebased | None,
) -> list[ChartBlock]:
    if rebased is None:
        rebased = _rebase_table_series(first, series_by_id)
    blocks: list[ChartBlock] = []
    col = 1
    lines = [
        ChartLine(_name(series_by_id, sid), np.asarray(d), np.asarray(v))
        for sid, (d, v) in rebased.items()
    ]
    block = write_chart_data(
        data_ws,
        col,
        lines,
        title=f"Rebased to 100 at the start of window A ({window_text(first.a.window)})",
        y_title=REBASED_Y_TITLE,
    )
    if block is not None:
        blocks.append(block)
        col = block.next_free_col
    for rel in relative:
        a_name, b_name = _name(series_by_id, rel.a_id), _name(series_by_id, rel.b_id)
        pct = np.nan if rel.relative_pct is None else float(rel.relative_pct)
        pct_text = f"{pct:+.1f}%" if np.isfinite(pct) else "n/a"
        block = write_chart_data(
            data_ws,
            col,
            [ChartLine(f"{a_name} / {b_name}", np.asarray(rel.dates), np.asarray(rel.line))],
            title=f"{a_name} relative to {b_name}: {pct_text}",
            y_title=REBASED_Y_TITLE,
        )
        if block is not None:
            blocks.append(block)
            col = block.next_free_col
    return blocks


def _rebase_table_series(first: ComparisonLike, series_by_id: Mapping[str, Series]) -> dict:
    observations = {
        sid: (series_by_id[sid].dates, series_by_id[sid].values)
        for sid in first.a.series_ids
        if sid in series_by_id
    }
    return rebased_lines(observations, first.a.window)


def _name(series_by_id: Mapping[str, Series], sid: str) -> str:
    series = series_by_id.get(sid)
    return series.name if series is not None else sid


def _as_list(comparison: ComparisonLike | Sequence[ComparisonLike]) -> list[ComparisonLike]:
    if isinstance(comparison, Sequence):
        return list(comparison)
    return [comparison]


def _default_specs() -> tuple[FigureSpecLike, ...]:
    # Imported here so core.export loads even while the engine is being written.
    from core.analytics.figures import FIGURE_SPECS

    return tuple(FIGURE_SPECS)

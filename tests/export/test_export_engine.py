"""End to end with the real window engine: every figure cell is the engine's number."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from export_samples import make_series
from openpyxl import load_workbook

from core.analytics import FIGURE_SPECS, Window, WindowEngine
from core.export import rebased_lines, write_stats_workbook

WINDOW_A = Window(np.datetime64("2025-06-02"), np.datetime64("2025-07-31"))
WINDOW_B = Window(np.datetime64("2025-04-01"), np.datetime64("2025-05-30"))


def _expected_cell(fmt: str, value: float) -> object:
    """The documented storage rule: percent as a fraction, dates as dates, null blank."""
    if not math.isfinite(value):
        return None
    if fmt == "pct":
        return pytest.approx(value / 100)
    if fmt == "date":
        return dt.datetime(1970, 1, 1) + dt.timedelta(days=int(value))
    return pytest.approx(value)


def test_workbook_matches_engine_tables(tmp_path) -> None:
    series = make_series()
    engine = WindowEngine(list(series.values()), lookback_years=3.0)
    comparison = engine.compare(WINDOW_A, WINDOW_B)
    # SI is twice monthly: the relative line lives on its dates (4 in this span)
    relative = [engine.relative("RTY", "SI", Window(WINDOW_B.start, WINDOW_A.end))]
    rebased = rebased_lines({sid: engine.observations(sid) for sid in engine.series_ids}, WINDOW_A)
    path = write_stats_workbook(
        tmp_path / "engine.xlsx",
        comparison=comparison,
        series_by_id=series,
        note=[],
        relative=relative,
        rebased=rebased,
        provenance={"lookback": "3 years", "alignment": engine.alignment},
    )
    wb = load_workbook(path)
    ws = wb["A vs B"]
    n = len(FIGURE_SPECS)
    non_date = [s for s in FIGURE_SPECS if s.fmt != "date"]
    checked = 0
    for i, sid in enumerate(comparison.a.series_ids):
        row = 3 + i
        assert ws.cell(row, 2).value == sid
        for k, spec in enumerate(FIGURE_SPECS):
            j = comparison.a.figure_names.index(spec.name)
            assert ws.cell(row, 4 + k).value == _expected_cell(spec.fmt, comparison.a.values[i, j])
            assert ws.cell(row, 4 + n + k).value == _expected_cell(
                spec.fmt, comparison.b.values[i, j]
            )
            checked += 2
        for k, spec in enumerate(non_date):
            j = comparison.a.figure_names.index(spec.name)
            assert ws.cell(row, 4 + 2 * n + k).value == _expected_cell(
                spec.fmt, comparison.diff.values[i, j]
            )
    assert checked == 2 * n * 3

    # RTY rebased over A: the first RTY close in A (2025-06-02) is 100
    data = wb["Chart data"]
    assert data["A2"].value == dt.datetime(2025, 6, 2)
    assert data["B2"].value == pytest.approx(100.0)
    rty_dates, rty_values = engine.observations("RTY")
    in_a = (rty_dates >= WINDOW_A.start) & (rty_dates <= WINDOW_A.end)
    assert data["B3"].value == pytest.approx(100 * rty_values[in_a][1] / rty_values[in_a][0])

    # the relative line's column holds the engine's line, and the title its figure
    rel = relative[0]
    rel_chart = wb["Charts"]._charts[-1]
    ref = rel_chart.series[0].val.numRef.f  # e.g. 'Chart data'!$F$2:$F$43
    col_letter = ref.split("!")[1].split(":")[0].strip("$").split("$")[0]
    column = [c.value for c in data[col_letter][1 : 1 + len(rel.line)]]
    expected = [None if not math.isfinite(v) else pytest.approx(v) for v in rel.line]
    assert column == expected
    assert len(rel.line) == 4
    assert rel_chart.title is not None

"""While A is dragged the rebased price chart holds a y-range that always shows all of
its data but changes rarely (each change costs new axis ticks); release refits it."""

from __future__ import annotations

import numpy as np
from conftest import settle

from gui.qt_dates import day_to_seconds


def _visible_extremes(row) -> tuple[float, float]:
    x0, x1 = row.visible_x()
    lo, hi = np.inf, -np.inf
    for curve in row.curves.values():
        x, y = curve.xData, curve.yData
        if x is None or not len(x):
            continue
        y = y[(x >= x0) & (x <= x1)] * curve.transform().m22()  # the rebase factor
        y = y[np.isfinite(y)]
        if len(y):
            lo, hi = min(lo, float(y.min())), max(hi, float(y.max()))
    return lo, hi


def test_held_range_shows_all_data_and_changes_rarely(desk_window):
    w = desk_window
    row = w.charts.rows["prices"]
    assert "prices" in w.charts.visible_rows and row.curves
    vb = row.plot.getViewBox()
    changes = []
    vb.sigYRangeChanged.connect(lambda *_: changes.append(1))
    first, last = w.session.data_span()
    starts = np.linspace(day_to_seconds(first) + 400 * 86400.0,
                         day_to_seconds(last) - 370 * 86400.0, 120)
    for x0 in starts:
        w.navigator.drag_region("A", x0, x0 + 365 * 86400.0)
        settle(w)
        lo, hi = _visible_extremes(row)
        y0, y1 = vb.viewRange()[1]
        assert y0 <= lo and hi <= y1, (lo, hi, y0, y1)
        assert row.y_held
    assert len(changes) < 0.1 * len(starts)  # sticky: most steps keep the range
    w.navigator.release_region("A")
    settle(w)
    assert not row.y_held  # auto-range again after the drag

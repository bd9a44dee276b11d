"""The navigator's value axis on a short strip: at 1280x720 the plot is ~45 px tall and
pyqtgraph put four labels there (1000/1500/2000/2500 for the Russell 2000), touching,
the top one cut by the plot's edge. Labels now stand two text lines apart and none
sticks out of the axis; taller plots get more of them."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QApplication
from test_gui_chart_fit import resize

from gui.panels.navigator_panel import LABEL_GAP_LINES, SparseValueAxis, next_step


def drawn_labels(axis: pg.AxisItem) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each value label the axis draws, in axis coordinates."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    if specs is None:
        return []
    return sorted((r.top(), r.bottom(), text) for r, _flags, text in specs[2])


def assert_clean(axis: pg.AxisItem) -> list[str]:
    labels = drawn_labels(axis)
    height = axis.geometry().height()
    line = QFontMetricsF(QApplication.font()).height()
    for top, bottom, text in labels:
        assert top >= -0.5 and bottom <= height + 0.5, (text, top, bottom, height)
    for (t0, _b0, a), (t1, _b1, b) in zip(labels, labels[1:], strict=False):
        assert t1 - t0 >= LABEL_GAP_LINES * line - 1, (a, b, t1 - t0)
    return [text for _t, _b, text in labels]


def strip(qtbot, height: int, axis: pg.AxisItem) -> pg.PlotWidget:
    """A plot like the navigator's: the Russell's 1000..2500 history, fixed y-range."""
    plot = pg.PlotWidget(axisItems={"left": axis})
    qtbot.addWidget(plot)
    plot.hideButtons()
    x = np.arange(1500, dtype=float)
    plot.plot(x, 1000 + x)
    plot.disableAutoRange(axis=pg.ViewBox.YAxis)
    plot.setYRange(1000.0, 2499.0)
    plot.resize(600, height)
    plot.show()
    qtbot.waitExposed(plot)
    for _ in range(5):  # resize, then the axis follows the view's new geometry
        QApplication.processEvents()
    return plot


def test_pyqtgraph_alone_crowds_a_short_axis(qtbot):
    """The fault as it was: four labels in a 45 px axis, one past its top."""
    plot = strip(qtbot, 75, pg.AxisItem("left"))
    axis = plot.getPlotItem().getAxis("left")
    labels = drawn_labels(axis)
    assert len(labels) == 4
    assert labels[0][0] < 0  # the top label runs above the axis, where it is cut
    with pytest.raises(AssertionError):
        assert_clean(axis)


@pytest.mark.parametrize(("height", "least"), [(75, 1), (120, 2), (220, 3)])
def test_sparse_axis_labels_are_apart_and_whole(qtbot, height, least):
    plot = strip(qtbot, height, SparseValueAxis("left"))
    shown = assert_clean(plot.getPlotItem().getAxis("left"))
    assert len(shown) >= least, shown
    assert all(float(t) % 500 == 0 for t in shown), shown  # 1-2-5 steps of the data


def test_next_step_climbs_the_one_two_five_ladder():
    assert [next_step(s) for s in (1.0, 2.0, 2.5, 5.0, 10.0, 0.2, 500.0)] == \
        pytest.approx([2.0, 5.0, 5.0, 10.0, 20.0, 0.5, 1000.0])


@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000)])
def test_navigator_in_the_window_is_clean(desk_window, size):
    w = desk_window
    resize(w, *size)
    axis = w.navigator.plot.getPlotItem().getAxis("left")
    assert isinstance(axis, SparseValueAxis)
    shown = assert_clean(axis)
    assert shown, "the navigator keeps at least one value for scale"

"""Chart shading of windows A/B (gui/widgets/window_shade.py): where it is drawn."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor

from gui.widgets.window_shade import EDGE_ALPHA, WindowShade


def test_band_and_edges_follow_the_window_and_cover_the_view(qapp):
    plot = pg.PlotItem()
    plot.setXRange(0, 100, padding=0)
    plot.setYRange(10, 20, padding=0)
    shade = WindowShade(plot, QColor("#d55e00"), fill_alpha=40)
    shade.setRegion((70.0, 30.0))  # either order, as pyqtgraph's region accepts
    assert shade.getRegion() == (30.0, 70.0)
    rect = shade.band.rect()
    assert (rect.left(), rect.right()) == (30.0, 70.0)
    assert rect.top() < 10 and rect.bottom() > 20  # no top/bottom edge inside the view
    assert [e.line().x1() for e in shade.edges] == [30.0, 70.0]
    assert shade.edges[0].pen().isCosmetic() and shade.edges[0].pen().color().alpha() == EDGE_ALPHA

    plot.setYRange(-500, 900, padding=0)  # the held y-range moved: the band follows
    rect = shade.band.rect()
    assert rect.top() < -500 and rect.bottom() > 900

    shade.set_fill_alpha(90)
    assert shade.fill_colour().alpha() == 90 and shade.fill_colour().red() == 0xD5
    shade.hide()
    assert not shade.isVisible() and not shade.band.isVisible()
    assert not any(e.isVisible() for e in shade.edges)
    shade.show()
    assert shade.band.isVisible()
    # the shading never widens the auto-range
    plot.enableAutoRange()
    shade.setRegion((-1e6, 1e6))
    plot.plot([0, 1, 2], [5, 6, 7])
    plot.getViewBox().updateAutoRange()
    x0, x1 = plot.getViewBox().viewRange()[0]
    assert x1 - x0 < 10

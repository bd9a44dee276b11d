"""The curve palette of a chart row is switched explicitly (``ChartRow.set_dark``), not
inferred from the title colour when ``set_title`` happens to run after it: whatever
the order of the theme's calls, the curves and the legend in the title agree."""

from __future__ import annotations

import re

import numpy as np
from conftest import settle
from PySide6.QtGui import QColor

from gui.theme import CURVE_COLORS, DARK, DARK_CURVE_COLORS, LIGHT
from gui.widgets.chart_row import ChartRow


def row_with_curves(qtbot, n: int = 3) -> ChartRow:
    row = ChartRow("levels", "Levels", "pts")
    qtbot.addWidget(row.widget)
    row.widget.resize(900, 200)
    x = np.arange(10, dtype=float) * 86400.0
    row.set_curves([(f"s{i}", f"series {i}", x, x / 86400.0 + i) for i in range(n)])
    return row


def pen_colours(row: ChartRow) -> list[str]:
    return [c.opts["pen"].color().name().upper() for c in row.curves.values()]


def legend_colours(row: ChartRow) -> list[str]:
    """The colours of the legend squares in the title's markup (the title is first)."""
    return [c.upper() for c in re.findall(r"color:(#[0-9a-fA-F]{6})", row._title_html)[1:]]


def test_set_dark_switches_curves_and_legend_whatever_the_title_colour(qtbot):
    row = row_with_curves(qtbot)
    assert pen_colours(row) == CURVE_COLORS[:3]
    # the dark palette without touching the title colour first (the old order dependence)
    row.set_dark(True)
    assert pen_colours(row) == DARK_CURVE_COLORS[:3]
    assert legend_colours(row) == DARK_CURVE_COLORS[:3]
    # a title set afterwards with any colour leaves the palette alone
    row.title_colour = LIGHT.foreground
    row.set_title("Levels again")
    assert pen_colours(row) == DARK_CURVE_COLORS[:3]
    row.set_dark(False)
    assert pen_colours(row) == CURVE_COLORS[:3]
    assert legend_colours(row) == CURVE_COLORS[:3]


def test_curves_replaced_after_the_switch_keep_the_palette(qtbot):
    row = row_with_curves(qtbot)
    row.set_dark(True)
    x = np.arange(5, dtype=float) * 86400.0
    row.set_curves([("a", "a", x, x), ("b", "b", x, x)])
    assert pen_colours(row) == DARK_CURVE_COLORS[:2]
    assert legend_colours(row) == DARK_CURVE_COLORS[:2]


def test_theme_switch_sets_every_row(desk_window):
    w = desk_window
    w.set_theme("dark")
    settle(w)
    rows = [w.charts.rows[k] for k in w.charts.visible_rows]
    assert rows and all(r.dark for r in rows)
    assert QColor(DARK.background).lightness() < 128
    for r in rows:
        assert set(pen_colours(r)) <= set(DARK_CURVE_COLORS)
        assert legend_colours(r) == pen_colours(r)
    w.set_theme("light")
    settle(w)
    assert not any(r.dark for r in rows)
    for r in rows:
        assert set(pen_colours(r)) <= set(CURVE_COLORS)
        assert legend_colours(r) == pen_colours(r)

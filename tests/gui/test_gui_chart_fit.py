"""What the pictures at 1280x720 showed: a chart title (which doubles as the legend) wider
than its plot widened the plot past its widget, hiding the latest dates on the right;
and the light palette's curves vanished on the dark theme's window shading."""

from __future__ import annotations

import pytest
from conftest import contrast, settle
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from gui.theme import COLOR_A, COLOR_B, DARK
from gui.widgets.chart_row import fit_cap

LONG = "Leveraged funds net position in Russell 2000 E-mini futures (% of open interest)"


def over(colour: QColor, alpha: int, background: QColor) -> QColor:
    """``colour`` at ``alpha`` painted over ``background``."""
    k = alpha / 255
    return QColor.fromRgbF(*(k * getattr(colour, ch)() + (1 - k) * getattr(background, ch)()
                             for ch in ("redF", "greenF", "blueF")))


def resize(window, w: int, h: int) -> None:
    window.resize(w, h)
    QApplication.processEvents()
    window.fit_docks()
    settle(window)


def test_fit_cap_cuts_long_names_to_one_length_and_keeps_short_ones():
    assert fit_cap([50, 80], 200) == float("inf")
    cap = fit_cap([40, 300, 500], 400)
    assert cap == pytest.approx(180)  # 40 + 180 + 180 = 400
    assert sum(min(w, cap) for w in (40, 300, 500)) == pytest.approx(400)
    assert fit_cap([100, 100], 0) == 0


@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000)])
def test_titles_fit_and_every_plot_stays_inside_its_widget(sample_window, size):
    w = sample_window
    resize(w, *size)
    charts = w.charts
    # the sample's positioning names make a title wider than a 1280 px window's plot
    for key in charts.visible_rows:
        row = charts.rows[key]
        assert row.plot.size().width() <= row.widget.width() + 0.5, key
        label = row.plot.titleLabel
        assert label.itemRect().width() <= row.plot.getViewBox().width() + 1, key
        # the tooltip keeps every full name
        for cid in row.curves:
            assert row.labels[cid] in label.toolTip(), (key, cid)
    # all rows end at the same right edge, so one date is one x on every row
    rights = {round(charts.rows[k].plot.getViewBox().sceneBoundingRect().right())
              for k in charts.visible_rows}
    assert len(rights) == 1
    ranges = {tuple(round(x) for x in charts.rows[k].plot.getViewBox().viewRange()[0])
              for k in charts.visible_rows}
    assert len(ranges) == 1


def test_a_title_with_long_names_is_cut_in_the_middle_and_grows_back(desk_window):
    w = desk_window
    resize(w, 1280, 720)
    row = w.charts.rows["positioning"]
    for cid in list(row.labels):
        row.labels[cid] = f"{LONG} [{cid}]"
    row.set_title(row.title)
    text = row.plot.titleLabel.item.toPlainText()
    assert "\u2026" in text
    assert "[pos:RTY]" in text and "[pos:NDX]" in text  # the ends that tell them apart
    assert row.plot.size().width() <= row.widget.width() + 0.5
    # a wide window shows the names whole again
    for cid in list(row.labels):
        row.labels[cid] = cid
    row.set_title(row.title)
    resize(w, 1900, 1000)
    assert row.plot.titleLabel.item.toPlainText().endswith("\u25a0 pos:RTY \u25a0 pos:NDX")


def test_dark_theme_curves_read_on_the_window_shading(desk_window):
    w = desk_window
    w.set_theme("dark")
    settle(w)
    bg = QColor(DARK.background)
    shaded = [over(COLOR_A, DARK.shade_alpha, bg), over(COLOR_B, DARK.shade_alpha, bg), bg]
    for key in w.charts.visible_rows:
        for cid, curve in w.charts.rows[key].curves.items():
            colour = curve.opts["pen"].color()
            for back in shaded:
                assert contrast(colour, back) >= 3, (key, cid, colour.name(), back.name())
    # back to light: the light palette again, readable on white
    w.set_theme("light")
    settle(w)
    for key in w.charts.visible_rows:
        for curve in w.charts.rows[key].curves.values():
            assert contrast(curve.opts["pen"].color(), QColor("#ffffff")) >= 3

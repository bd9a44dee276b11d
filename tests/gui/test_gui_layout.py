"""Layout at small and large sizes: chart rows keep a usable height and scroll, the user
hides rows from View > Charts (remembered), short axis titles, readable table headers and
names, a dark theme whose text has contrast, files fit every row."""

from __future__ import annotations

from conftest import contrast, settle
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from gui.widgets.chart_row import MIN_ROW_HEIGHT


def small(window, size=(1280, 720)):
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    QApplication.processEvents()
    window.fit_docks()
    settle(window)
    return window


def test_rows_keep_their_height_at_1280x720_and_the_stack_scrolls(sample_window):
    w = small(sample_window)
    charts = w.charts
    assert len(charts.visible_rows) >= 5
    for key in charts.visible_rows:
        assert charts.rows[key].widget.height() >= MIN_ROW_HEIGHT, key
    # the rows do not fit: the stack is taller than what shows, and a scroll bar offers it
    assert charts.splitter.height() > charts.scroll.viewport().height()
    assert charts.scroll.verticalScrollBar().maximum() > 0
    # the first four rows are the ones the desk reads first
    assert charts.visible_rows[:4] == ["prices", "relative", "positioning", "gap"]


def test_short_axis_titles_fit(sample_window):
    w = sample_window
    titles = {k: w.charts.rows[k].plot.getAxis("left").labelText for k in w.charts.visible_rows}
    assert titles["prices"] == titles["relative"] == "rebased"
    assert titles["positioning"] == "% OI"
    assert titles["gap"] == "\u03c3"
    assert titles["short_interest"] == "USD bn"
    assert titles["odds"] == "%"
    small(w)
    for key in titles:
        row = w.charts.rows[key]
        # the title runs along the axis: it must fit the plot's height to be read whole
        length = row.plot.getAxis("left").label.boundingRect().width()
        assert length <= row.plot.getViewBox().height(), key


def test_view_charts_hides_rows_and_remembers(sample_window, qtbot):
    from gui.main_window import MainWindow

    w = sample_window
    assert "short_interest" in w.charts.visible_rows
    act = w.chart_actions["short_interest"]
    assert act.isChecked()
    act.trigger()
    assert "short_interest" not in w.charts.visible_rows
    assert not w.charts.rows["short_interest"].widget.isVisible()
    # a new window (same settings folder) starts with the row hidden
    other = MainWindow(restore_layout=False)
    qtbot.addWidget(other)
    assert not other.chart_actions["short_interest"].isChecked()
    assert "short_interest" in other.charts.hidden_rows
    # and showing it again brings it back where it belongs, between gap and odds
    act.trigger()
    rows = w.charts.visible_rows
    assert rows.index("gap") < rows.index("short_interest") < rows.index("odds")


def test_charts_menu_greys_rows_without_data(desk_window):
    w = desk_window
    w.charts_menu.aboutToShow.emit()
    assert not w.chart_actions["gap"].isEnabled()   # the synthetic desk has no gap pair
    assert w.chart_actions["prices"].isEnabled()


def test_stats_headers_are_not_clipped(desk_window):
    view = desk_window.stats.view
    header = view.horizontalHeader()
    fm = header.fontMetrics()
    model = desk_window.stats.model
    for col in range(model.columnCount()):
        label = str(model.headerData(col, Qt.Orientation.Horizontal))
        assert view.columnWidth(col) >= fm.horizontalAdvance(label) + 16, label
    # and the widest usual figure fits a figure column
    widest = view.fontMetrics().horizontalAdvance("\u221212,345.67 pp")
    assert min(view.columnWidth(c) for c in range(2, model.columnCount())) > widest


def test_data_panel_elides_names_in_the_middle_with_full_tooltip(desk_window):
    tree = desk_window.data_panel.tree
    assert tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    items = [it for it in desk_window.data_panel._series_items()]
    by_name = {it.text(0): it for it in items}
    item = by_name["Russell 2000 short interest"]
    tip = item.toolTip(0)
    assert tip.startswith("Russell 2000 short interest (si:RTY)")
    assert "USD bn" in tip and "2019-01-15" in tip


def test_dark_theme_text_has_contrast(desk_window):
    w = desk_window
    w.set_theme("dark")
    settle(w)
    pal = w.stats.view.palette()
    d = w.stats.delegate
    assert contrast(d._text, pal.color(QPalette.ColorRole.Base)) >= 7
    assert contrast(d._text, d._alt.color()) >= 7
    assert contrast(QColor(w.navigator.curve.opts["pen"].color()), QColor("#1e1f22")) >= 4.5
    for colour in w.data_panel.level_colours.values():
        assert contrast(QColor(colour), pal.color(QPalette.ColorRole.Base)) >= 4.5
    for key in w.charts.visible_rows:
        assert w.charts.rows[key].title_colour == "#d8d8d8"
    w.set_theme("light")
    settle(w)
    assert contrast(w.stats.delegate._text, w.stats.delegate._alt.color()) >= 7


def test_file_rendering_fits_every_row(desk_window):
    from gui.panels.charts_panel import ChartsPanel
    from gui.session import Session

    session = Session()
    session.add_result(desk_window.session.results["synthetic.xlsx"])
    panel = ChartsPanel(session)
    try:
        panel.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        panel.resize(600, 300)
        panel.show()
        settle_panel()
        assert panel.fit_rows
        assert panel.scroll.verticalScrollBar().maximum() == 0
        bottom = max(panel.rows[k].widget.geometry().bottom() for k in panel.visible_rows)
        assert bottom <= panel.scroll.viewport().height()
    finally:
        panel.close()
        panel.deleteLater()
        session.deleteLater()


def settle_panel() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()

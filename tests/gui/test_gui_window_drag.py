"""Dragging window A: the table equals the engine's figures for the new window, B
follows A when locked, one drag is one undo entry, the arrow keys nudge."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import settle
from PySide6.QtCore import Qt

from gui.figure_format import format_figure
from gui.models.stats_table_model import RAW_ROLE
from gui.qt_dates import day_to_seconds


def drag_a(window, start: str, end: str, *, finish: bool = True) -> None:
    nav = window.navigator
    nav.drag_region("A", day_to_seconds(np.datetime64(start)), day_to_seconds(np.datetime64(end)))
    if finish:
        nav.release_region("A")
    settle(window)


def test_table_cells_equal_engine_figures_after_drag(desk_window):
    from core.analytics.figures import SPEC_BY_NAME
    from core.analytics.window import Window

    w = desk_window
    drag_a(w, "2021-03-01", "2022-06-30")
    assert str(w.session.window_a) == "2021-03-01:2022-06-30"
    expected = w.session.engine.figures(Window(np.datetime64("2021-03-01"),
                                               np.datetime64("2022-06-30")))
    model = w.stats.model
    checked = 0
    for sid in expected.series_ids:
        row = model.row_of(sid, "A")
        for fig in model.figure_names:
            col = model.figure_column(fig)
            raw = model.index(row, col).data(RAW_ROLE)
            want = float(expected.values[expected.series_ids.index(sid),
                                         expected.figure_names.index(fig)])
            assert (math.isnan(raw) and math.isnan(want)) or raw == want, (sid, fig)
            shown = model.index(row, col).data()
            assert shown == format_figure(want, SPEC_BY_NAME[fig].fmt)
            checked += 1
    assert checked == len(expected.series_ids) * len(model.figure_names)


def test_end_value_cell_is_last_close_in_window(desk_window):
    """Independent check of one cell: plain pandas on the series itself."""
    w = desk_window
    drag_a(w, "2022-01-10", "2022-11-20")
    s = w.session.series("RTY")
    ser = pd.Series(s.values, index=pd.DatetimeIndex(s.dates))
    last = ser.loc["2022-01-10":"2022-11-20"].iloc[-1]
    first = ser.loc["2022-01-10":"2022-11-20"].iloc[0]
    model = w.stats.model
    row = model.row_of("RTY", "A")
    assert model.index(row, model.figure_column("end_value")).data(RAW_ROLE) == last
    ret = model.index(row, model.figure_column("return_pct")).data(RAW_ROLE)
    assert ret == pytest.approx(100 * (last / first - 1))
    assert model.index(row, model.figure_column("return_pct")).data() == \
        f"{100 * (last / first - 1):+.2f}%"


def test_drag_updates_in_place_without_reset(desk_window, qtbot):
    w = desk_window
    resets = []
    changed = []
    w.stats.model.modelReset.connect(lambda: resets.append(1))
    w.stats.model.dataChanged.connect(lambda *a: changed.append(1))
    drag_a(w, "2021-05-03", "2022-05-02")
    assert resets == []
    assert changed


def test_b_follows_a_when_locked(desk_window):
    w = desk_window
    w.session.set_lock(True)
    drag_a(w, "2022-02-28", "2023-08-15")
    b = w.session.window_b
    assert (str(b.start), str(b.end)) == ("2021-02-28", "2022-08-15")
    region_b = w.navigator.region_b.getRegion()
    assert region_b[0] == day_to_seconds(np.datetime64("2021-02-28"))
    # unlocked: B stays where it is
    w.session.set_lock(False)
    drag_a(w, "2023-01-02", "2023-12-29")
    assert (str(w.session.window_b.start), str(w.session.window_b.end)) == \
        ("2021-02-28", "2022-08-15")


def test_leap_day_a_year_earlier_clamps(desk_window):
    w = desk_window
    w.session.set_lock(True)
    drag_a(w, "2024-02-29", "2024-06-28")
    assert str(w.session.window_b.start) == "2023-02-28"


def test_one_drag_is_one_undo_entry_and_undo_restores(desk_window):
    w = desk_window
    before = str(w.session.window_a)
    count = w.session.undo_stack.count()
    for i in range(5):
        drag_a(w, f"2021-0{i + 1}-04", f"2022-0{i + 1}-04", finish=False)
    w.navigator.release_region("A")
    assert w.session.undo_stack.count() == count + 1
    assert str(w.session.window_a) == "2021-05-04:2022-05-04"
    w.session.undo_stack.undo()
    settle(w)
    assert str(w.session.window_a) == before
    assert w.navigator.region_a.getRegion()[0] == day_to_seconds(w.session.window_a.start)
    w.session.undo_stack.redo()
    assert str(w.session.window_a) == "2021-05-04:2022-05-04"


def test_arrow_keys_nudge_by_observation_and_month(desk_window, qtbot):
    w = desk_window
    drag_a(w, "2022-03-01", "2022-09-30")   # both business days
    w.navigator.setFocus()
    qtbot.keyClick(w.navigator, Qt.Key.Key_Right)
    assert str(w.session.window_a) == "2022-03-02:2022-10-03"  # next business days
    qtbot.keyClick(w.navigator, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert str(w.session.window_a) == "2022-02-02:2022-09-03"


def test_presets_and_date_edits(desk_window):
    w = desk_window
    w.navigator.apply_preset("YTD")
    last = w.navigator.series.last_date
    assert str(w.session.window_a.start) == f"{str(last)[:4]}-01-01"
    assert w.session.window_a.end == last
    from gui.qt_dates import to_qdate

    w.navigator.date_edits["a_start"].setDate(to_qdate(np.datetime64("2020-06-01")))
    assert str(w.session.window_a.start) == "2020-06-01"


def test_status_bar_names_both_windows(desk_window):
    text = desk_window.window_label.text()
    assert "A: " in text and "B: " in text and "obs" in text


# -- the live path: one paint per step, held y-range, no layout pass ---------------------------
class EventCounter:
    """Counts events of some types per watched object (an event filter; changes nothing)."""

    def __init__(self, objects: dict, types: tuple) -> None:
        from PySide6.QtCore import QObject

        self.counts = {k: 0 for k in objects}
        ids = {id(o): k for k, o in objects.items()}
        counts = self.counts

        class _F(QObject):
            def eventFilter(self, obj, event):  # noqa: N802
                if event.type() in types and id(obj) in ids:
                    counts[ids[id(obj)]] += 1
                return False

        self.filter = _F()
        for o in objects.values():
            o.installEventFilter(self.filter)


def drag_steps(window, start: str, n: int, step_days: int = 7, span_days: int = 365) -> None:
    """n mouse-like moves of region A (no release), the event loop run after each."""
    from PySide6.QtWidgets import QApplication

    x0 = day_to_seconds(np.datetime64(start))
    for k in range(n):
        a = x0 + k * step_days * 86400.0
        window.navigator.drag_region("A", a, a + span_days * 86400.0)
        for _ in range(3):
            QApplication.processEvents()


def test_each_drag_step_paints_each_view_once(desk_window):
    from PySide6.QtCore import QEvent

    w = desk_window
    drag_a(w, "2021-01-04", "2022-01-04")  # charts follow this window
    views = {"prices": w.charts.rows["prices"].widget.viewport(),
             "table": w.stats.view.viewport(), "navigator": w.navigator.plot.viewport()}
    counter = EventCounter(views, (QEvent.Type.Paint,))
    drag_steps(w, "2021-01-11", 10)
    assert counter.counts == {"prices": 10, "table": 10, "navigator": 10}


def test_no_layout_pass_while_dragging(desk_window):
    from PySide6.QtCore import QEvent

    w = desk_window
    drag_a(w, "2021-01-04", "2022-01-04")
    watched = {"window": w, "status": w.statusBar(), **{k: d for k, d in w.docks.items()}}
    counter = EventCounter(watched, (QEvent.Type.LayoutRequest,))
    drag_steps(w, "2021-01-11", 8)
    assert sum(counter.counts.values()) == 0, counter.counts


def test_prices_y_range_holds_the_rebased_data_during_a_drag(desk_window):
    """Independent check: rebase each visible series with plain pandas and compare with
    the held y-range."""
    w = desk_window
    drag_a(w, "2021-01-04", "2022-01-04")
    drag_steps(w, "2021-02-01", 6)
    row = w.charts.rows["prices"]
    vb = row.plot.getViewBox()
    assert not vb.state["autoRange"][1]           # held while the drag runs
    (x0, x1), (y0, y1) = vb.viewRange()
    a = w.session.window_a
    lo, hi = np.inf, -np.inf
    for sid in row.curves:
        s = w.session.series(sid)
        ser = pd.Series(s.values, index=pd.DatetimeIndex(s.dates)).dropna()
        base = ser.loc[str(a.start):str(a.end)].iloc[0]
        shown = ser.loc[str(seconds_day(x0)):str(seconds_day(x1))] * 100.0 / base
        lo, hi = min(lo, shown.min()), max(hi, shown.max())
    assert y0 <= lo and hi <= y1
    assert (hi - lo) / (y1 - y0) > 0.5              # and not absurdly loose
    w.navigator.release_region("A")
    settle(w)
    assert vb.state["autoRange"][1]               # pyqtgraph's auto-range is back


def seconds_day(x: float) -> np.datetime64:
    from gui.qt_dates import seconds_to_day

    return seconds_to_day(x)


def test_model_announces_only_changed_rows_on_screen():
    from gui_synthetic import desk_result

    from core.analytics.window import Window
    from gui import core_api
    from gui.models.stats_table_model import StatsTableModel

    series = desk_result().series
    engine = core_api.build_engine(series, 3.0, "asof")
    names = {s.id: s.name for s in series}
    model = StatsTableModel(core_api.figure_specs())
    b = Window(np.datetime64("2020-01-02"), np.datetime64("2020-12-31"))
    model.set_comparison(engine.compare(Window(np.datetime64("2021-01-04"),
                                               np.datetime64("2021-12-31")), b), names)
    seen = []
    model.dataChanged.connect(lambda tl, br, roles: seen.append((tl.row(), br.row())))
    # A moves, B stays: of rows 0-5 (A, B, A-B of two series) rows 1 and 4 are B
    model.set_comparison(engine.compare(Window(np.datetime64("2021-01-11"),
                                               np.datetime64("2022-01-07")), b), names,
                         rows=[0, 1, 2, 3, 4, 5])
    assert seen == [(0, 0), (2, 3), (5, 5)]
    seen.clear()
    model.announce_all()
    assert seen == [(0, model.rowCount() - 1)]
    # what the delegate paints is what the model displays
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            assert model.cell_look(r, c)[0] == model.index(r, c).data(), (r, c)

"""One live path from a window change to every view (gui.live_results): views draw what
the live results carry and never call the engine; the navigator is not told its own
drag; the note and the odds keep their schedules; and the defects found on the way."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from conftest import settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.live_results import COMPARISON, NOTE, RATES, RELEASE, Phase
from gui.qt_dates import day_to_seconds

ENGINE_CALLERS = {"gui.live_results", "gui.session"}


def _x(day: str) -> float:
    return day_to_seconds(np.datetime64(day))


def test_no_view_calls_the_engine_during_a_drag(sample_window, monkeypatch):
    engine = sample_window.session.engine
    callers: list[str] = []
    for name in ("figures", "compare", "gap", "relative"):
        method = getattr(engine, name)

        def spy(*args, _method=method, **kwargs):
            callers.append(inspect.currentframe().f_back.f_globals["__name__"])
            return _method(*args, **kwargs)

        monkeypatch.setattr(engine, name, spy)
    nav = sample_window.navigator
    for start in ("2024-03-01", "2024-03-08", "2024-03-15"):
        nav.drag_region("A", _x(start), _x("2025-02-28"))
    nav.release_region("A")
    settle(sample_window)
    assert callers, "the drag computed nothing"
    gui_callers = {c for c in callers if not c.startswith("core.")}  # core calls itself
    assert gui_callers and gui_callers <= ENGINE_CALLERS


def test_each_step_is_one_emission_and_release_settles(sample_window, qtbot):
    live = sample_window.session.live
    seen = []
    live.updated.connect(seen.append)
    nav = sample_window.navigator
    for start, end in (("2024-03-01", "2025-02-21"), ("2024-03-08", "2025-02-24"),
                       ("2024-03-15", "2025-02-28")):
        nav.drag_region("A", _x(start), _x(end))
    steps = [r for r in seen if r.has(COMPARISON)]
    assert len(steps) == 3
    assert all(r.phase is Phase.DRAGGING for r in steps)
    # within 40 ms of the first step: the note and the odds wait (throttle, rest)
    assert not any(r.has(NOTE) or r.has(RATES) for r in seen)
    assert str(steps[-1].window_a) == "2024-03-15:2025-02-28"
    assert steps[-1].comparison is sample_window.session.comparison
    nav.release_region("A")
    last = seen[-1]
    assert last.has(RELEASE) and last.has(NOTE) and last.has(RATES)
    assert last.phase is Phase.SETTLED
    assert list(last.sentences) == sample_window.note.sentences
    assert sorted(last.sentences) == sorted([*last.note, *last.rate_note])
    assert sample_window.note.sentences.index(last.rate_note[0]) < 6  # shown before More
    assert last.rate_note and last.rate_note[0].startswith("Futures price a first cut by")
    assert last.rate_blocks["A"]["asof"] == "2025-02-28"


def test_a_resting_drag_gets_its_note_then_its_odds(sample_window, qtbot):
    live = sample_window.session.live
    seen = []
    live.updated.connect(seen.append)
    sample_window.navigator.drag_region("A", _x("2024-03-01"), _x("2025-01-31"))
    qtbot.waitUntil(lambda: any(r.has(RATES) for r in seen), timeout=3000)
    note_at = next(i for i, r in enumerate(seen) if r.has(NOTE))
    rates_at = next(i for i, r in enumerate(seen) if r.has(RATES))
    assert 0 < note_at < rates_at  # the step, the note (40 ms), the odds (150 ms rest)
    assert seen[rates_at].phase is Phase.DRAGGING
    assert sample_window.rates.blocks["A"]["asof"] == "2025-01-31"
    sample_window.navigator.release_region("A")


def test_the_navigator_is_not_told_its_own_drag(desk_window, monkeypatch):
    nav = desk_window.navigator
    set_on = []
    for which, region in (("A", nav.region_a), ("B", nav.region_b)):
        original = region.setRegion
        monkeypatch.setattr(region, "setRegion",
                            lambda rgn, _w=which, _o=original: (set_on.append(_w), _o(rgn)))
    released = []
    desk_window.session.dragFinished.connect(lambda: released.append(1))
    nav.drag_region("A", _x("2021-03-01"), _x("2022-06-30"))
    assert set_on == ["B"]  # B follows A (locked); A stays where the mouse put it
    assert nav.date_edits["a_start"].date().toString("yyyy-MM-dd") == "2021-03-01"
    assert nav.date_edits["b_end"].date().toString("yyyy-MM-dd") == "2021-06-30"
    assert released == []  # moving B by program is no release of the user's
    nav.release_region("A")
    assert released == [1]
    desk_window.session.undo_stack.undo()  # undo: no origin, both regions are set
    assert set_on[-2:] == ["A", "B"]


def test_main_window_actions_is_qt_s_list(window):
    assert isinstance(window.actions(), list)
    assert window.menu_actions["export_xlsx"].text()


def test_the_derived_odds_file_offers_no_close(sample_window):
    from core.pipeline import DERIVED_RATES_FILE

    tree = sample_window.data_panel.tree
    items = {tree.topLevelItem(i).data(0, 256): tree.topLevelItem(i)
             for i in range(tree.topLevelItemCount())}
    derived = [f for f in items if f == DERIVED_RATES_FILE]
    assert derived, "the sample derives rate-cut odds"
    offered = [text for text, _ in sample_window.data_panel.context_actions(items[derived[0]])]
    assert "Close file" not in offered
    sample_file = str(sample_window.sample_copy)
    assert "Close file" in [t for t, _ in
                            sample_window.data_panel.context_actions(items[sample_file])]


def test_a_workspace_restores_the_window_size(sample_window, tmp_path, qtbot):
    from gui.main_window import MainWindow

    sample_window.resize(1000, 700)
    QApplication.processEvents()
    saved = (sample_window.width(), sample_window.height())
    path = tmp_path / "size.gapwatch.json"
    assert sample_window.actions_handler.save_workspace(str(path)) == str(path)
    other = MainWindow(restore_layout=False)
    qtbot.addWidget(other)
    other.resize(1200, 800)
    other.show()
    other.actions_handler.open_workspace(str(path), sync=True)
    settle(other)
    assert (other.width(), other.height()) == saved != (1200, 800)


@pytest.mark.parametrize("module", ["gui.panels.charts_panel", "gui.panels.note_panel",
                                    "gui.panels.rates_panel", "gui.panels.stats_panel",
                                    "gui.main_window"])
def test_views_do_not_read_the_drag_state(module):
    """Throttling lives in one place: the views take the phase from the live results."""
    import importlib

    source = inspect.getsource(importlib.import_module(module))
    assert "session.dragging" not in source and ".dragging and" not in source.replace(
        "r.dragging", "")


def test_b_overlaid_on_a_follows_the_windows_and_reads_both_dates(sample_window):
    from gui.qt_dates import day_to_seconds

    w = sample_window
    w.menu_actions["overlay_b"].trigger()
    settle(w)
    row = w.charts.rows["prices"]
    assert set(row.overlays) == set(row.curves) and row.overlays
    a, b = w.session.window_a, w.session.window_b
    dx = day_to_seconds(a.start) - day_to_seconds(b.start)
    sid = next(iter(row.overlays))
    twin = row.overlays[sid]
    base_b = w.session.comparison.b.value(sid, "start_value")
    assert twin.transform().dx() == dx
    assert twin.transform().m22() == pytest.approx(100.0 / base_b)
    assert twin.opts["pen"].style() == Qt.PenStyle.DashLine
    # at A's start the twin shows B's start value, rebased: 100
    labels = dict((lab, v) for lab, _c, v in row.readout(day_to_seconds(a.start)))
    assert labels[f"B {row.labels[sid]}"] == pytest.approx(100.0, rel=1e-9)
    w.charts.show_crosshair(day_to_seconds(a.start))
    assert f"(B: <b>{b.start}</b>)" in w.charts.readout.text()
    # a drag moves the twins with the windows
    w.navigator.drag_region("A", _x("2024-01-02"), _x("2024-12-31"))
    w.navigator.release_region("A")
    settle(w)
    a, b = w.session.window_a, w.session.window_b
    assert twin.transform().dx() == day_to_seconds(a.start) - day_to_seconds(b.start)
    w.menu_actions["overlay_b"].trigger()
    assert not row.overlays


def test_the_odds_over_time_picker_drives_the_chart_row(sample_window):
    from core.rates.odds_over_time import P_CUT_BY

    w = sample_window
    rates = w.rates
    cut = [sid for sid in w.session.checked if sid.startswith(P_CUT_BY)]
    assert len(cut) == 2  # default: the next two meetings
    i = rates.meeting_combo.findData(f"{P_CUT_BY}2025-12-10")
    assert i > 0
    rates.meeting_combo.activated.emit(i)
    settle(w)
    assert [sid for sid in w.session.checked if sid.startswith(P_CUT_BY)] == \
        [f"{P_CUT_BY}2025-12-10"]
    row = w.charts.rows["odds"]
    assert list(row.curves) == [f"{P_CUT_BY}2025-12-10"] and row.widget.isVisible()
    rates.meeting_combo.activated.emit(0)  # back to the next two
    settle(w)
    assert len([sid for sid in w.session.checked if sid.startswith(P_CUT_BY)]) == 2


def test_meetings_the_futures_do_not_reach_are_named(sample_window):
    info = sample_window.rates.info
    assert "2027-01-27 meeting" in info.toolTip() and "not priced" in info.toolTip()
    assert "(1 note: hover)" in info.text()

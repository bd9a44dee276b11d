"""The bundled sample through the real loader: table vs engine, note, workspace round
trip, a corrupt file, copy to the clipboard, reload of an overwritten file."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest
from conftest import settle
from PySide6.QtWidgets import QApplication

from gui.models.stats_table_model import RAW_ROLE
from gui.qt_dates import day_to_seconds



def test_sample_opens_and_drag_matches_engine(sample_window, dialogs):
    from core.analytics.window import Window

    w = sample_window
    assert dialogs == []
    assert len(w.session.catalog) > 5
    nav = w.navigator
    nav.drag_region("A", day_to_seconds(np.datetime64("2024-10-01")),
                    day_to_seconds(np.datetime64("2025-03-31")))
    nav.release_region("A")
    settle(w)
    expected = w.session.engine.figures(Window(np.datetime64("2024-10-01"),
                                               np.datetime64("2025-03-31")))
    model = w.stats.model
    for sid in expected.series_ids[:20]:
        for fig in ("end_value", "return_pct", "percentile", "max_date"):
            raw = model.index(model.row_of(sid, "A"), model.figure_column(fig)).data(RAW_ROLE)
            want = float(expected.values[expected.series_ids.index(sid),
                                         expected.figure_names.index(fig)])
            assert (math.isnan(raw) and math.isnan(want)) or raw == want


def test_note_follows_window_a(sample_window):
    w = sample_window
    w.navigator.apply_preset("1Y")
    settle(w)
    first = list(w.note.sentences)
    w.navigator.drag_region("A", day_to_seconds(np.datetime64("2021-01-04")),
                            day_to_seconds(np.datetime64("2021-03-31")))
    w.navigator.release_region("A")
    settle(w)
    assert first and w.note.sentences
    assert w.note.sentences != first
    assert w.note.copy() == QApplication.clipboard().text()


def test_note_says_when_no_sentence_applies(window, sample_xlsx, tmp_path, monkeypatch):
    """The placeholder shown before any file must not survive a load whose window has
    no sentence (it once did: an empty note compared equal to the empty start)."""
    from gui import live_results

    assert "Open a desk export" in window.note.text.toPlainText()
    path = tmp_path / "sample_desk_export.xlsx"
    shutil.copy(sample_xlsx, path)
    with monkeypatch.context() as m:
        m.setattr(live_results, "desk_note", lambda *args, **kwargs: [])
        window.open_files([str(path)], sync=True)
        settle(window)
        assert window.note.sentences == []
        assert "No sentence applies" in window.note.text.toPlainText()
    window.note.refresh()
    assert window.note.sentences
    assert window.note.sentences[0] in window.note.text.toPlainText()


def test_workspace_round_trip(sample_window, tmp_path, qtbot, dialogs):
    from gui.main_window import MainWindow

    w = sample_window
    w.session.set_lock(False)
    w.navigator.drag_region("A", day_to_seconds(np.datetime64("2023-02-01")),
                            day_to_seconds(np.datetime64("2023-09-29")))
    w.navigator.release_region("A")
    w.session.set_lookback(5.0)
    checked = w.session.checked[:3]
    w.session.set_checked(checked)
    w.docks["rates"].hide()
    path = tmp_path / "desk.gapwatch.json"
    assert w.actions_handler.save_workspace(str(path)) == str(path)

    other = MainWindow(restore_layout=False)
    qtbot.addWidget(other)
    other.show()
    other.actions_handler.open_workspace(str(path), sync=True)
    settle(other)
    s = other.session
    assert s.files == w.session.files
    assert s.checked == checked
    assert str(s.window_a) == "2023-02-01:2023-09-29"
    assert str(s.window_b) == str(w.session.window_b)
    assert s.lookback_years == 5.0 and s.lock_b is False
    assert other.docks["rates"].isHidden()
    assert dialogs == []


def test_corrupt_file_gives_dialog_and_keeps_the_rest(sample_window, tmp_path, dialogs):
    w = sample_window
    n = len(w.session.catalog)
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not really a workbook" * 10)
    w.open_files([str(bad)], sync=True)
    settle(w)
    assert dialogs, "a corrupt file must be reported in a dialog"
    assert any("broken.xlsx" in text for _title, text in dialogs)
    assert not any("Traceback" in text for _title, text in dialogs)
    assert len(w.session.catalog) == n
    assert w.stats.model.rowCount() > 0


def test_copy_puts_tsv_on_clipboard(sample_window):
    w = sample_window
    view = w.stats.view
    model = view.model()
    view.selectionModel().clearSelection()
    view.selectRow(0)
    text = w.stats.copy()
    lines = text.strip("\n").split("\n")
    assert QApplication.clipboard().text() == text
    header = lines[0].split("\t")
    row = lines[1].split("\t")
    assert header[0] == "Series" and len(header) == model.columnCount()
    assert row == [str(model.index(0, c).data()) for c in range(model.columnCount())]
    assert "<table" in QApplication.clipboard().mimeData().html()


def test_overwritten_file_reloads_keeping_windows(window, tmp_path, qtbot):
    csv = tmp_path / "closes.csv"
    days = np.arange(np.datetime64("2023-01-02"), np.datetime64("2024-06-28"))
    days = days[np.is_busday(days)]
    values = 100 + np.arange(len(days)) * 0.1
    csv.write_text("Date,Russell 2000\n" + "".join(f"{d},{v:.2f}\n" for d, v in
                                                   zip(days, values, strict=True)))
    window.open_files([str(csv)], sync=True)
    settle(window)
    assert len(window.session.catalog) == 1
    window.navigator.drag_region("A", day_to_seconds(np.datetime64("2023-06-01")),
                                 day_to_seconds(np.datetime64("2023-12-29")))
    window.navigator.release_region("A")
    before = str(window.session.window_a)
    with csv.open("a") as fh:
        fh.write("2024-07-01,250.00\n")
    qtbot.waitUntil(lambda: bool(window.session.changes), timeout=10000)
    window.loader.wait()
    assert str(window.session.window_a) == before
    assert window.data_panel.changes_box.isVisibleTo(window.data_panel)
    assert "added" in window.data_panel.changes_label.text()
    window.session.acknowledge_changes()
    assert not window.data_panel.changes_box.isVisibleTo(window.data_panel)


def test_smoke_writes_png(sample_xlsx, tmp_path):
    from gui.app import smoke

    out = tmp_path / "shot.png"
    assert smoke([str(sample_xlsx)], screenshot=str(out), size=(1280, 720)) == 0
    assert out.stat().st_size > 10000


def test_relative_line_is_rebased_to_100_at_a_start(sample_window):
    """The chart shows the whole-span ratio line rescaled per window; over window A it
    must equal the engine's window line (DOMAIN.md), and 100 at A's first join date."""
    from gui.qt_dates import to_seconds

    w = sample_window
    nav = w.navigator
    for start in ("2024-03-01", "2024-03-15", "2024-04-02"):  # a drag, then the release
        nav.drag_region("A", day_to_seconds(np.datetime64(start)),
                        day_to_seconds(np.datetime64("2025-02-28")))
    nav.release_region("A")
    settle(w)
    row = w.charts.rows["relative"]
    pairs = w.session.live.structure().pairs
    assert pairs
    for a_id, b_id in pairs:
        curve = row.curves[f"{a_id}/{b_id}"]
        want = w.session.engine.relative(a_id, b_id, w.session.window_a)
        xs = to_seconds(np.asarray(want.dates))
        idx = np.searchsorted(curve.xData, xs)
        assert np.array_equal(curve.xData[idx], xs)
        shown = curve.yData[idx] * curve.transform().m22()
        np.testing.assert_allclose(shown, want.line, rtol=1e-12)
        assert shown[0] == pytest.approx(100.0)
        # independent: last close ratio over first close ratio in A, plain pandas
        sa, sb = w.session.series(a_id), w.session.series(b_id)
        pa = pd_series(sa).loc[str(w.session.window_a.start):str(w.session.window_a.end)]
        pb = pd_series(sb).loc[str(w.session.window_a.start):str(w.session.window_a.end)]
        assert shown[-1] == pytest.approx(100 * (pa.iloc[-1] / pb.iloc[-1]) /
                                          (pa.iloc[0] / pb.iloc[0]), rel=1e-12)


def pd_series(s):
    import pandas as pd

    return pd.Series(s.values, index=pd.DatetimeIndex(s.dates)).dropna()


def test_gap_figure_and_marker_follow_window_a(sample_window):
    w = sample_window
    nav = w.navigator
    nav.drag_region("A", day_to_seconds(np.datetime64("2023-01-02")),
                    day_to_seconds(np.datetime64("2023-11-30")))
    settle(w)
    row = w.charts.rows["gap"]
    small, tech = w.charts.gap_pair
    g = w.session.engine.gap(small, tech, w.session.window_a)
    assert f"{g.gap:+.2f}\u03c3 on {g.date}" in row.note.textItem.toPlainText()
    assert row.marker.isVisible()
    assert (row.marker.pos().x(), row.marker.pos().y()) == \
        (day_to_seconds(g.date), pytest.approx(g.gap))
    # the title stays put while the window moves: no layout pass per step
    assert "\u03c3 on" not in row.title
    nav.release_region("A")

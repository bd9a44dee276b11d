"""File > Export through the real main window (workbook in a worker, charts, note) and the
headless chart renderer ``gui.chart_export.render_charts`` used by ``main.py report``."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from conftest import settle
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog


FIRST_CURVE_RGB = (0x00, 0x72, 0xB2)


def exporter(window):
    return window.actions_handler.exporter


def rgb_of(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    w, h, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * h)
    return raw.reshape(h, stride)[:, : w * 3].reshape(h, w, 3).copy()


def curve_pixels(rgb: np.ndarray) -> int:
    return int(np.all(np.abs(rgb.astype(int) - FIRST_CURVE_RGB) <= 12, axis=2).sum())


def rty_row(ws, sid_part: str = "Russell 2000 (RTY") -> int:
    for r in range(3, ws.max_row + 1):
        if sid_part in str(ws.cell(r, 2).value):
            return r
    raise AssertionError("no RTY row")


# -- workbook ----------------------------------------------------------------------------------
def test_workbook_is_written_off_the_gui_thread_from_a_snapshot(sample_window, tmp_path,
                                                                 monkeypatch, dialogs):
    """While the worker writes, the GUI thread keeps running and the user moves window A;
    the workbook still holds the figures of the window it was asked for."""
    from openpyxl import load_workbook

    import core.export.workbook as workbook
    from core.analytics.window import Window

    w = sample_window
    original = workbook.write_stats_workbook
    started, release = threading.Event(), threading.Event()
    threads: list[threading.Thread] = []

    asked_with: list[dict] = []

    def slow_writer(*args, **kwargs):
        threads.append(threading.current_thread())
        asked_with.append(kwargs)
        started.set()
        assert release.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(workbook, "write_stats_workbook", slow_writer)
    asked = w.session.window_a
    ex = exporter(w)
    busy: list[bool] = []
    ex.busyChanged.connect(busy.append)
    target = tmp_path / "stats.xlsx"
    assert ex.export("xlsx", str(target)) == str(target)
    assert started.wait(30)
    assert ex.busy and busy == [True]
    assert ex._busy_bar.isVisibleTo(w)
    w.session.set_windows(Window(np.datetime64("2021-01-04"), np.datetime64("2021-06-30")),
                          Window(np.datetime64("2020-01-02"), np.datetime64("2020-06-30")))
    settle(w)  # the GUI thread runs while the worker is blocked
    assert str(w.session.window_a) == "2021-01-04:2021-06-30"
    release.set()
    assert ex.wait()
    assert busy == [True, False] and not ex._busy_bar.isVisibleTo(w)
    assert threads and threads[0] is not threading.main_thread()
    assert dialogs == []
    # the relative lines the charts show are in the workbook too (once silently dropped)
    pairs = w.session.live.structure().pairs
    assert pairs and len(asked_with[0]["relative"]) == len(pairs)

    ws = load_workbook(target)["A vs B"]
    assert ws.cell(1, 4).value == f"Window A: {asked.start} to {asked.end}"
    row = rty_row(ws)
    sid = ws.cell(row, 2).value
    labels = [ws.cell(2, c).value for c in range(1, ws.max_column + 1)]
    got = ws.cell(row, labels.index("End") + 1).value
    assert got == pytest.approx(w.session.engine.figures(asked).value(sid, "end_value"))
    assert got != pytest.approx(w.session.comparison.a.value(sid, "end_value"))


def test_existing_file_is_refused_unless_the_dialog_confirmed(sample_window, tmp_path,
                                                              monkeypatch, dialogs):
    w = sample_window
    ex = exporter(w)
    for kind in ("xlsx", "png", "svg", "txt"):
        target = tmp_path / f"old.{kind}"
        target.write_bytes(b"old")
        assert ex.export(kind, str(target), force=False) is None
        ex.wait()
        assert target.read_bytes() == b"old", kind
    assert len(dialogs) == 4
    assert all(title == "Export failed" and "old." in text for title, text in dialogs)

    # Through the dialog: Qt asked "replace?" and the user said yes, so it is replaced.
    target = tmp_path / "old.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    w.menu_actions["export_xlsx"].trigger()
    assert exporter(w).wait()
    assert target.read_bytes()[:2] == b"PK"
    assert len(dialogs) == 4


def test_workbook_jobs_are_released(sample_window, tmp_path, dialogs):
    import gc

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from gui.exporting import _JobSignals, _WriteJob

    ex = exporter(sample_window)
    for i in range(3):
        ex.export("xlsx", str(tmp_path / f"s{i}.xlsx"))
    assert ex.wait()
    for _ in range(3):
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, (_WriteJob, _JobSignals))]
    assert sorted(p.name for p in tmp_path.glob("s*.xlsx")) == ["s0.xlsx", "s1.xlsx",
                                                                  "s2.xlsx"]
    assert dialogs == []


def test_failed_export_names_the_file_and_writes_nothing(sample_window, tmp_path, dialogs):
    ex = exporter(sample_window)
    target = tmp_path / "no such folder" / "stats.xlsx"
    ex.export("xlsx", str(target))
    ex.wait()
    assert not target.parent.exists()
    assert dialogs and "stats.xlsx" in dialogs[-1][1]
    assert not any("Traceback" in text for _t, text in dialogs)


def test_nothing_open_gives_a_dialog(window, tmp_path, dialogs):
    assert exporter(window).export("png", str(tmp_path / "c.png")) is None
    assert dialogs and "open a file first" in dialogs[-1][1]
    assert not (tmp_path / "c.png").exists()


# -- charts and note ---------------------------------------------------------------------------
def test_png_of_the_live_charts_at_twice_the_layout(sample_window, tmp_path, monkeypatch,
                                                    dialogs):
    from gui.chart_export import chart_area
    from gui.exporting import GUI_PNG_DPI

    w = sample_window
    target = tmp_path / "charts.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "charts"), "")))
    w.menu_actions["export_png"].trigger()  # no suffix typed: .png is added
    assert dialogs == []
    image = QImage(str(target))
    area = chart_area(w.charts)
    scale = GUI_PNG_DPI / 96
    assert (image.width(), image.height()) == (round(area.width() * scale),
                                               round(area.height() * scale))
    assert image.dotsPerMeterX() * 0.0254 == pytest.approx(GUI_PNG_DPI, abs=0.5)
    rgb = rgb_of(image)
    assert rgb.astype(float).std() > 10
    assert curve_pixels(rgb) > 500


def test_svg_of_the_live_charts(sample_window, tmp_path, dialogs):
    from defusedxml import ElementTree

    target = tmp_path / "charts.svg"
    assert exporter(sample_window).export("svg", str(target)) == str(target)
    root = ElementTree.parse(target).getroot()
    tags = [el.tag.rsplit("}", 1)[-1] for el in root.iter()]
    assert tags.count("polyline") + tags.count("path") > 50
    assert dialogs == []


def test_note_text_is_the_panel_note_with_its_windows(sample_window, tmp_path, dialogs):
    w = sample_window
    target = tmp_path / "note.txt"
    assert exporter(w).export("txt", str(target)) == str(target)
    lines = target.read_text(encoding="utf-8").splitlines()
    a, b = w.session.window_a, w.session.window_b
    assert lines[0] == "Gapwatch desk note"
    assert lines[1] == f"Window A: {a.start} to {a.end}; Window B: {b.start} to {b.end}"
    assert lines[3:] == list(w.note.sentences) and lines[3:]


def test_export_menu_lists_every_kind(window):
    texts = [window.menu_actions[k].text() for k in ("export_xlsx", "export_png", "export_svg",
                                                "export_txt")]
    assert all(texts)


# -- headless renderer -------------------------------------------------------------------------
@pytest.fixture
def report_parts(sample_xlsx, qapp):
    from core.headless_report import compute_report

    return compute_report([str(sample_xlsx)], compare="prior-year")


def test_render_charts_size_dpi_and_same_rows_as_the_window(report_parts, sample_window,
                                                            tmp_path):
    from PySide6.QtCore import QSize

    from gui.chart_export import build_offscreen_panel, render_charts

    parts = report_parts
    a, b = parts.comparison.a.window, parts.comparison.b.window
    png = tmp_path / "c.png"
    written = render_charts(parts, a, b, png=str(png), svg=None, size=(1200, 900), dpi=192)
    assert [(f.path, f.width, f.height) for f in written] == [(png, 1200, 900)]
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1200, 900)
    assert image.dotsPerMeterX() * 0.0254 == pytest.approx(192, abs=0.5)
    assert curve_pixels(rgb_of(image)) > 200

    # The window's own panel, on the same file and windows, shows the same rows.
    w = sample_window
    w.session.set_windows(a, b)
    settle(w)
    panel, session = build_offscreen_panel(parts.catalog, a, b, logical_size=QSize(800, 600))
    try:
        assert panel.visible_rows == w.charts.visible_rows
        assert session.checked == w.session.checked
        assert str(session.window_a) == str(a) and str(session.window_b) == str(b)
    finally:
        panel.deleteLater()
        session.deleteLater()


def test_render_charts_checks_every_target_before_drawing(report_parts, tmp_path):
    from gui.chart_export import render_charts

    parts = report_parts
    a = parts.comparison.a.window
    out = tmp_path / "out"
    out.mkdir()
    png, svg = out / "c.png", out / "c.svg"
    svg.write_text("old")
    with pytest.raises(FileExistsError):
        render_charts(parts, a, None, png=str(png), svg=str(svg))
    assert not png.exists() and svg.read_text() == "old"
    written = render_charts(parts, a, None, png=str(png), svg=str(svg), force=True)
    assert [f.path for f in written] == [png, svg]
    assert svg.read_text().lstrip().startswith("<?xml")
    assert sorted(p.name for p in out.iterdir()) == ["c.png", "c.svg"]  # no temp file left


def test_render_charts_rejects_nonsense(report_parts, tmp_path):
    from core.catalog import Catalog
    from gui.chart_export import render_charts

    a = report_parts.comparison.a.window
    target = tmp_path / "x.png"
    with pytest.raises(ValueError):
        render_charts(report_parts, a, None, png=str(target), svg=None, size=(0, 100))
    with pytest.raises(ValueError):
        render_charts(Catalog(), a, None, png=str(target), svg=None)
    assert not target.exists()


def test_render_charts_too_small_for_the_rows_shrinks_them_to_fit(report_parts, tmp_path):
    """Rows have a minimum height; below it the window scrolls, a file shows every row."""
    from gui.chart_export import render_charts

    png = tmp_path / "small.png"
    render_charts(report_parts, report_parts.comparison.a.window, None, png=str(png),
                  svg=None, size=(480, 200))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (480, 200)
    assert curve_pixels(rgb_of(image)) > 20

"""The rate-cut odds panel at desk sizes: at 1280x720 its plot is ~90 px tall, and 8
meetings (16 bars) there made 4-px bars under touching date labels. A short panel now
shows the next meetings that fit, says so, and grows back when the panel does; the
bars are core's figures (the live results' odds pricer), only sliced."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication
from test_gui_chart_fit import resize
from test_gui_navigator_axis import drawn_labels

from gui import core_api
from gui.panels.rates_panel import MAX_MEETINGS, MIN_MEETING_PX


def meeting_rows(panel) -> list[tuple[float, str]]:
    return list(panel.plot.getPlotItem().getAxis("left")._tickLevels[0])


def assert_readable(panel) -> int:
    rows = meeting_rows(panel)
    height = panel.plot.getPlotItem().getViewBox().height()
    assert rows and height / len(rows) >= MIN_MEETING_PX, (len(rows), height)
    labels = drawn_labels(panel.plot.getPlotItem().getAxis("left"))
    assert [text for _t, _b, text in labels] == [name for _y, name in rows]
    line = QFontMetricsF(QApplication.font()).height()
    for (t0, _b, _a), (t1, _b1, _n) in zip(labels, labels[1:], strict=False):
        assert t1 - t0 >= line, labels  # date labels never touch
    return len(rows)


def expected_widths(window, date, n: int, key: str = "p_lower_than_now") -> np.ndarray:
    block = window.session.live.pricer.block(window.session.catalog, date)
    return np.array([m[key] * 100.0 for m in block["meetings"][:n]], dtype=float)


def test_short_panel_shows_the_next_meetings_that_fit(sample_window):
    w = sample_window
    resize(w, 1280, 720)
    panel = w.rates
    shown = assert_readable(panel)
    assert 1 <= shown < MAX_MEETINGS
    assert f"next {shown} of {MAX_MEETINGS} meetings" in panel.info.text()
    assert str(MAX_MEETINGS) in panel.plot.toolTip()
    # the bars are core's odds for the first meetings, in order
    a_end = core_api.bounds(w.session.window_a)[1]
    np.testing.assert_allclose(panel.bars_a.opts["width"], expected_widths(w, a_end, shown),
                               rtol=0, atol=1e-9)
    first = str(w.session.live.pricer.block(w.session.catalog, a_end)["meetings"][0]["meeting"])
    assert meeting_rows(panel)[0][1] == first


def test_tall_panel_shows_all_meetings_and_grows_back(sample_window):
    w = sample_window
    resize(w, 1280, 720)
    short = len(meeting_rows(w.rates))
    resize(w, 1600, 1000)
    assert assert_readable(w.rates) == MAX_MEETINGS > short
    assert "meetings" not in w.rates.info.text()
    b_end = core_api.bounds(w.session.window_b)[1]
    block_b = w.session.live.pricer.block(w.session.catalog, b_end)
    by_meeting = {str(m["meeting"]): m["p_lower_than_now"] * 100.0 for m in block_b["meetings"]}
    want_b = [by_meeting.get(name, 0.0) for _y, name in meeting_rows(w.rates)]
    np.testing.assert_allclose(w.rates.bars_b.opts["width"], np.nan_to_num(want_b),
                               rtol=0, atol=1e-9)
    resize(w, 1280, 720)
    assert len(meeting_rows(w.rates)) == short


def test_dark_theme_keeps_the_fit(sample_window):
    w = sample_window
    resize(w, 1280, 720)
    w.set_theme("dark")
    shown = assert_readable(w.rates)
    w.set_theme("light")
    assert assert_readable(w.rates) == shown

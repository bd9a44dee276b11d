"""When the rate-cut odds panel has no bars it says why: no futures loaded at all, or
window A ends outside the dates the loaded futures price."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import settle

from gui.qt_dates import day_to_seconds



def test_no_futures_loaded_says_so(desk_window):
    desk_window.rates.flush()
    assert desk_window.rates.plot.isHidden()
    assert "no fed funds futures loaded" in desk_window.rates.info.text()


def test_window_a_outside_the_priced_dates_says_where_they_are(sample_window):
    window = sample_window
    assert not window.rates.plot.isHidden()  # the sample's default window has odds
    nav = window.navigator
    nav.drag_region("A", day_to_seconds(np.datetime64("2019-06-03")),
                    day_to_seconds(np.datetime64("2019-12-31")))
    nav.release_region("A")
    settle(window)
    text = window.rates.info.text()
    assert window.rates.plot.isHidden()
    assert "window A ends 2019-12-31" in text and "the futures price 20" in text


def test_futures_that_price_no_meeting_are_named(window, tmp_path):
    """Two quarterly contracts alone (no month before or after a meeting month) give no
    odds: the panel names the files instead of saying no futures are loaded."""
    openpyxl = pytest.importorskip("openpyxl")
    days = np.arange(np.datetime64("2024-01-02"), np.datetime64("2024-03-01"))
    paths = []
    for ticker in ("ZQH24", "ZQU24"):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Date", "Close"])
        for d in days:
            ws.append([d.astype(object), 94.7])
        path = tmp_path / f"{ticker}.xlsx"
        wb.save(path)
        paths.append(str(path))
    window.open_files(paths, sync=True)
    settle(window)
    window.rates.flush()
    text = window.rates.info.text()
    assert "ZQH24.xlsx" in text and "price no FOMC meeting" in text

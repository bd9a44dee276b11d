"""The stored public data in the main window: its own Data panel group, series that
check and chart like any other."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402

from core.public_data import cftc, public_results  # noqa: E402
from core.public_data.http_client import HttpClient  # noqa: E402


@pytest.mark.realdata
def test_public_group_in_data_panel_and_charted(qtbot, server):
    from gui.app import ensure_app, settle
    from gui.main_window import MainWindow

    with HttpClient(timeout=5.0, backoff=0.01) as c:
        assert cftc.update_cftc(c, years=[2024], today=dt.date(2024, 7, 30)).ok
    ensure_app()
    w = MainWindow(restore_layout=False)
    qtbot.addWidget(w)
    w.show()
    w.session.add_results(public_results())
    settle(w)
    tree = w.data_panel.tree
    tops = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    group = next(t for t in tops if t.text(0).startswith("Public data: CFTC TFF 2024\u20132024"))
    sid = "cftc:239742:lev_money:net"

    def find(item):
        for i in range(item.childCount()):
            child = item.child(i)
            if child.data(0, Qt.ItemDataRole.UserRole + 1) == sid or child.toolTip(0).find(
                    f"({sid})") >= 0:
                return child
            hit = find(child)
            if hit is not None:
                return hit
        return None

    item = find(group)
    assert item is not None
    item.setCheckState(0, Qt.CheckState.Checked)
    settle(w)
    assert sid in w.session.checked
    assert any(sid in row.curves for row in w.charts.rows.values())

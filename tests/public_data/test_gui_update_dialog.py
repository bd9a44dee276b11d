"""The Update public data dialog runs core's fetch off the GUI thread, reports one line per
source, hands the stored data back as groups, and cancels."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from core.public_data.store import SourceStore  # noqa: E402
from gui.dialogs.update_public_data import UpdatePublicDataDialog  # noqa: E402


def only_cftc(dialog, years="2024:2024"):
    dialog.boxes["fred"].setChecked(False)
    dialog.boxes["finra"].setChecked(False)
    dialog.years.setText(years)


@pytest.mark.realdata
def test_update_adds_public_groups(qtbot, server, monkeypatch):
    monkeypatch.setenv("GAPWATCH_HTTP_BACKOFF", "0.01")
    dialog = UpdatePublicDataDialog()
    qtbot.addWidget(dialog)
    only_cftc(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=60000) as blocker:
        dialog.start_button.click()
    results = blocker.args[0]
    assert [r.file for r in results] == ["Public data: CFTC TFF 2024\u20132024"]
    assert any(s.id == "cftc:239742:lev_money:net" for s in results[0].series)
    qtbot.waitUntil(lambda: dialog.start_button.isEnabled(), timeout=10000)
    assert "CFTC: updated 2 file(s)" in dialog.log.toPlainText()
    assert dialog.bar.value() == 1000


@pytest.mark.realdata
def test_cancel_stops_and_stores_nothing_half_done(qtbot, server, monkeypatch):
    server.behave["/cftc/fut_fin_txt_2024.zip"] = [{"delay": 1.0}]
    dialog = UpdatePublicDataDialog()
    qtbot.addWidget(dialog)
    only_cftc(dialog)
    with qtbot.waitSignal(dialog.signals.finished, timeout=60000) as blocker:
        dialog.start_button.click()
        dialog.cancel_button.click()
    assert blocker.args == [True]
    assert "Cancelled" in dialog.log.toPlainText()
    assert "fut_fin_txt_2024.zip" not in SourceStore("cftc").entries()


@pytest.mark.realdata
def test_menu_hook_adds_results_to_the_session(qtbot, server, monkeypatch):
    from PySide6.QtWidgets import QWidget

    from gui.dialogs.update_public_data import open_update_public_data

    added = []

    class FakeSession:
        def add_results(self, results):
            added.extend(results)

    window = QWidget()
    window.session = FakeSession()
    qtbot.addWidget(window)
    dialog = open_update_public_data(window)
    only_cftc(dialog)
    with qtbot.waitSignal(dialog.signals.finished, timeout=60000):
        dialog.start_button.click()
    qtbot.waitUntil(lambda: bool(added), timeout=10000)
    assert added[0].file.startswith("Public data: CFTC TFF")


@pytest.mark.realdata
def test_legacy_box_adds_the_legacy_report(qtbot, server, monkeypatch):
    monkeypatch.setenv("GAPWATCH_HTTP_BACKOFF", "0.01")
    dialog = UpdatePublicDataDialog()
    qtbot.addWidget(dialog)
    only_cftc(dialog, years="2025:2025")
    dialog.legacy.setChecked(True)
    with qtbot.waitSignal(dialog.signals.finished, timeout=60000):
        dialog.start_button.click()
    assert "deacot2025.zip" in SourceStore("cftc").entries()

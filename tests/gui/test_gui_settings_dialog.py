"""Settings: the inbox folder OK applies (Cancel applies nothing), Stop watching, the
data folder, and the menu action that opens the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog

from gui.dialogs import settings_dialog
from gui.dialogs.settings_dialog import SettingsDialog
from gui.settings import app_settings


def _saved_inbox() -> str:
    return str(app_settings().value("inbox/folder", "") or "")


def _answer_settings(answer, *, choose: str | None = None, stop: bool = False) -> list[str]:
    """When the modal Settings dialog shows: press Choose… (and/or Stop watching), then
    OK or Cancel (``answer``). Returns the dialog's inbox text as it was shown."""
    shown: list[str] = []

    def respond() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(10, respond)
            return
        shown.append(dialog.inbox_edit.text())
        if choose is not None:
            dialog.choose_button.click()
        if stop:
            dialog.stop_button.click()
        dialog.findChild(QDialogButtonBox).button(answer).click()

    QTimer.singleShot(0, respond)
    return shown


@pytest.fixture
def picked_folder(monkeypatch, tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(folder)))
    return folder


def test_ok_applies_the_chosen_folder(window, picked_folder: Path) -> None:
    _answer_settings(QDialogButtonBox.StandardButton.Ok, choose=str(picked_folder))
    window.actions_handler.open_settings()
    assert _saved_inbox() == str(picked_folder)
    assert window.inbox._watcher is not None


def test_cancel_applies_nothing(window, picked_folder: Path) -> None:
    _answer_settings(QDialogButtonBox.StandardButton.Cancel, choose=str(picked_folder))
    window.actions_handler.open_settings()
    assert _saved_inbox() == ""
    assert window.inbox._watcher is None


def test_stop_watching_and_ok_clears_the_folder(window, tmp_path: Path) -> None:
    window.watch_inbox(str(tmp_path))
    shown = _answer_settings(QDialogButtonBox.StandardButton.Ok, stop=True)
    window.actions_handler.open_settings()
    assert shown == [str(tmp_path)]
    assert _saved_inbox() == ""
    assert window.inbox._watcher is None


def test_menu_actions_open_the_dialog(window, picked_folder: Path) -> None:
    for key in ("settings", "inbox"):
        shown = _answer_settings(QDialogButtonBox.StandardButton.Cancel)
        window.menu_actions[key].trigger()
        assert shown == [""], key
    assert not window.menu_actions["settings"].shortcut().isEmpty()


def test_dialog_shows_the_data_folder_and_opens_it(qtbot, monkeypatch, tmp_path: Path) -> None:
    opened: list[str] = []
    monkeypatch.setattr(settings_dialog.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile())))
    data = tmp_path / "data"
    dialog = SettingsDialog(None, data)
    qtbot.addWidget(dialog)
    assert dialog.data_edit.text() == str(data)
    assert dialog.inbox_edit.placeholderText() == "not watching"
    assert not dialog.stop_button.isEnabled()
    dialog.open_data_button.click()
    assert opened == [str(data)]
    assert data.is_dir()


def test_file_dialog_cancel_keeps_the_folder(qtbot, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    dialog = SettingsDialog(str(tmp_path), tmp_path / "data")
    qtbot.addWidget(dialog)
    dialog.choose_button.click()
    assert dialog.inbox_folder() == str(tmp_path)
    assert dialog.inbox_edit.text() == str(tmp_path)

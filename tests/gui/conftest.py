"""GUI test fixtures: offscreen Qt, settings in a temp folder, dialogs captured."""

from __future__ import annotations

import os

import pytest
from PySide6.QtGui import QColor

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# pytest-qt makes the QApplication, not gui.qt_application.ensure_app: configure Qt as the app does
from gui.qt_application import keep_fills_on_the_gui_thread  # noqa: E402

keep_fills_on_the_gui_thread()


@pytest.fixture(autouse=True)
def gw_home(tmp_path, monkeypatch):
    """QSettings, template store and caches live in a temp folder (never the user's)."""
    home = tmp_path / "gwhome"
    home.mkdir()
    monkeypatch.setenv("GAPWATCH_HOME", str(home))
    return home


@pytest.fixture
def dialogs(monkeypatch):
    """Every error dialog the GUI would show, as (title, text) pairs, none modal."""
    from PySide6.QtWidgets import QMessageBox

    from gui import errors

    seen: list[tuple[str, str]] = []

    def fake_exec(box):
        seen.append((box.windowTitle(), box.text()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, title, text, *a: seen.append((title, text))))
    monkeypatch.setattr(errors, "INTERACTIVE", True)
    return seen


@pytest.fixture
def window(qapp, qtbot, dialogs):
    from gui.qt_application import ensure_app
    from gui.main_window import MainWindow

    ensure_app()
    w = MainWindow(restore_layout=False)
    w.resize(1280, 800)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def desk_window(window):
    """The main window with the in-memory synthetic desk loaded."""
    from gui_synthetic import desk_result

    window.session.add_result(desk_result())
    settle(window)
    return window


@pytest.fixture
def sample_window(window, sample_xlsx, tmp_path):
    """The main window with a copy of the bundled sample loaded through the real loader
    (``window.sample_copy``: the copy's path; the bundled file is never opened)."""
    import shutil

    path = tmp_path / "data" / "sample_desk_export.xlsx"
    path.parent.mkdir()
    shutil.copy(sample_xlsx, path)
    window.open_files([str(path)], sync=True)
    settle(window)
    window.sample_copy = path
    return window


def settle(window) -> None:
    from gui.qt_application import settle as _settle

    _settle(window)


@pytest.fixture(autouse=True, scope="session")
def _clear_clipboard_at_exit():
    """Qt's offscreen clipboard segfaults at interpreter exit while it still owns a
    QMimeData set from Python; empty it before the QApplication goes away."""
    yield
    from PySide6.QtWidgets import QApplication

    from gui.qt_application import release_clipboard

    app = QApplication.instance()
    if app is not None:
        release_clipboard(app)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)

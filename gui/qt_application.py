"""The QApplication as Gapwatch configures it, and waiting until a window is drawn.

Its own module because the app's entry points (gui.app) import the main window, while
the exporters and tests need only a configured QApplication: kept here, nothing that
draws a chart to a file has to import the window that contains it.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from gui.settings import APPLICATION, ORGANISATION, configure_settings_path
from gui.theme import configure_pyqtgraph, set_default_font


def keep_fills_on_the_gui_thread() -> None:
    """Qt 6 splits large fills and image blits across a GUI thread pool and waits for
    them. A drag repaints a few mid-sized areas per frame (the window shading, the view
    background), where waking the pool and waiting on its latch costs more than the
    fill: bench_drag on 2 cores, busy machine, median 14.0 -> 8.7 ms per step and CPU
    9.5 -> 7.6 ms. ``GAPWATCH_QT_THREADPOOL=1`` keeps Qt's default."""
    if os.environ.get("GAPWATCH_QT_THREADPOOL") != "1":
        os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")


def ensure_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        keep_fills_on_the_gui_thread()
        QCoreApplication.setOrganizationName(ORGANISATION)
        QCoreApplication.setApplicationName(APPLICATION)
        configure_settings_path()
        app = QApplication(argv if argv is not None else sys.argv[:1])
        set_default_font(app)
    configure_pyqtgraph()
    return app


def release_clipboard(app: QApplication) -> None:
    """The offscreen platform segfaults at exit while its clipboard still owns a QMimeData
    set from Python (seen with a copied stats table); a real desktop keeps the copy."""
    if app.platformName() == "offscreen":
        app.clipboard().clear()


def settle(window) -> None:
    """Run what the window's views have queued or throttled (the results of the current
    windows, the note and odds that wait for a drag to rest), so it can be grabbed."""
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    window.session.wait_rebuild()
    app.processEvents()
    window.session.recompute()
    window.session.live.flush()
    app.processEvents()

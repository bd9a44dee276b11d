"""Entry points main.py calls: the interactive app, and an offscreen smoke render."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from gui import errors
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


def run_app(paths: list[str]) -> int:
    app = ensure_app(sys.argv[:1])
    errors.install_excepthook()
    from gui.main_window import MainWindow

    window = MainWindow()
    restored = window.restore_layout()
    if not restored:
        window.resize(1600, 1000)
    window.show()
    if not restored:
        app.processEvents()
        window.fit_docks()
    window.open_files([str(p) for p in paths])
    rc = app.exec()
    release_clipboard(app)
    return rc


def release_clipboard(app: QApplication) -> None:
    """The offscreen platform segfaults at exit while its clipboard still owns a QMimeData
    set from Python (seen with a copied stats table); a real desktop keeps the copy."""
    if app.platformName() == "offscreen":
        app.clipboard().clear()


def build_window(paths: list[str], size: tuple[int, int] = (1600, 1000)):
    """A main window with ``paths`` loaded synchronously, laid out at ``size``, results
    computed (no pending timers), ready to grab."""
    app = ensure_app()
    from gui.main_window import MainWindow

    window = MainWindow(restore_layout=False)
    window.resize(*size)
    window.show()
    QApplication.processEvents()
    window.fit_docks()
    window.open_files([str(p) for p in paths], sync=True)
    settle(window)
    app.processEvents()
    return window


def settle(window) -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
    window.session.recompute()
    window.rates.flush()
    window.note.flush()
    app.processEvents()


def render_window_png(paths: list[str], out_png: str, size: tuple[int, int] = (1600, 1000)) -> str:
    window = build_window(paths, size)
    try:
        target = Path(out_png)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target), "PNG"):
            raise OSError(f"could not write {target}")
        return str(target)
    finally:
        window.close()
        window.deleteLater()


def smoke(paths: list[str], screenshot: str | None = None,
          size: tuple[int, int] = (1600, 1000)) -> int:
    """Load synchronously, render once offscreen, save a PNG if asked. 0 = fine."""
    errors.INTERACTIVE = False
    errors.reported.clear()
    try:
        ensure_app()
        window = build_window(paths, size)
        n_series = len(window.session.catalog)
        window.grab()
        if screenshot:
            target = Path(screenshot)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(target), "PNG"):
                raise OSError(f"could not write {target}")
        window.close()
    except Exception as exc:  # noqa: BLE001 - smoke reports, never raises
        print(f"gapwatch smoke: failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if errors.reported:
        print(f"gapwatch smoke: {len(errors.reported)} error(s) while loading", file=sys.stderr)
        return 1
    if n_series == 0:
        print("gapwatch smoke: no series loaded", file=sys.stderr)
        return 1
    print(f"gapwatch smoke: ok, {n_series} series" + (f", {screenshot}" if screenshot else ""))
    return 0

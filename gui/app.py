"""Entry points main.py calls: the interactive app, and an offscreen smoke render."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from gui import errors
from gui.qt_application import ensure_app, release_clipboard, settle


def run_app(paths: list[str], *, from_store: str | bool = False) -> int:
    """``from_store``: open what the vintage store holds (True: the app's store, or a
    path) instead of files: no file is parsed."""
    app = ensure_app(sys.argv[:1])
    errors.install_excepthook()
    from gui.main_window import MainWindow

    window = MainWindow()
    restored = window.restore_layout()
    if not restored:
        window.place_on_first_start()
    window.show()
    if not restored:
        app.processEvents()
        window.fit_docks()
    if os.environ.get("GAPWATCH_FIRST_PAINT"):
        _report_first_paint(window, quit_after=os.environ["GAPWATCH_FIRST_PAINT"] == "quit")
    if from_store:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: window.open_store(None if from_store is True
                                                       else str(from_store)))
    else:
        window.open_files([str(p) for p in paths])
    rc = app.exec()
    release_clipboard(app)
    return rc


def _report_first_paint(window, *, quit_after: bool) -> None:
    """benchmarks/bench_cold_start.py: print a line when the window first paints with
    its data (the charts drawn), optionally quit; the benchmark times it from outside.
    ``GAPWATCH_FIRST_PAINT=all``: wait for the paint after every file is loaded and the
    catalog rebuilt (a long open paints its first files earlier), then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    viewports = [row.widget.viewport() for row in window.charts.rows.values()]
    wait_all = os.environ.get("GAPWATCH_FIRST_PAINT") == "all"

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
            if event.type() != QEvent.Type.Paint or not window.charts.visible_rows:
                return False
            if wait_all and (window.loader.busy or window.session.rebuilding):
                return False
            for v in viewports:
                v.removeEventFilter(self)
            print("gapwatch: first paint", flush=True)
            if quit_after or wait_all:
                QTimer.singleShot(0, QApplication.instance().quit)
            return False

    window._first_paint_filter = _FirstPaint(window)
    for v in viewports:  # whichever chart row the data fills first
        v.installEventFilter(window._first_paint_filter)


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

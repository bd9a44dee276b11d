"""Errors reach the user as dialogs that say what failed and where, never a traceback.
The traceback goes to the log file (user_config_dir()/gapwatch.log) for support."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("gapwatch.gui")
_installed = False
# Smoke renders and scripts run without anyone to click OK: errors are printed and
# counted instead of shown in modal dialogs.
INTERACTIVE = True
reported: list[str] = []


def setup_logging() -> None:
    if log.handlers:
        return
    try:
        from core.paths import user_config_dir

        folder = user_config_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(folder / "gapwatch.log", encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def show_error(parent: QWidget | None, title: str, text: str, detail: str = "") -> None:
    """One modal dialog; ``text`` names what failed and where (file, sheet, cell)."""
    log.error("%s: %s %s", title, text, detail)
    reported.append(f"{title}: {text}")
    if not INTERACTIVE:
        print(f"gapwatch: {title}: {text} {detail}".rstrip(), file=sys.stderr)
        return
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    if detail:
        box.setInformativeText(detail)
    box.exec()


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("Unhandled error:\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
    where = ""
    frames = traceback.extract_tb(tb) if tb is not None else []
    if frames:
        last = frames[-1]
        where = f" (in {last.name}, {last.filename.rsplit('/', 1)[-1]}:{last.lineno})"
    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    parent = QApplication.activeWindow()
    show_error(parent, "Gapwatch: unexpected error",
               f"{exc_type.__name__}: {exc}{where}",
               "The window keeps running; details are in the log file.")


def install_excepthook() -> None:
    global _installed
    setup_logging()
    if not _installed:
        sys.excepthook = _hook
        _installed = True

"""File > Export: the stats workbook (core.export), the charts as PNG/SVG
(gui.chart_export, the code ``main.py report --png/--svg`` uses) and the desk note text.

The save dialog asks before replacing a file (Qt's own confirmation), so the writers are
then called with ``force=True``. The workbook takes 1-3 s on a big catalog: it is built
from a snapshot of the current figures in a worker thread while a busy bar shows in the
status bar, and the window stays live. Charts and note are drawn/written at once on the
GUI thread (widgets can only be painted there). Every failure becomes a dialog naming
the file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThreadPool, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QProgressBar, QStatusBar, QWidget

from core.atomic import refuse_overwrite
from gui import chart_export, core_api
from gui.errors import show_error
from gui.settings import app_settings
from gui.workers.pool_job import PoolJob

if TYPE_CHECKING:
    from gui.session import Session

# PNG from the window: twice the screen layout's pixels, crisp when pasted into slides.
GUI_PNG_DPI = 192


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    file_filter: str
    suffix: str


KINDS = {
    "xlsx": ExportKind("xlsx", "Export stats workbook", "Excel workbook (*.xlsx)", ".xlsx"),
    "png": ExportKind("png", "Export charts as PNG", "PNG image (*.png)", ".png"),
    "svg": ExportKind("svg", "Export charts as SVG", "SVG image (*.svg)", ".svg"),
    "txt": ExportKind("txt", "Export desk note", "Text (*.txt)", ".txt"),
}


class _JobSignals(QObject):
    done = Signal(str)             # path written
    failed = Signal(str, str)      # path, message


class _WriteJob(PoolJob):
    """Runs one writer off the GUI thread; the result comes back as a queued signal."""

    def __init__(self, path: str, write: Callable[[], object]) -> None:
        super().__init__()
        self.path = path
        self.write = write
        self.signals = _JobSignals()  # made here, on the GUI thread; the Exporter deletes it

    def work(self) -> None:
        try:
            self.write()
        except Exception as exc:  # noqa: BLE001 - becomes a dialog on the GUI thread
            self.signals.failed.emit(self.path, f"{type(exc).__name__}: {exc}")
            return
        self.signals.done.emit(self.path)


class Exporter(QObject):
    """The export actions of one window: what it exports (the session, its charts), where
    it reports (a status bar) and the parent of its dialogs; nothing else of the window."""

    exported = Signal(str)          # path, after the file is complete
    exportFailed = Signal(str, str)
    busyChanged = Signal(bool)

    def __init__(self, session: Session, charts: QWidget, status_bar: QStatusBar,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.charts = charts
        self.status_bar = status_bar
        self.parent_widget = parent
        self.pool = QThreadPool.globalInstance()
        self._jobs: dict[str, _JobSignals] = {}
        self._busy_label: QLabel | None = None
        self._busy_bar: QProgressBar | None = None
        app = QCoreApplication.instance()
        if app is not None:  # quitting mid-write would leave the old file and a temp file
            app.aboutToQuit.connect(self._finish_before_quit)

    # -- public -------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def export(self, kind: str, path: str | None = None, *, force: bool = True) -> str | None:
        """Ask for a file name (unless ``path``), then write ``kind``. Returns the path
        once written or, for the workbook, once its worker started; None if cancelled or
        failed (the dialog already told the user)."""
        if kind not in KINDS:
            raise ValueError(f"unknown export kind {kind!r}")
        if path is None:
            path = self.ask_path(kind)
            force = True  # the save dialog has asked about replacing an existing file
        if not path:
            return None
        try:
            if self.session.comparison is None:
                raise ValueError("nothing to export: open a file first")
            check_target(path, force)  # before the worker starts: the answer comes at once
            if kind in ("xlsx", "txt"):
                self._catch_up()
            if kind == "xlsx":
                self._start_workbook(path, force)
                return path
            if kind == "txt":
                self._write_note(path, force)
            else:
                self._write_chart(kind, path, force)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a dialog
            self._on_failed(path, f"{type(exc).__name__}: {exc}")
            return None
        self._on_done(path)
        return path

    def ask_path(self, kind: str) -> str:
        spec = KINDS[kind]
        folder = str(app_settings().value("export/folder", "") or Path.home())
        suggested = os.path.join(folder, self.default_name(spec.suffix))
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, spec.title, suggested, spec.file_filter)
        if path and not Path(path).suffix:
            path += spec.suffix
        if path:
            app_settings().setValue("export/folder", str(Path(path).parent))
        return path

    def default_name(self, suffix: str) -> str:
        a = self.session.window_a
        if a is None:
            return f"gapwatch{suffix}"
        start, end = core_api.bounds(a)
        return f"gapwatch_{start}_{end}{suffix}"

    def wait(self, msecs: int = 60000) -> bool:
        """Until every workbook job has reported back (tests, closing the window)."""
        deadline = time.monotonic() + msecs / 1000
        while self._jobs and time.monotonic() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            time.sleep(0.005)
        return not self._jobs

    def _finish_before_quit(self) -> None:
        self.wait()

    # -- writers ----------------------------------------------------------------------------
    def _catch_up(self) -> None:
        """Figures and note of the windows as they are now: a window moved in this same
        event-loop turn has its recompute (and the note its refresh) still pending."""
        self.session.recompute()
        self.session.live.flush()

    def _start_workbook(self, path: str, force: bool) -> None:
        if path in self._jobs:
            raise RuntimeError("this file is being written already")
        write = workbook_writer(self.session, path, list(self.session.live.latest.note),
                                list(self.session.live.structure().pairs), force=force)
        job = _WriteJob(path, write)
        job.signals.done.connect(self._on_job_done)
        job.signals.failed.connect(self._on_job_failed)
        self._jobs[path] = job.signals
        self._set_busy(path)
        job.start(self.pool)

    def _write_chart(self, kind: str, path: str, force: bool) -> None:
        area = chart_export.chart_area(self.charts)
        if kind == "png":
            chart_export.write_widget_png(area, path, dpi=GUI_PNG_DPI, force=force)
        else:
            chart_export.write_widget_svg(area, path, force=force)

    def _write_note(self, path: str, force: bool) -> None:
        from core.export.note_text import write_note_text

        s = self.session
        write_note_text(path, list(s.live.latest.note), [s.window_a, s.window_b],
                        force=force)

    # -- results ----------------------------------------------------------------------------
    def _on_job_done(self, path: str) -> None:
        self._finish_job(path)
        self._on_done(path)

    def _on_job_failed(self, path: str, message: str) -> None:
        self._finish_job(path)
        self._on_failed(path, message)

    def _finish_job(self, path: str) -> None:
        signals = self._jobs.pop(path, None)
        if signals is not None:
            signals.deleteLater()
        self._set_busy(next(iter(self._jobs), None))

    def _on_done(self, path: str) -> None:
        self.status_bar.showMessage(f"Exported {path}", 5000)
        self.exported.emit(path)

    def _on_failed(self, path: str, message: str) -> None:
        show_error(self.parent_widget, "Export failed", f"{path}\n\n{message}",
                   "Nothing was written; an existing file keeps its old contents.")
        self.exportFailed.emit(path, message)

    def _set_busy(self, path: str | None) -> None:
        if self._busy_bar is None:
            self._busy_label = QLabel(self.parent_widget)
            self._busy_bar = QProgressBar(self.parent_widget)
            self._busy_bar.setRange(0, 0)  # indeterminate: the writer reports no steps
            self._busy_bar.setMaximumWidth(160)
            self._busy_bar.setToolTip("The workbook is written in the background")
            self.status_bar.addPermanentWidget(self._busy_label)
            self.status_bar.addPermanentWidget(self._busy_bar)
        busy = path is not None
        if busy:
            self._busy_label.setText(f"Exporting {Path(path).name}\u2026")
        self._busy_label.setVisible(busy)
        self._busy_bar.setVisible(busy)
        self.busyChanged.emit(busy)


def workbook_writer(session: Session, path: str, note: list[str], pairs: list[tuple[str, str]],
                    *, force: bool) -> Callable[[], object]:
    """Everything the workbook needs, taken now on the GUI thread; the returned function
    only reads this snapshot (the session may move on while it runs)."""
    from core.export.workbook import write_stats_workbook

    comparison = session.comparison
    series_by_id = {s.id: s for s in session.catalog}
    relative = [session.engine.relative(a, b, session.window_a) for a, b in pairs]
    provenance = core_api.provenance(session)

    def write() -> object:
        return write_stats_workbook(path, comparison=comparison, series_by_id=series_by_id,
                                    note=note, relative=relative, provenance=provenance,
                                    force=force)

    return write


def check_target(path: str, force: bool) -> None:
    """The errors a writer would raise late, raised now: no folder, or a file in the way."""
    target = Path(path)
    if not target.parent.is_dir():
        raise FileNotFoundError(f"folder {target.parent} does not exist")
    refuse_overwrite(target, force)

"""Loading files into the session: in a worker with progress and cancel in the status
bar, or synchronously (smoke renders, tests); and reloading files the desk overwrites
(QFileSystemWatcher), keeping the windows and recording what changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QProgressBar, QPushButton, QWidget

from core.catalog import LoadResult
from core.pipeline import is_derived_file
from gui import core_api
from gui.errors import show_error
from gui.session import Session
from gui.settings import add_recent_file
from gui.workers.load_worker import LoadJob, LoadSignals

RELOAD_DELAY_MS = 400  # writers (Excel, copy) touch a file several times in a row
STATUS_MESSAGE_MS = 15000
SHOW_LOADED_EVERY_S = 2.0  # while a multi-file open runs, its files appear this often


class LoadController(QObject):
    idle = Signal()
    cancelled = Signal(list)   # the files a cancel left unread (the one being read, the queue)

    def __init__(self, session: Session, parent_widget: QWidget, progress: QProgressBar,
                 cancel_button: QPushButton) -> None:
        super().__init__(parent_widget)
        self.session = session
        self.parent_widget = parent_widget
        self.progress = progress
        self.cancel_button = cancel_button
        self.mappings: dict[str, object] = {}
        self.pool = QThreadPool.globalInstance()
        self.job: LoadJob | None = None
        # One signal hub for every job, owned here on the GUI thread (see LoadJob).
        self.signals = LoadSignals(self)
        self.signals.progress.connect(self._on_progress)
        self.signals.loaded.connect(self._on_loaded)
        self.signals.failed.connect(self._on_failed)
        self.signals.finished.connect(self._on_finished)
        self._queue: list[tuple[list[str], bool]] = []
        self._job_paths: list[str] = []
        self._job_done: set[str] = set()
        self.last_cancelled: list[str] = []
        self._after: list[Callable[[], None]] = []
        self._problems: list[tuple[str, str, str, str]] = []  # title, path, text, detail
        self._sync = False  # inside load_sync: problems wait for its end too
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._on_file_changed)
        self._pending_reload: set[str] = set()
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._reload_pending)
        cancel_button.clicked.connect(self.cancel)
        self._set_busy(False)

    # -- public ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.job is not None

    def open(self, paths: list[str], *, reload: bool = False,
             then: Callable[[], None] | None = None) -> None:
        paths = [str(Path(p).resolve()) for p in paths]
        if then is not None:
            self._after.append(then)
        if self.job is not None:
            self._queue.append((paths, reload))
            return
        self._start(paths, reload)

    def load_sync(self, paths: list[str]) -> list[LoadResult]:
        """Load on the calling thread (smoke render, tests); errors become one dialog."""
        out = []
        self._sync = True
        try:
            with self.session.batch():
                for p in paths:
                    path = str(Path(p).resolve())
                    try:
                        result = core_api.load_file(path, mapping=self.mappings.get(path))
                    except Exception as exc:  # noqa: BLE001 - the dialog names file and error
                        self._on_failed(path, f"{type(exc).__name__}: {exc}")
                        continue
                    result.messages.extend(core_api.record_vintages(result))
                    self._on_loaded(result)
                    out.append(result)
        finally:
            self._sync = False
            self._report_problems()
        return out

    def cancel(self) -> None:
        """Stop the running load and drop the queued ones; files already read stay."""
        if self.job is not None:
            self.job.cancel()
            self.progress.setFormat("Cancelling\u2026")

    def wait(self, msecs: int = 60000) -> bool:
        """Block until the load worker is done and its rebuild shown (tests, closing)."""
        if not self.pool.waitForDone(msecs):
            return False
        QCoreApplication.processEvents()  # the worker's last signals: the batch ends
        return self.session.wait_rebuild(msecs / 1000)

    # -- worker ---------------------------------------------------------------------------
    def _start(self, paths: list[str], reload: bool) -> None:
        job = LoadJob(paths, {p: self.mappings.get(p) for p in paths}, use_cache=not reload,
                      signals=self.signals)
        self.job = job
        self._job_paths, self._job_done = list(paths), set()
        self.session.begin_batch(background=True)  # ended in _on_finished
        self._set_busy(True)
        job.start(self.pool)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(round(fraction * 1000)))
        self.progress.setFormat(f"{text[-60:]}  %p%")

    def _on_loaded(self, result: LoadResult) -> None:
        self._job_done.add(result.file)
        self.session.add_result(result)
        if self.job is not None and self.session.batch_age() > SHOW_LOADED_EVERY_S:
            self.session.flush_batch()  # a long open shows its files as it goes
        if result.ok and not is_derived_file(result.file):
            if os.path.exists(result.file) and result.file not in self.watcher.files():
                self.watcher.addPath(result.file)
            add_recent_file(result.file)
        if not result.ok:
            errors = [str(m) for m in result.messages if m.level == "error"][:5]
            self._problem("Nothing readable", result.file,
                          f"No series could be read from {result.file}.", "\n".join(errors))

    def _on_failed(self, path: str, message: str) -> None:
        self._job_done.add(path)
        self._problem("Could not open file", path, f"{path}\n\n{message}",
                      "The files already open stay loaded.")

    def _problem(self, title: str, path: str, text: str, detail: str) -> None:
        """Kept for one dialog when the open ends: a modal box per file would stop the
        GUI mid-load once for every unreadable file of a many-file open."""
        self._problems.append((title, path, text, detail))
        if self.job is None and not self._sync:
            self._report_problems()

    def _report_problems(self) -> None:
        problems, self._problems = self._problems, []
        if len(problems) == 1:
            title, _path, text, detail = problems[0]
            show_error(self.parent_widget, title, text, detail)
        elif problems:
            names = ", ".join(Path(p).name for _, p, _, _ in problems[:4])
            more = f" and {len(problems) - 4} more" if len(problems) > 4 else ""
            detail = "\n\n".join(f"{Path(p).name}: {title.lower()}"
                                   + (f"\n{d}" if title == "Nothing readable" and d else "")
                                   for title, p, _, d in problems)
            show_error(self.parent_widget, f"{len(problems)} files not loaded",
                       f"Nothing could be read from {names}{more}. The other files are "
                       "loaded.", detail)

    def _on_finished(self, cancelled: bool) -> None:
        self.session.end_batch()  # the rebuild runs on a worker: the rest once it is shown
        if self.session.rebuilding:
            self.progress.setRange(0, 0)
            self.progress.setFormat("Preparing charts and tables\u2026")
            self.cancel_button.setVisible(False)
        self.session.when_rebuilt(lambda: self._after_rebuild(cancelled))

    def _after_rebuild(self, cancelled: bool) -> None:
        self.job = None
        self._report_problems()
        if cancelled:
            unread = [p for p in self._job_paths if p not in self._job_done]
            unread += [p for paths, _reload in self._queue for p in paths]
            self._queue.clear()
            self._report_cancelled(unread)
        if self._queue:
            paths, reload = self._queue.pop(0)
            self._start(paths, reload)
            return
        self._set_busy(False)
        after, self._after = self._after, []
        for fn in after:
            fn()
        self.idle.emit()

    def _report_cancelled(self, unread: list[str]) -> None:
        """Say in the status bar what the cancel left out (the progress bar is gone)."""
        self.last_cancelled = list(dict.fromkeys(unread))
        names = ", ".join(Path(p).name for p in self.last_cancelled[:3])
        if len(self.last_cancelled) > 3:
            names += f" and {len(self.last_cancelled) - 3} more"
        text = f"Loading cancelled: {names or 'nothing left to read'} not loaded; " \
               "the files already open stay loaded"
        if isinstance(self.parent_widget, QMainWindow):
            self.parent_widget.statusBar().showMessage(text, STATUS_MESSAGE_MS)
        self.cancelled.emit(self.last_cancelled)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if busy:
            self.progress.setRange(0, 1000)
            self.progress.setValue(0)

    # -- watching ---------------------------------------------------------------------------
    def _on_file_changed(self, path: str) -> None:
        self._pending_reload.add(path)
        self._reload_timer.start()

    def _reload_pending(self) -> None:
        paths = [p for p in sorted(self._pending_reload) if os.path.exists(p)]
        self._pending_reload.clear()
        for p in paths:  # an atomic replace drops the watch: put it back
            if p not in self.watcher.files():
                self.watcher.addPath(p)
        if paths:
            self.open(paths, reload=True)

    def unwatch(self, path: str) -> None:
        if path in self.watcher.files():
            self.watcher.removePath(path)

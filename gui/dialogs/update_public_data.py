"""File > Update public data…: CFTC TFF, FRED target range and FINRA short interest,
fetched by the same core code as ``main.py fetch``, off the GUI thread (QThreadPool),
with a progress bar, Cancel, and one line per source in the log.

When the update ends, the stored public data (``core.public_data.public_results``, read
on the worker too) is handed to ``loaded`` so the main window adds it as its own groups
("Public data: CFTC TFF 2006–2026", "Public data: FRED ..."). Cancel stops between and
inside downloads; files stored before that are complete and checked.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FetchSignals(QObject):
    progress = Signal(float, str)
    line = Signal(str, bool)  # one line per source, ok?
    loaded = Signal(object)  # list[LoadResult] of the stored public data
    finished = Signal(bool)  # cancelled?


class FetchJob(QRunnable):
    def __init__(self, sources: list[str], years: list[int] | None, symbols: list[str] | None,
                 signals: FetchSignals, cftc_reports: tuple[str, ...] | None = None) -> None:
        super().__init__()
        self.sources, self.years, self.symbols = sources, years, symbols
        self.cftc_reports = cftc_reports
        self.signals = signals
        self._cancel = threading.Event()
        self.setAutoDelete(True)

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        from core.public_data import public_results, update_sources
        from core.public_data.http_client import FetchCancelled

        cancelled = False
        try:
            outcomes = update_sources(self.sources, years=self.years, symbols=self.symbols,
                                      progress=self.signals.progress.emit,
                                      cancel=self._cancel.is_set,
                                      cftc_reports=self.cftc_reports)
            for o in outcomes:
                self.signals.line.emit(o.line(), o.ok)
                for note in o.notes:
                    self.signals.line.emit(f"  note: {note}", True)
        except FetchCancelled:
            cancelled = True
            self.signals.line.emit("Cancelled; files stored before that are complete.", True)
        except Exception as exc:  # noqa: BLE001 - shown in the log, never a crash
            self.signals.line.emit(f"Update stopped: {type(exc).__name__}: {exc}", False)
        try:
            self.signals.loaded.emit(public_results())
        except Exception as exc:  # noqa: BLE001
            self.signals.line.emit(f"Stored public data could not be read: {exc}", False)
        self.signals.finished.emit(cancelled)


class UpdatePublicDataDialog(QDialog):
    """``loaded`` carries the stored public data (list of LoadResult) after each run."""

    loaded = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Update public data")
        self.pool = QThreadPool.globalInstance()
        self.job: FetchJob | None = None
        self.signals = FetchSignals(self)
        self.signals.progress.connect(self._on_progress)
        self.signals.line.connect(self._on_line)
        self.signals.loaded.connect(self.loaded)
        self.signals.finished.connect(self._on_finished)

        self.boxes = {key: QCheckBox(text) for key, text in (
            ("cftc", "CFTC Traders in Financial Futures (futures-only and combined)"),
            ("fred", "FRED fed funds target range and effective rate"),
            ("finra", "FINRA equity short interest"))}
        for box in self.boxes.values():
            box.setChecked(True)
        self.legacy = QCheckBox("also the CFTC Legacy report (all markets since 1986; large)")
        self.years = QLineEdit()
        self.years.setPlaceholderText("e.g. 2006:2026 (default: CFTC since 2006, FINRA 2 years)")
        self.symbols = QLineEdit()
        self.symbols.setPlaceholderText("FINRA symbols, e.g. IWM,QQQ,SPY (default: last used)")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.start_button = QPushButton("Update")
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Years", self.years)
        form.addRow("Symbols", self.symbols)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addWidget(self.legacy)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.log, 1)
        layout.addLayout(buttons)
        self.resize(640, 420)

    # -- actions ------------------------------------------------------------------------
    def start(self) -> None:
        from core.public_data.cli_fetch import parse_years

        sources = [k for k, box in self.boxes.items() if box.isChecked()]
        if not sources:
            self._on_line("Tick at least one source.", False)
            return
        try:
            years = parse_years(self.years.text().strip() or None)
        except ValueError as exc:
            self._on_line(str(exc), False)
            return
        text = self.symbols.text()
        symbols = [s.strip().upper() for s in text.split(",") if s.strip()] or None
        self.log.clear()
        self.bar.setValue(0)
        reports = ("futures", "combined", "legacy") if self.legacy.isChecked() else None
        self.job = FetchJob(sources, years, symbols, self.signals, reports)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.pool.start(self.job.run)  # a callable, as gui/loading.py explains

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.bar.setFormat("Cancelling\u2026")

    def wait(self, msecs: int = 60000) -> bool:
        """Block until the worker is done (tests)."""
        return self.pool.waitForDone(msecs)

    def reject(self) -> None:
        self.cancel()
        super().reject()

    # -- worker signals -------------------------------------------------------------------
    def _on_progress(self, fraction: float, text: str) -> None:
        self.bar.setValue(int(round(max(0.0, min(1.0, fraction)) * 1000)))
        self.bar.setFormat(f"{text[-60:]}  %p%")

    def _on_line(self, text: str, ok: bool) -> None:
        self.log.appendPlainText(text if ok else f"\u26a0 {text}")

    def _on_finished(self, cancelled: bool) -> None:
        self.job = None
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.bar.setFormat("Cancelled" if cancelled else "Done  %p%")
        if not cancelled:
            self.bar.setValue(1000)


def open_update_public_data(window) -> UpdatePublicDataDialog:
    """The File-menu hook: show the dialog; stored public data goes into the session as
    its own groups, and the rate odds re-read the (possibly fetched) target range."""
    dialog = UpdatePublicDataDialog(window)

    def add(results) -> None:
        # the rebuild that showing the results makes has the odds re-read the target
        # range (a fetched FRED range replaces the bundled one where it covers)
        if results:
            window.session.add_results(results)

    dialog.loaded.connect(add)
    dialog.show()
    return dialog

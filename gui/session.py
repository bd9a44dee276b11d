"""The application state the views share: catalog, window engine, windows A/B, the
checked series, the undo stack, and the comparison of the current windows.

Moving a window is cheap (``windowsChanged(origin)`` fires at once so regions and
shading follow the mouse; the view the change came from is named so it is not told its
own move). During a mouse drag the engine's ``compare`` runs right away, inside the
move, and ``live`` (gui.live_results) turns it into what every view shows, before the
one repaint that follows (run later, the paint requested by the move comes first and
every view paints twice per step). Other changes (lookback, alignment, undo, presets)
recompute once per event-loop turn as a queued call, so several setters in a row cost
one ``compare``. Loads and closes rebuild the catalog and engine on a worker thread
(``_rebuild``: latest request wins).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
from PySide6.QtCore import QMetaObject, QObject, Qt, Signal, Slot
from PySide6.QtGui import QUndoStack

from core.analytics.engine_set import EngineSet
from core.analytics.results import Comparison
from core.analytics.window import Window
from core.catalog import Catalog, LoadResult
from core.markets import default_checked
from core.pipeline import DERIVED_POSITIONING_FILE, AnalysisState
from core.series import Series
from gui import core_api
from gui.live_results import LiveResultsComputer
from gui.undo import SetWindowsCommand
from gui.workers.engine_fill_job import EngineFillJob, EngineFillSignals
from gui.workers.rebuild_job import RebuildJob, RebuildRequest, RebuildSignals


class Session(QObject):
    catalogChanged = Signal()
    checkedChanged = Signal()
    windowsChanged = Signal(object)  # origin: the view the change came from, or None
    resultsReady = Signal()
    lockChanged = Signal(bool)
    settingsChanged = Signal()   # lookback / alignment
    changesChanged = Signal()    # reload diffs shown / acknowledged
    dragFinished = Signal()      # mouse released after live window moves
    rebuildFailed = Signal(str)  # a background rebuild raised: the message
    figuresCoverage = Signal(int, int)  # series with window figures, series in all

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalog = Catalog()
        self.engine: EngineSet | None = None
        self.window_a: Window | None = None
        self.window_b: Window | None = None
        self.lock_b = True
        self.lookback_years = 3.0
        self.alignment = "asof"
        self.checked: list[str] = []
        self.results: dict[str, LoadResult] = {}
        self.changes: dict[str, list] = {}
        self.comparison: Comparison | None = None
        self.continued: dict[str, list] = {}
        self.undo_stack = QUndoStack(self)
        # what the views show, once per step (views subscribe to live.updated)
        self.live = LiveResultsComputer(self)
        self._drag_serial = 0
        self.dragging = False
        self._recompute_pending = False
        self._batch_depth = 0
        self._batch_pending = False  # results added in the batch, not yet shown
        self._batch_keep_windows = True
        self._batch_background = False
        self._batch_started = 0.0
        self._requests = 0            # rebuilds asked for
        self._shown_request = 0       # the one whose state is shown
        self._waiting_request: RebuildRequest | None = None
        self._pending_keep_windows = True
        self._rebuild_job: RebuildJob | None = None
        self._after_rebuild: list[Callable[[], None]] = []
        self._rebuild_signals = RebuildSignals(self)
        self._rebuild_signals.done.connect(self._on_rebuild_done)
        # a large catalog's engine is built a shard at a time after the first paint
        self._fill_job: EngineFillJob | None = None
        self._fill_signals = EngineFillSignals(self)
        self._fill_signals.done.connect(self._on_fill_done)
        self.fill_budget = core_api.engine_budget()

    # -- data -----------------------------------------------------------------------
    @property
    def files(self) -> list[str]:
        return [f for f in self.catalog.files if f in self.results]

    def add_result(self, result: LoadResult, *, keep_windows: bool = True) -> list:
        """Add or replace one file's series; returns the changes against the previous load.
        Inside a batch (``begin_batch``) the catalog and engine are rebuilt once, at its
        end or at a ``flush_batch``."""
        old = self.results.get(result.file)
        changes = core_api.diff_results(old, result) if old is not None else []
        self.results[result.file] = result
        if changes:
            self.changes[result.file] = changes
        if self._batch_depth:
            self._batch_pending = True
            self._batch_keep_windows &= keep_windows
            return changes
        self._rebuild(keep_windows=keep_windows)
        return changes

    def begin_batch(self, *, background: bool = False) -> None:
        """Results added from now on wait for one rebuild: a rebuild (catalog, engine,
        tables) takes about a second with 4,000 CFTC series, and once per file it froze a
        13-file open for over a minute. ``background``: the rebuilds of this batch run
        on a worker thread (the window stays live; see ``when_rebuilt``)."""
        if self._batch_depth == 0:
            self._batch_started = time.monotonic()
            self._batch_background = background
        self._batch_depth += 1

    def end_batch(self) -> None:
        self._batch_depth = max(self._batch_depth - 1, 0)
        if self._batch_depth == 0:
            self.flush_batch()

    def flush_batch(self) -> None:
        """Show what the batch has added so far (the batch goes on)."""
        self._batch_started = time.monotonic()
        if not self._batch_pending:
            return
        keep, self._batch_pending, self._batch_keep_windows = \
            self._batch_keep_windows, False, True
        self._rebuild(keep_windows=keep, background=self._batch_background)

    def batch_age(self) -> float:
        """Seconds since the batch began or was last flushed."""
        return time.monotonic() - self._batch_started

    @contextmanager
    def batch(self) -> Iterator[None]:
        self.begin_batch()
        try:
            yield
        finally:
            self.end_batch()

    def add_results(self, results: list[LoadResult]) -> None:
        for r in results:
            self.results[r.file] = r
        self._rebuild(keep_windows=True)

    def remove_file(self, file: str, *, background: bool = False) -> None:
        self.results.pop(file, None)
        self.changes.pop(file, None)
        self._rebuild(keep_windows=True, background=background)

    def acknowledge_changes(self, file: str | None = None) -> None:
        if file is None:
            self.changes.clear()
        else:
            self.changes.pop(file, None)
        self.changesChanged.emit()

    def changed_series_ids(self) -> set[str]:
        return {core_api.change_series_id(c) for cs in self.changes.values() for c in cs}

    # -- rebuilds (catalog + engine from the results) ------------------------------
    @property
    def rebuilding(self) -> bool:
        """A rebuild was asked for and its state is not shown yet."""
        return self._shown_request < self._requests

    def when_rebuilt(self, fn: Callable[[], None]) -> None:
        """Call ``fn`` once the latest rebuild is shown (now, if none is pending)."""
        if self.rebuilding:
            self._after_rebuild.append(fn)
        else:
            fn()

    def wait_rebuild(self, timeout_s: float = 120.0) -> bool:
        """Block until the latest rebuild is shown (synchronous callers, tests)."""
        deadline = time.monotonic() + timeout_s
        while self.rebuilding:
            job = self._rebuild_job
            if job is None or not job.wait(max(deadline - time.monotonic(), 0.0)):
                return False
            self._on_rebuild_done(job)
        return True

    def _rebuild(self, *, keep_windows: bool, background: bool = False) -> None:
        """Latest wins: one rebuild runs at a time; requests made while it runs wait, the
        latest replacing the others (a long open's intermediate states are skipped when
        files come faster than rebuilds); a finished state older than the one shown is
        dropped."""
        self._requests += 1
        # a request that overtakes one not yet shown inherits its "new windows" wish
        keep = keep_windows and self._pending_keep_windows
        self._pending_keep_windows = keep
        request = RebuildRequest(self._requests, list(self.results.values()),
                                 self.lookback_years, self.alignment, keep,
                                 tuple(self.checked))
        if background:
            self._waiting_request = request
            self._start_rebuild_job()
            return
        self._waiting_request = None
        state = core_api.analysis_state(request.results, request.lookback_years,
                                        request.alignment, list(request.checked))
        self._install(request, state)

    def _start_rebuild_job(self) -> None:
        if self._rebuild_job is not None or self._waiting_request is None:
            return
        request, self._waiting_request = self._waiting_request, None
        job = RebuildJob(request, self._rebuild_signals)
        self._rebuild_job = job
        job.start()

    @Slot(object)
    def _on_rebuild_done(self, job: RebuildJob) -> None:
        if job is not self._rebuild_job:
            return  # already taken (wait_rebuild) or an old job
        self._rebuild_job = None
        request = job.request
        if job.error is not None:
            if request.serial == self._requests:
                self._shown_request = request.serial  # nothing newer to wait for
            self.rebuildFailed.emit(job.error)
        elif request.serial > self._shown_request:
            # newer than what is shown (a newer request may wait: it follows); a state
            # older than the one shown (a synchronous rebuild overtook it) is dropped
            self._install(request, job.state)
        self._start_rebuild_job()
        if not self.rebuilding:
            after, self._after_rebuild = self._after_rebuild, []
            for fn in after:
                fn()

    def _install(self, request: RebuildRequest, state: AnalysisState) -> None:
        self._shown_request = request.serial
        self._pending_keep_windows = True
        self.catalog, self.engine = state.catalog, state.engine
        self.continued = dict(state.continued)  # per file: what it added to a history
        if self.engine is not None:  # changed while the rebuild ran
            if self.lookback_years != request.lookback_years:
                self.engine.set_lookback(self.lookback_years, keep=self._keep_on_change())
            if self.alignment != request.alignment:
                self.engine.set_alignment(self.alignment, keep=self._keep_on_change())
        known = set(self.catalog.ids)
        self.checked = [sid for sid in self.checked if sid in known]
        if not self.checked:
            self.checked = default_checked(list(self.catalog))
        if self.engine is not None and (self.window_a is None or not request.keep_windows):
            a = core_api.preset(self, "1Y")
            self.window_a, self.window_b = a, core_api.year_earlier(a)
            self.undo_stack.clear()
        self.live.invalidate()
        self.catalogChanged.emit()
        self.checkedChanged.emit()
        self.windowsChanged.emit(None)
        self.recompute()
        if self.changes:
            self.changesChanged.emit()
        self._fill()

    def set_checked(self, ids: list[str]) -> None:
        if ids != self.checked:
            self.checked = list(ids)
            self.checkedChanged.emit()
            self._fill()  # a newly checked series not built yet goes next

    # -- the engine's background fill (a large catalog) -----------------------------
    def figures_coverage(self) -> tuple[int, int]:
        """(series with window figures, series with data)."""
        if self.engine is None:
            return 0, 0
        return len(self.engine.series_ids), len(self.engine.all_ids)

    @property
    def filling(self) -> bool:
        return self._fill_job is not None

    def _keep_on_change(self) -> list[str] | None:
        """What a lookback or alignment change rebuilds at once: everything (None) while
        the engine is small, the first paint's series when it is not."""
        engine = self.engine
        if engine is None or engine.built_observations <= core_api.first_paint_observations():
            return None
        return core_api.priority_ids([engine.series(sid) for sid in engine.all_ids],
                                     self.checked)

    def _fill(self) -> None:
        """Build the next shard off the GUI thread: the checked series not built yet
        first, then catalog order while the observation budget lasts."""
        engine = self.engine
        if self._fill_job is not None or engine is None:
            return
        ids = engine.next_shard(self.fill_budget, first=self.checked)
        if ids:
            job = EngineFillJob(engine, engine.shard_series(ids), engine.lookback_years,
                                engine.alignment, self._fill_signals)
            self._fill_job = job
            job.start()
        self.figuresCoverage.emit(*self.figures_coverage())

    def wait_fill(self, timeout_s: float = 120.0) -> bool:
        """Block until the background fill has nothing left to build (tests)."""
        deadline = time.monotonic() + timeout_s
        while (job := self._fill_job) is not None:
            if not job.wait(max(deadline - time.monotonic(), 0.0)):
                return False
            self._on_fill_done(job)
        return True

    @Slot(object)
    def _on_fill_done(self, job: EngineFillJob) -> None:
        if job is not self._fill_job:
            return  # already taken (wait_fill)
        self._fill_job = None
        if job.error is not None:
            self.rebuildFailed.emit(f"Window figures of {len(job.series)} series could not "
                                    f"be computed: {job.error}")
            return
        if job.target is self.engine and job.engine is not None and \
                self.engine.attach(job.engine):
            self.live.invalidate()  # same engine object, more series: views refresh
            self.recompute()
        self._fill()

    def series(self, sid: str) -> Series | None:
        return self.catalog.get(sid)

    def data_span(self) -> tuple[np.datetime64, np.datetime64] | None:
        firsts = [s.first_date for s in self.catalog if len(s)]
        lasts = [s.last_date for s in self.catalog if len(s)]
        return (min(firsts), max(lasts)) if firsts else None

    # -- settings -------------------------------------------------------------------
    def set_lookback(self, years: float) -> None:
        self.lookback_years = float(years)
        if self.engine is not None:
            # a large catalog: what is on screen now, the rest in the background
            self.engine.set_lookback(self.lookback_years, keep=self._keep_on_change())
            self._fill()
        if self.catalog.series_of_file(DERIVED_POSITIONING_FILE):
            # the COT index is derived over the lookback: derive it again (only then: a
            # rebuild rebuilds the engine too)
            self._rebuild(keep_windows=True, background=True)
        self.settingsChanged.emit()
        self.schedule_recompute()

    def set_alignment(self, alignment: str) -> None:
        self.alignment = alignment
        if self.engine is not None:
            self.engine.set_alignment(alignment, keep=self._keep_on_change())
            self._fill()
        self.settingsChanged.emit()
        self.schedule_recompute()

    def set_lock(self, locked: bool) -> None:
        if locked == self.lock_b:
            return
        self.lock_b = locked
        self.lockChanged.emit(locked)
        if locked and self.window_a is not None:
            self.set_windows(self.window_a, core_api.year_earlier(self.window_a),
                             text="Lock B to a year earlier")

    # -- windows --------------------------------------------------------------------
    def set_window_a(self, w: Window, *, drag: bool = False, origin: object = None) -> None:
        b = core_api.year_earlier(w) if self.lock_b else self.window_b
        self.set_windows(w, b, drag=drag, text="Move window A", origin=origin)

    def set_window_b(self, w: Window, *, drag: bool = False, origin: object = None) -> None:
        if self.lock_b:
            return
        self.set_windows(self.window_a, w, drag=drag, text="Move window B", origin=origin)

    def set_windows(self, a: Window | None, b: Window | None, *, drag: bool = False,
                    text: str = "Move windows", origin: object = None) -> None:
        """``origin``: the view item the change came from (a navigator region being
        dragged); it is not told its own change back (``windowsChanged``'s argument)."""
        if a is None or b is None:
            return
        if core_api.same_window(a, self.window_a) and core_api.same_window(b, self.window_b):
            return
        self.dragging = drag
        cmd = SetWindowsCommand(self.apply_windows, (self.window_a, self.window_b), (a, b),
                                drag_serial=self._drag_serial if drag else None, text=text,
                                origin=origin)
        self.undo_stack.push(cmd)

    def end_drag(self) -> None:
        """Mouse released: the next drag starts a new undo entry; views that skip work
        while dragging (chart range follow, table re-sort) catch up now."""
        self._drag_serial += 1
        if self.dragging:
            self.dragging = False
            self.live.release()
            self.dragFinished.emit()

    def apply_windows(self, a: Window | None, b: Window | None, origin: object = None) -> None:
        """Set both windows as they are (the undo command's way in; views call
        ``set_windows``, which makes the command)."""
        self.window_a, self.window_b = a, b
        self.windowsChanged.emit(origin)
        if self.dragging:
            self.recompute()
        else:
            self.schedule_recompute()

    # -- results --------------------------------------------------------------------
    def schedule_recompute(self) -> None:
        if not self._recompute_pending:
            self._recompute_pending = True
            QMetaObject.invokeMethod(self, "_run_pending_recompute",
                                     Qt.ConnectionType.QueuedConnection)

    @property
    def recompute_pending(self) -> bool:
        return self._recompute_pending

    @Slot()
    def _run_pending_recompute(self) -> None:
        if self._recompute_pending:
            self.recompute()

    def recompute(self) -> None:
        self._recompute_pending = False
        if self.engine is None or self.window_a is None:
            self.comparison = None
        else:
            self.comparison = self.engine.compare(self.window_a, self.window_b)
        self.live.step()
        self.resultsReady.emit()

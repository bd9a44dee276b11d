"""The rebuild after a load (merge, derived odds, window engine: about a second at
4,000 series) on a worker thread, so the window stays live while it runs."""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from core.catalog import LoadResult
from core.pipeline import AnalysisState
from gui import core_api
from gui.workers.pool_job import PoolJob


@dataclass(frozen=True)
class RebuildRequest:
    serial: int                 # the session's count of requests: the latest wins
    results: list[LoadResult]   # a snapshot: the session may add or drop files meanwhile
    lookback_years: float
    alignment: str
    keep_windows: bool
    checked: tuple[str, ...] = ()  # built first (the rest of a large catalog follows)


class RebuildSignals(QObject):
    done = Signal(object)  # the RebuildJob, finished (state or error set)


class RebuildJob(PoolJob):
    def __init__(self, request: RebuildRequest, signals: RebuildSignals) -> None:
        super().__init__()
        self.request = request
        self.signals = signals
        self.state: AnalysisState | None = None
        self.error: str | None = None

    def work(self) -> None:
        r = self.request
        try:
            self.state = core_api.analysis_state(r.results, r.lookback_years, r.alignment,
                                                 list(r.checked))
        except Exception as exc:  # noqa: BLE001 - reported by the session as a dialog
            self.error = str(exc) or type(exc).__name__
            traceback.print_exc()
        finally:
            self.done.set()  # before the signal: wait_rebuild may take the job at once
        self.signals.done.emit(self)

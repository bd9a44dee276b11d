"""One shard of a large catalog's window engine, built off the GUI thread (~1 s each):
the session attaches it when it is done and asks for the next (``Session._fill``)."""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, Signal

from core.series import Series
from gui import core_api
from gui.workers.pool_job import PoolJob


class EngineFillSignals(QObject):
    done = Signal(object)  # the EngineFillJob, finished (engine or error set)


class EngineFillJob(PoolJob):
    def __init__(self, target: object, series: list[Series], lookback_years: float,
                 alignment: str, signals: EngineFillSignals) -> None:
        super().__init__()
        self.target = target  # the EngineSet it is for: dropped if the session moved on
        self.series = series  # taken on the GUI thread: the job reads nothing shared
        self.lookback_years = lookback_years
        self.alignment = alignment
        self.signals = signals
        self.engine = None
        self.error: str | None = None

    def work(self) -> None:
        try:
            if not self.is_cancelled():
                self.engine = core_api.build_engine(self.series, self.lookback_years,
                                                    self.alignment)
        except Exception as exc:  # noqa: BLE001 - the session reports it in the status bar
            self.error = str(exc) or type(exc).__name__
            traceback.print_exc()
        finally:
            self.done.set()
        self.signals.done.emit(self)

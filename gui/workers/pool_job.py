"""Work for the global thread pool: the one way Gapwatch runs a job off the GUI thread.

Results go back through signals of a QObject that the caller owns on the GUI thread
(delivered queued). Two PySide lessons live here once, for every job (loads, rebuilds,
workbook writes):
- a QObject made per job and destroyed from the worker thread crashes, and one kept
  by PySide's pool leaks (one per load, seen over 100 loads): the hub is the caller's;
- ``pool.start(runnable)`` makes the pool the runnable's Python parent, and PySide now
  and then kept that wrapper after the worker thread had deleted the C++ side (about
  one load in 25): the pool is handed ``job.run``, a plain callable, released as soon
  as it returns.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QRunnable, QThreadPool


class PoolJob(QRunnable):
    """Subclasses implement ``work()``; ``cancel()`` asks it to stop, ``done`` is set
    once it returned or raised (``wait`` blocks on it: tests, synchronous callers)."""

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()
        self.done = threading.Event()
        self.setAutoDelete(True)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self.run)

    def wait(self, timeout_s: float | None = None) -> bool:
        return self.done.wait(timeout_s)

    def run(self) -> None:
        try:
            self.work()
        finally:
            self.done.set()

    def work(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

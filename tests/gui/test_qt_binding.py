"""The Qt binding must not leak references to singletons on signal emission.

PySide6-Essentials 6.12.0 on Python 3.11 takes one reference off ``True`` per
``Signal.emit``; pyqtgraph emits on every mouse move, so the interpreter aborts
("bool_dealloc") a few minutes into a session. pyproject.toml excludes that release;
this test catches any binding with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(object)


def test_signal_emit_keeps_singleton_refcounts(qapp):
    e = _Emitter()
    e.fired.connect(lambda _x: None)
    before = (sys.getrefcount(True), sys.getrefcount(None), sys.getrefcount(False))
    for _ in range(1000):
        e.fired.emit(1)
    after = (sys.getrefcount(True), sys.getrefcount(None), sys.getrefcount(False))
    drift = [a - b for a, b in zip(after, before, strict=True)]
    assert all(abs(d) < 50 for d in drift), f"refcount drift True/None/False: {drift}"

"""Gapwatch GUI: PySide6 + pyqtgraph views over core objects (see gui/main_window.py)."""

from __future__ import annotations

import sys


def _pin_singleton_refcounts() -> None:
    """Work around a PySide6 6.12 refcount bug on Python < 3.12.

    Every ``Signal.emit`` from Python drops one reference to ``True``, and other calls drop
    ``None``, without taking them (shiboken's stable-ABI build assumes immortal singletons,
    which only Python 3.12+ has).
    pyqtgraph emits signals on every mouse move and range change, so after a few thousand
    events CPython aborts with "bool_dealloc: deallocating True or False". Giving True and
    False (and None, Ellipsis, NotImplemented) an enormous reference count makes them
    effectively immortal, as on 3.12.
    """
    if sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return
    import ctypes

    for obj in (True, False, None, Ellipsis, NotImplemented):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_pin_singleton_refcounts()

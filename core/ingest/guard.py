"""Which exceptions from a reader are "this input is bad" (become a message) and which
must propagate.

python-calamine turns a Rust panic into ``pyo3_runtime.PanicException``, which derives
from ``BaseException`` (so ``except Exception`` misses it) and cannot be imported by
name; it is recognised by its class name. The user's cancel, Ctrl-C and interpreter
exit always propagate.
"""

from __future__ import annotations


class Cancelled(Exception):
    """Raised by load_file/load_files when the caller's ``cancel()`` returned True."""


def is_input_failure(exc: BaseException) -> bool:
    """True for errors a bad file can cause in a reader or parser; False for the
    user's cancel and for KeyboardInterrupt/SystemExit/GeneratorExit."""
    if isinstance(exc, Cancelled):
        return False
    if isinstance(exc, Exception):
        return True
    return type(exc).__name__ == "PanicException"


def describe(exc: BaseException) -> str:
    """``Type: message`` clipped to one readable line."""
    text = " ".join(str(exc).split())
    if len(text) > 300:
        text = text[:300] + "..."
    kind = "internal reader panic" if type(exc).__name__ == "PanicException" else type(exc).__name__
    return f"{kind}: {text}" if text else kind

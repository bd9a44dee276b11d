"""Which exceptions from a reader are "this input is bad" (become a message) and which
must propagate.

python-calamine turns a Rust panic into ``pyo3_runtime.PanicException``, which derives
from ``BaseException`` (so ``except Exception`` misses it) and cannot be imported by
name; it is recognised by its class name. The user's cancel, Ctrl-C and interpreter
exit always propagate.
"""

from __future__ import annotations

import re
import zipfile


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


_PLAIN = (
    (KeyError, "an expected field is missing"),
    (IndexError, "a row or column it expected is missing"),
    (MemoryError, "it needs more memory than is available"),
    (UnicodeError, "text in an encoding that cannot be read"),
    (zipfile.BadZipFile, "the zip container is damaged"),
    (RecursionError, "it is nested too deeply"),
    (OverflowError, "a number is too large"),
    (ValueError, "a value that cannot be used"),
    (TypeError, "a cell of an unexpected kind"),
    (OSError, "its data ends early or is damaged"),
)
_CLASS_NAME = re.compile(r"\b(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Panic|Warning)\b:?\s*")


def describe(exc: BaseException) -> str:
    """What went wrong in words, clipped to one line: never a Python exception name
    (a message is for an analyst, the class name tells them nothing)."""
    text = _CLASS_NAME.sub("", " ".join(str(exc).split())).strip(" :")
    if len(text) > 300:
        text = text[:300] + "..."
    if type(exc).__name__ == "PanicException":
        kind = "the fast reader failed inside"
    else:
        kind = next((words for cls, words in _PLAIN if isinstance(exc, cls)), "an unexpected failure")
    return f"{kind}: {text}" if text else kind

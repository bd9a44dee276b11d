"""The desk note as plain text: a header with the windows, then one sentence per line."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from core.atomic import atomic_write_text, refuse_overwrite
from core.export.contracts import WindowLike
from core.export.formats import window_text


def note_text(sentences: Sequence[str], windows: Sequence[WindowLike | None]) -> str:
    """The note's text: title, "Window A: ... ; Window B: ...", blank line, sentences.

    Windows are labelled A, B, C... in order; None entries (no window B) are skipped.
    A sentence containing line breaks is folded onto one line.
    """
    labels = [
        f"Window {chr(ord('A') + i)}: {window_text(w)}"
        for i, w in enumerate(windows)
        if w is not None
    ]
    lines = ["Gapwatch desk note"]
    if labels:
        lines.append("; ".join(labels))
    lines.append("")
    lines.extend(" ".join(str(s).split()) for s in sentences)
    return "\n".join(lines) + "\n"


def write_note_text(
    path: str | os.PathLike[str],
    sentences: Sequence[str],
    windows: Sequence[WindowLike | None],
    force: bool = False,
) -> Path:
    """Write the note (UTF-8, LF line ends) atomically; FileExistsError unless ``force``."""
    target = Path(path)
    refuse_overwrite(target, force)
    return atomic_write_text(target, note_text(sentences, windows))

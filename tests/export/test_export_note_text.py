"""The desk note as a text file."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_samples import WINDOW_A, WINDOW_B

from core.export import note_text, write_note_text


def test_note_text_layout() -> None:
    text = note_text(["RTY +26.1% since its 2025-04-08 low", "SPX +24.0%"], [WINDOW_A, WINDOW_B])
    assert text == (
        "Gapwatch desk note\n"
        "Window A: 2025-04-08 to 2025-07-31; Window B: 2024-04-08 to 2024-07-31\n"
        "\n"
        "RTY +26.1% since its 2025-04-08 low\n"
        "SPX +24.0%\n"
    )


def test_no_window_b_and_sentences_stay_on_one_line() -> None:
    text = note_text(["two\nlines", "tab\there"], [WINDOW_A, None])
    assert text.splitlines() == [
        "Gapwatch desk note",
        "Window A: 2025-04-08 to 2025-07-31",
        "",
        "two lines",
        "tab here",
    ]


def test_write_note_text_utf8_atomic_and_refuses_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "note.txt"
    sentence = "Lev-funds net RTY −5.1% of OI, 3.4σ"
    written = write_note_text(target, [sentence], [WINDOW_A], force=False)
    assert written == target
    assert "−5.1% of OI, 3.4σ\n" in target.read_bytes().decode("utf-8")
    with pytest.raises(FileExistsError, match="already exists"):
        write_note_text(target, ["other"], [WINDOW_A], force=False)
    assert "3.4σ" in target.read_text(encoding="utf-8")
    write_note_text(target, ["other"], [WINDOW_A], force=True)
    assert target.read_text(encoding="utf-8").endswith("\nother\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.txt"]

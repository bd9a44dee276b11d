"""The GUI's inbox poller emits a new export once it is complete."""

from __future__ import annotations

from pathlib import Path

from gui.workers.inbox_poller import InboxPoller


def test_poller_emits_a_new_export(qtbot, tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("Date,A\n2025-01-01,1\n")
    poller = InboxPoller(interval_ms=20)
    got: list[list[str]] = []
    poller.arrived.connect(got.append)
    poller.watch(str(tmp_path))
    new = tmp_path / "desk_2025-07-29.csv"
    new.write_text("Date,A\n2025-07-29,1\n")
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [[str(new)]]
    poller.watch(None)


def test_poller_reports_an_unreadable_folder(qtbot, tmp_path: Path) -> None:
    poller = InboxPoller(interval_ms=20)
    problems: list[str] = []
    poller.problem.connect(problems.append)
    poller.watch(str(tmp_path / "missing"))
    qtbot.waitUntil(lambda: bool(problems), timeout=5000)
    assert "cannot be read" in problems[0] and len(problems) == 1
    poller.watch(None)

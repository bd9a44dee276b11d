"""A watched inbox folder: new desk exports saved there are picked up by polling.

``InboxWatcher(folder).poll()`` lists the folder (not its subfolders) and returns the
files that became ready since the last poll. A file is ready when its size and
modification time are the same in two polls in a row -- a file still being written or
copied changes between polls and is waited for, never read half-way. A file returned
once is returned again only when its size or time changes later (the desk overwrote
it). Polling, not OS notifications, because it behaves the same on a local disk, a
network share and a synced folder, and costs one directory listing per poll.

Ignored: hidden files, Office lock files (``~$book.xlsx``), partial downloads and temp
files (``.tmp``, ``.part``, ``.crdownload``, ``.download``), anything not a desk format.
A missing or unreadable folder is no exception: ``poll`` returns nothing and
``problem`` says why, once per change, for the GUI to show.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DESK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".txt"})
_PARTIAL = (".tmp", ".part", ".crdownload", ".download", ".partial", ".swp")


@dataclass
class InboxWatcher:
    """``include_existing=False``: files already in the folder at the first poll are
    taken as known (only exports arriving later are new)."""

    folder: Path
    include_existing: bool = False
    suffixes: frozenset[str] = DESK_SUFFIXES
    problem: str | None = None
    _last: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> (size, mtime_ns) seen last poll
    _done: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> the state returned
    _polled: bool = False

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)

    def poll(self) -> list[Path]:
        """The files that became ready since the last poll, oldest first."""
        now = self._listing()
        if now is None:
            return []
        if not self._polled:
            self._polled = True
            if not self.include_existing:
                self._done.update(now)
        ready = [name for name, state in now.items()
                 if self._last.get(name) == state and self._done.get(name) != state and state[0] > 0]
        self._last = now
        for name in ready:
            self._done[name] = now[name]
        for gone in set(self._done) - set(now):
            del self._done[gone]
        ready.sort(key=lambda n: (now[n][1], n))
        return [self.folder / n for n in ready]

    def pending(self) -> list[str]:
        """Names seen but not yet stable (still being written), for a status line."""
        return sorted(n for n, s in self._last.items() if self._done.get(n) != s)

    def _listing(self) -> dict[str, tuple[int, int]] | None:
        try:
            entries = list(os.scandir(self.folder))
        except OSError as exc:
            why = f"inbox folder {self.folder} cannot be read ({exc.strerror or 'not available'})"
            self.problem = why
            return None
        self.problem = None
        out: dict[str, tuple[int, int]] = {}
        for entry in entries:
            name = entry.name
            if name.startswith((".", "~$")) or name.lower().endswith(_PARTIAL):
                continue
            if os.path.splitext(name)[1].lower() not in self.suffixes:
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:  # vanished or locked between listing and stat: next poll
                continue
            out[name] = (st.st_size, st.st_mtime_ns)
        return out

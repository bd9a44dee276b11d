"""The series catalog: every series loaded from every open file, plus the messages.

Ingestion produces one ``LoadResult`` per file; the catalog merges them, keyed by series
id. Re-adding a file replaces that file's series (reload). The window engine and the
views read from here; nothing writes series except ``add``/``remove_file``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from core.messages import Message
from core.series import Series


@dataclass
class LoadResult:
    """What one file yielded: its series and every message about it."""

    file: str
    series: list[Series] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    from_cache: bool = False
    fingerprint: str | None = None

    @property
    def ok(self) -> bool:
        """True if at least one series was read (warnings do not count against it)."""
        return bool(self.series)


class Catalog:
    """Ordered mapping of series id -> Series with per-file bookkeeping."""

    def __init__(self) -> None:
        self._series: dict[str, Series] = {}
        self._by_file: dict[str, list[str]] = {}
        self._messages: dict[str, list[Message]] = {}
        # Bumped on every change, so caches of derived data can tell a reload with
        # revised values from an unchanged catalog.
        self.version = 0

    # -- building -------------------------------------------------------------------
    def add(self, result: LoadResult) -> None:
        self.remove_file(result.file)
        ids = []
        for s in result.series:
            self._series[s.id] = s
            ids.append(s.id)
        self._by_file[result.file] = ids
        self._messages[result.file] = list(result.messages)
        self.version += 1

    def add_series(self, series: Iterable[Series], file: str) -> None:
        """Add derived series (e.g. rate-cut odds) under a pseudo-file key."""
        ids = self._by_file.setdefault(file, [])
        for s in series:
            self._series[s.id] = s
            if s.id not in ids:
                ids.append(s.id)
        self.version += 1

    def remove_file(self, file: str) -> None:
        for sid in self._by_file.pop(file, []):
            self._series.pop(sid, None)
        self._messages.pop(file, None)
        self.version += 1

    # -- reading --------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._series)

    def __iter__(self) -> Iterator[Series]:
        return iter(self._series.values())

    def __contains__(self, sid: object) -> bool:
        return sid in self._series

    def __getitem__(self, sid: str) -> Series:
        return self._series[sid]

    def get(self, sid: str) -> Series | None:
        return self._series.get(sid)

    @property
    def ids(self) -> list[str]:
        return list(self._series)

    @property
    def files(self) -> list[str]:
        return list(self._by_file)

    def series_of_file(self, file: str) -> list[Series]:
        return [self._series[i] for i in self._by_file.get(file, [])]

    @property
    def messages(self) -> list[Message]:
        return [m for ms in self._messages.values() for m in ms]

"""What one source's update did, and the shared step "ask for one file, check it, store
it": the new bytes replace the stored copy only after ``check`` accepted them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from core.public_data.http_client import FetchFailed, HttpClient
from core.public_data.sources import LABELS
from core.public_data.store import SourceStore


class BadDownload(Exception):
    """The server answered, but the body is not the file it should be. ``kind`` tells
    the callers what it looked like: "html", "truncated", "placeholder" or "invalid"."""

    def __init__(self, text: str, kind: str = "invalid") -> None:
        super().__init__(text)
        self.kind = kind


@dataclass
class SourceOutcome:
    source: str
    updated: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # one sentence per failed file
    notes: list[str] = field(default_factory=list)
    bytes_received: int = 0
    stored: int = 0  # files the source's store holds after the update
    summary: str = ""  # what the store now holds, e.g. "history 2006-06-13..2026-11-24"

    @property
    def ok(self) -> bool:
        return not self.failed

    def line(self) -> str:
        label = LABELS.get(self.source, self.source)
        if self.failed:
            head = f"{label}: update failed: {'; '.join(self.failed)}"
            if self.updated:
                head += f" (updated anyway: {', '.join(self.updated)})"
            return head + "; the stored copies of the failed files are unchanged"
        if self.updated:
            what = f"updated {len(self.updated)} file(s) ({_short(self.updated)})"
        else:
            what = "already current" if self.current or self.stored else "nothing found to fetch"
        tail = f"; {self.summary}" if self.summary else ""
        return (f"{label}: {what}; {self.stored} file(s) stored, "
                f"{_size(self.bytes_received)} received{tail}")


Check = Callable[[bytes], object]


def looks_like_html(data: bytes) -> bool:
    """An error or login page served with status 200 instead of the file."""
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<?xml")) or b"<html" in head


def fetch_one(client: HttpClient, store: SourceStore, name: str, url: str, check: Check,
              *, compress: bool = False, progress=None) -> tuple[str, object]:
    """("updated", parsed) | ("current", None) | ("missing", None); raises FetchFailed or
    BadDownload (store untouched in every case but "updated")."""
    entry = store.entry(name)
    if entry is not None and not store.intact(name):
        entry = None  # the stored copy went missing or changed size: ask for all of it
    dl = client.get(url, etag=entry.etag if entry else None,
                    last_modified=entry.last_modified if entry else None, progress=progress)
    if dl.status == "missing":
        return "missing", None
    if dl.status == "not_modified":
        return "current", None
    if entry is not None and _sha(dl.body) == entry.sha256:
        return "current", None  # the server ignored the validators; same bytes
    parsed = check(dl.body)
    store.put(name, dl.body, url=url, etag=dl.etag, last_modified=dl.last_modified,
              compress=compress)
    return "updated", parsed


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _short(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= 4 else f"{', '.join(names[:3])}, ... {names[-1]}"


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB" if n >= 1000 else f"{n} B"


__all__ = ["BadDownload", "FetchFailed", "SourceOutcome", "fetch_one", "looks_like_html"]

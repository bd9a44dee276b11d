"""The public-data store: raw downloads kept byte for byte under the app's data folder,
one folder per source, with ``manifest.json`` recording for each file its source URL,
fetch time, size, sha256 and the server's ETag / Last-Modified (for the next
conditional request).

A file is replaced only by ``put``, which the callers reach after the new bytes parsed;
the file is written atomically first, then the manifest (also atomically). A crash in
between leaves a valid file whose manifest entry is older: the next update then asks
with the old validators and simply gets the file again.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from core.atomic import atomic_write_bytes, atomic_write_text
from core.public_data.sources import store_root

MANIFEST = "manifest.json"


@dataclass
class Entry:
    name: str
    url: str
    fetched_at: str
    size: int
    sha256: str
    etag: str | None = None
    last_modified: str | None = None
    compressed: bool = False  # kept gzip-compressed on disk; bytes restored exactly on read

    def to_dict(self) -> dict:
        return dict(vars(self))


class SourceStore:
    """One source's folder (``<data>/public/<source>``) and its manifest."""

    def __init__(self, source: str, root: Path | None = None) -> None:
        self.source = source
        self.folder = (Path(root) if root is not None else store_root()) / source

    # -- reading ---------------------------------------------------------------
    def entries(self) -> dict[str, Entry]:
        try:
            raw = json.loads((self.folder / MANIFEST).read_text("utf-8"))
            return {name: Entry(**d) for name, d in raw.get("files", {}).items()}
        except (OSError, ValueError, TypeError):
            return {}

    def entry(self, name: str) -> Entry | None:
        return self.entries().get(name)

    def path(self, name: str) -> Path:
        entry = self.entry(name)
        return self.folder / (name + ".gz" if entry and entry.compressed else name)

    def read(self, name: str) -> bytes:
        entry = self.entry(name)
        if entry is None:
            raise FileNotFoundError(f"{self.source} store has no {name}")
        data = self.path(name).read_bytes()
        return gzip.decompress(data) if entry.compressed else data

    def intact(self, name: str) -> bool:
        """The stored file is there with the manifest's size (cheap; no hash)."""
        entry = self.entry(name)
        if entry is None:
            return False
        try:
            if entry.compressed:
                return self.path(name).is_file()
            return self.path(name).stat().st_size == entry.size
        except OSError:
            return False

    def extra_path(self, name: str) -> Path:
        """A derived file of this source (parsed rows), beside the raw downloads."""
        return self.folder / name

    # -- writing ---------------------------------------------------------------
    def put(self, name: str, data: bytes, *, url: str, etag: str | None = None,
            last_modified: str | None = None, compress: bool = False) -> Entry:
        self.folder.mkdir(parents=True, exist_ok=True)
        entry = Entry(name, url, _now(), len(data), hashlib.sha256(data).hexdigest(), etag,
                      last_modified, compress)
        stored = gzip.compress(data, compresslevel=6, mtime=0) if compress else data
        atomic_write_bytes(self.folder / (name + ".gz" if compress else name), stored)
        entries = self.entries()
        entries[name] = entry
        self._write_manifest(entries)
        return entry

    def write_extra(self, name: str, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.folder / name, data)

    def _write_manifest(self, entries: dict[str, Entry]) -> None:
        doc = {"source": self.source, "files": {n: e.to_dict() for n, e in sorted(entries.items())}}
        atomic_write_text(self.folder / MANIFEST, json.dumps(doc, indent=1, ensure_ascii=False))


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()

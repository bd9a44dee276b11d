"""Cache of parsed files: reopening an unchanged file skips parsing entirely.

Keyed by the file's path, size, mtime and a blake2b hash of its bytes, plus
``PARSER_VERSION`` and the mapping in force (so a parser change or a new saved template
invalidates old entries). One entry = ``<key>.json`` (series metadata, messages, the key
fields) + ``<key>-<token>.npz`` (all dates and values concatenated, with offsets). Both
are written atomically (temp file in the same folder + ``os.replace``), the npz first: the
json names its npz, so a reader never pairs a new json with an old npz.
"""

from __future__ import annotations

import hashlib
import io
import json
import secrets
from collections.abc import Callable
from pathlib import Path

import numpy as np

from core import paths
from core.catalog import LoadResult
from core.ingest.mapping import atomic_write_bytes, atomic_write_text
from core.messages import Message
from core.series import Frequency, PublicationLag, Series, SeriesSource

PARSER_VERSION = "ingest-8"


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class BackgroundHash:
    """``content_hash`` computed on a worker thread while the caller parses.

    Why: hashing a 15 MB workbook costs ~30 ms, and a first open only needs the hash at
    the end (for the cache entry and the change fingerprint). hashlib releases the GIL on
    large buffers, so on a second core the hash is free."""

    def __init__(self, data: bytes) -> None:
        self._digest: str | None = None
        if len(data) < 1 << 20:  # small files: a thread costs more than the hash
            self._digest = content_hash(data)
            self._thread = None
            return
        import threading

        self._thread = threading.Thread(target=self._run, args=(data,), name="content-hash",
                                        daemon=True)
        self._thread.start()

    def _run(self, data: bytes) -> None:
        self._digest = content_hash(data)

    def result(self) -> str:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        assert self._digest is not None
        return self._digest


class ParseCache:
    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else paths.user_cache_dir() / "parsed"

    def _json_path(self, path: Path) -> Path:
        key = hashlib.blake2b(str(path.resolve()).encode(), digest_size=12).hexdigest()
        return self.root / f"{key}.json"

    def get(self, path: Path, key: dict, digest: Callable[[], str] | None = None) -> LoadResult | None:
        """The cached result for ``key``. With ``digest`` the key has no "hash" yet: the
        other fields are compared first and the (slow) hash is asked for only when they
        all match, so a miss never waits for it."""
        jp = self._json_path(path)
        try:
            head = json.loads(jp.read_text("utf-8"))
            stored = head.get("key")
            if not isinstance(stored, dict):
                return None
            if digest is not None:
                if {k: v for k, v in stored.items() if k != "hash"} != key:
                    return None
                key = {**key, "hash": digest()}
            if stored != key:
                return None
            with np.load(self.root / head["npz"], allow_pickle=False) as npz:
                dates, values, offsets = npz["dates"], npz["values"], npz["offsets"]
                date_offsets, date_block = npz["date_offsets"], npz["date_block"]
            series = []
            for k, (d, a, b) in enumerate(zip(head["series"], offsets[:-1], offsets[1:], strict=True)):
                block = int(date_block[k])
                series.append(_series_from(d, dates[date_offsets[block]: date_offsets[block + 1]],
                                           values[a:b]))
            messages = [Message(**m) for m in head["messages"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return LoadResult(file=head["file"], series=series, messages=messages, from_cache=True,
                          fingerprint=key.get("hash"))

    def put(self, path: Path, key: dict, result: LoadResult) -> None:
        jp = self._json_path(path)
        lengths = [len(s) for s in result.series]
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]).astype(np.int64)
        # Columns of one sheet usually share their dates: store each distinct date array once.
        blocks: dict[bytes, int] = {}
        date_arrays: list[np.ndarray] = []
        date_block = np.zeros(len(result.series), dtype=np.int64)
        for k, s in enumerate(result.series):
            raw = s.dates.astype(np.int64)
            digest = hashlib.blake2b(raw.tobytes(), digest_size=16).digest()
            if digest not in blocks:
                blocks[digest] = len(date_arrays)
                date_arrays.append(raw)
            date_block[k] = blocks[digest]
        date_offsets = np.concatenate([[0], np.cumsum([len(a) for a in date_arrays], dtype=np.int64)])
        dates = np.concatenate(date_arrays) if date_arrays else np.zeros(0, np.int64)
        values = (np.concatenate([s.values for s in result.series])
                  if result.series else np.zeros(0))
        buf = io.BytesIO()
        np.savez(buf, dates=dates, values=values, offsets=offsets,
                 date_offsets=date_offsets.astype(np.int64), date_block=date_block)
        npz_name = f"{jp.stem}-{secrets.token_hex(4)}.npz"
        old = self._old_npz(jp)
        atomic_write_bytes(self.root / npz_name, buf.getvalue())
        head = {"key": key, "file": result.file, "npz": npz_name,
                "series": [_series_dict(s) for s in result.series],
                "messages": [m.to_dict() for m in result.messages]}
        atomic_write_text(jp, json.dumps(head, ensure_ascii=False))
        if old and old != npz_name:
            (self.root / old).unlink(missing_ok=True)

    def _old_npz(self, jp: Path) -> str | None:
        try:
            return json.loads(jp.read_text("utf-8")).get("npz")
        except (OSError, ValueError):
            return None


def _series_dict(s: Series) -> dict:
    lag = s.publication_lag
    return {"id": s.id, "name": s.name, "unit": s.unit, "frequency": s.frequency.value,
            "source": s.source.to_dict(), "kind": s.kind,
            "lag": None if lag is None else [lag.days, lag.business_days], "meta": s.meta}


def _series_from(d: dict, dates: np.ndarray, values: np.ndarray) -> Series:
    lag = d["lag"]
    return Series(id=d["id"], name=d["name"], unit=d["unit"], frequency=Frequency(d["frequency"]),
                  source=SeriesSource(**d["source"]), dates=dates.view("datetime64[D]"),
                  values=values, kind=d["kind"],
                  publication_lag=None if lag is None else PublicationLag(*lag), meta=d["meta"])

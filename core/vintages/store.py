"""The vintage store: every observation of every export, with the export it came from,
in one SQLite file in the app's data folder (``paths.user_data_dir()/vintages.sqlite``).

Why SQLite: it ships with Python (no new dependency in the installer), one file, and
its transactions make "one load = one transaction" real: a process killed mid-write
leaves the store as it was before that load (the journal is rolled back on the next
open). DuckDB is not installed here and would add ~40 MB to the bundle for column scans
this store does not need: it reads whole series, never aggregates across them.

Layout. An *export* is one loaded file (name, the date in its name, load time, content
fingerprint). Per series and export one *vintage* row holds, as packed arrays, what that
export changed against the history stored before it: the days it added or whose value
it changed (with the value before for the revised ones), and the days of that history
inside its own date span it no longer had. Unchanged observations are not repeated, so
a weekly export of 4,000 twenty-year series adds kilobytes, not the whole history
again; what any export said about any day can still be rebuilt (``queries``).

The history itself (what the catalog shows) is the fold of the vintages in load order;
an export older (by the date in its name) than one already stored for a series only
fills days the history lacks -- it never overwrites a later export's values -- but its
own differing values are kept, so "what did that export say" still answers.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import numpy as np

from core import paths
from core.catalog import LoadResult
from core.ingest.cache import _series_dict as series_about  # one JSON shape for a series' metadata
from core.ingest.templates import split_stem
from core.series import Series

STORE_FILE = "vintages.sqlite"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS exports (
    export_id   INTEGER PRIMARY KEY,     -- load order
    file        TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    template    TEXT NOT NULL,
    export_date TEXT,                    -- from the file name, YYYY-MM-DD; NULL if none
    loaded_at   TEXT NOT NULL,           -- UTC, ISO 8601
    fingerprint TEXT
);
CREATE TABLE IF NOT EXISTS series (
    series_key  INTEGER PRIMARY KEY,
    series_id   TEXT NOT NULL UNIQUE,
    about       TEXT NOT NULL            -- name, unit, frequency, source, kind, meta (JSON)
);
CREATE TABLE IF NOT EXISTS vintages (
    series_key  INTEGER NOT NULL REFERENCES series(series_key),
    export_id   INTEGER NOT NULL REFERENCES exports(export_id),
    first_day   INTEGER,                 -- the export's span for this series (days since 1970)
    last_day    INTEGER,
    count       INTEGER NOT NULL,        -- observations the export had
    days        BLOB NOT NULL,           -- int32: days added or changed by this export
    vals        BLOB NOT NULL,           -- float64: their values in this export
    flags       BLOB NOT NULL,           -- uint8 per day: 1 entered the history, 2 revised;
                                         -- empty: every day new and entered (a first load)
    old         BLOB NOT NULL,           -- float64: the value before, of the revised days only
    absent      BLOB NOT NULL,           -- int32: history days in the span it lacked
    PRIMARY KEY (series_key, export_id)
);
"""


def store_path() -> Path:
    return paths.user_data_dir() / STORE_FILE


class StoreUnavailable(Exception):
    """The store file cannot be opened or written; the text says which and what to do."""


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or "unknown reason"


@dataclass(frozen=True)
class Export:
    export_id: int
    file: str
    file_name: str
    template: str
    export_date: str | None
    loaded_at: str
    fingerprint: str | None


@dataclass
class Vintage:
    """One export's changes to one series (arrays decoded)."""

    export_id: int
    first_day: int | None
    last_day: int | None
    count: int
    days: np.ndarray      # int32
    vals: np.ndarray
    old: np.ndarray
    applied: np.ndarray   # bool
    absent: np.ndarray    # int32


@dataclass
class Recorded:
    """What one ``record`` did: the export (None when the same content was stored
    already), new days and revised values across its series."""

    export: Export | None
    series: int = 0
    new_days: int = 0
    revised: int = 0


class VintageStore:
    """``with VintageStore() as store: store.record(result)``; ``path`` for tests."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else store_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)  # transactions explicit
            self.db.execute("PRAGMA journal_mode=WAL")  # readers (the GUI) never block a load
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as exc:
            raise StoreUnavailable(
                f"the vintage store {self.path} cannot be opened ({_reason(exc)}); if the file "
                "is damaged, move it away and a new store starts with the next load") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> VintageStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ------------------------------------------------------------------
    def record(self, result: LoadResult, loaded_at: dt.datetime | None = None) -> Recorded:
        """Store one file's series as one export, in one transaction. ``result`` as
        ``load_file`` returned it (before any cross-file merge). A file whose content
        (fingerprint) is already stored under the same path is not stored again."""
        if result.fingerprint and self.db.execute(
                "SELECT 1 FROM exports WHERE file = ? AND fingerprint = ?",
                (result.file, result.fingerprint)).fetchone():
            return Recorded(None)
        stem = PurePath(result.file.replace("\\", "/")).stem
        name = split_stem(stem)
        when = (loaded_at or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
        series = [s for s in result.series if len(s)]
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            cur = db.execute(
                "INSERT INTO exports (file, file_name, template, export_date, loaded_at, fingerprint)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (result.file, PurePath(result.file.replace("\\", "/")).name, name.name,
                 None if name.date is None else name.date.isoformat(), when, result.fingerprint))
            export_id = int(cur.lastrowid)
            keys = self._series_keys(series)
            histories = self._folds(list(keys.values()), with_newest=True)
            out = Recorded(Export(export_id, result.file, PurePath(result.file).name, name.name,
                                  None if name.date is None else name.date.isoformat(), when,
                                  result.fingerprint), len(series))
            insert = "INSERT INTO vintages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            for s in series:
                key = keys[s.id]
                (h_days, h_vals), newest = histories.get(key, ((None, None), None))
                older = (name.date is not None and newest is not None
                         and name.date.isoformat() < newest)
                row = _vintage_row(s, h_days, h_vals, fill_only=older)
                out.new_days += row.new_days
                out.revised += row.revised
                db.execute(insert, (key, export_id, *row.columns))
                self._on_series_written()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return out

    def _on_series_written(self) -> None:
        """Called once per series inside the write transaction (a test hook: the crash
        test stops the process here)."""

    def _series_keys(self, series: list[Series]) -> dict[str, int]:
        keys: dict[str, int] = {}
        for s in series:
            about = json.dumps(series_about(s), ensure_ascii=False, default=str)
            row = self.db.execute("SELECT series_key FROM series WHERE series_id = ?", (s.id,)).fetchone()
            if row is None:
                cur = self.db.execute("INSERT INTO series (series_id, about) VALUES (?, ?)", (s.id, about))
                keys[s.id] = int(cur.lastrowid)
            else:  # the latest export describes the series (name, unit, source file)
                self.db.execute("UPDATE series SET about = ? WHERE series_key = ?", (about, row[0]))
                keys[s.id] = int(row[0])
        return keys

    # -- reading ------------------------------------------------------------------
    def exports(self) -> list[Export]:
        return [Export(*r) for r in self.db.execute(
            "SELECT export_id, file, file_name, template, export_date, loaded_at, fingerprint "
            "FROM exports ORDER BY export_id")]

    def series_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT series_id FROM series ORDER BY series_key")]

    def about(self, series_id: str) -> tuple[int, dict] | None:
        row = self.db.execute("SELECT series_key, about FROM series WHERE series_id = ?",
                              (series_id,)).fetchone()
        return None if row is None else (int(row[0]), json.loads(row[1]))

    def vintages(self, series_key: int) -> list[Vintage]:
        return [_decode(r[1:]) for r in self._vintage_rows([series_key])]

    def histories(self) -> Iterator[tuple[dict, np.ndarray, np.ndarray, list[int]]]:
        """(about, days as datetime64[D], values, export ids) of every stored series: the
        fold of its vintages, in one read of the store."""
        about = {int(k): json.loads(a) for k, a in self.db.execute("SELECT series_key, about FROM series")}
        for key, rows in _grouped(self.db.execute(
                "SELECT series_key, export_id, days, vals, flags FROM vintages "
                "ORDER BY series_key, export_id")):
            days, vals = _fold((r[1], r[2], r[3]) for r in rows)
            yield about[key], days.astype("datetime64[D]"), vals, [r[0] for r in rows]

    def _folds(self, keys: list[int], with_newest: bool = False) -> dict:
        """series_key -> ((days, vals), newest export date) from the stored vintages."""
        newest: dict[int, str] = {}
        if with_newest and keys:
            for chunk in _chunks(keys, 500):
                marks = ",".join("?" * len(chunk))
                newest.update((int(k), d) for k, d in self.db.execute(
                    f"SELECT v.series_key, MAX(e.export_date) FROM vintages v JOIN exports e "
                    f"USING (export_id) WHERE v.series_key IN ({marks}) GROUP BY v.series_key", chunk))
        out = {}
        for chunk in _chunks(keys, 500):
            marks = ",".join("?" * len(chunk))
            for key, rows in _grouped(self.db.execute(
                    f"SELECT series_key, export_id, days, vals, flags FROM vintages "
                    f"WHERE series_key IN ({marks}) ORDER BY series_key, export_id", chunk)):
                out[key] = (_fold((r[1], r[2], r[3]) for r in rows), newest.get(key))
        return out

    def _vintage_rows(self, keys: list[int]):
        marks = ",".join("?" * len(keys))
        return list(self.db.execute(
            "SELECT series_key, export_id, first_day, last_day, count, days, vals, flags, old, "
            f"absent FROM vintages WHERE series_key IN ({marks}) ORDER BY export_id", keys))


@dataclass
class _Row:
    columns: tuple
    new_days: int
    revised: int


def _vintage_row(s: Series, h_days: np.ndarray | None, h_vals: np.ndarray | None,
                 fill_only: bool) -> _Row:
    days = s.dates.astype(np.int64).astype(np.int32)
    vals = np.asarray(s.values, dtype=np.float64)
    if h_days is None or not len(h_days):
        old = np.full(len(days), np.nan)
        changed = np.ones(len(days), dtype=bool)
        absent = np.zeros(0, dtype=np.int32)
    else:
        idx = np.searchsorted(h_days, days)
        inside = idx < len(h_days)
        present = inside.copy()
        present[inside] = h_days[idx[inside]] == days[inside]
        old = np.full(len(days), np.nan)
        old[present] = h_vals[idx[present]]
        same = present & ((old == vals) | (np.isnan(old) & np.isnan(vals)))
        changed = ~same
        span = (h_days >= days[0]) & (h_days <= days[-1]) if len(days) else np.zeros(len(h_days), bool)
        absent = np.setdiff1d(h_days[span], days, assume_unique=True).astype(np.int32)
    d, v, o = days[changed], vals[changed], old[changed]
    revised_mask = ~np.isnan(o)
    applied = ~revised_mask if fill_only else np.ones(len(d), dtype=bool)
    first = int(days[0]) if len(days) else None
    last = int(days[-1]) if len(days) else None
    flags = applied.astype(np.uint8) | (revised_mask.astype(np.uint8) << 1)
    plain = bool(applied.all()) and not revised_mask.any()  # a first load: no flags stored
    columns = (first, last, len(days), d.tobytes(), v.tobytes(),
               b"" if plain else flags.tobytes(), o[revised_mask].tobytes(), absent.tobytes())
    return _Row(columns, int(np.count_nonzero(~revised_mask)), int(np.count_nonzero(revised_mask)))


def _fold(rows: Iterable[tuple[bytes, bytes, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """The history from vintages (days, vals, flags) in load order: the values that
    entered the history, a later one winning."""
    parts_d, parts_v = [], []
    for days, vals, flags in rows:
        d = np.frombuffer(days, dtype=np.int32)
        v = np.frombuffer(vals, dtype=np.float64)
        if flags:
            a = (np.frombuffer(flags, dtype=np.uint8) & 1).astype(bool)
            if not a.all():
                d, v = d[a], v[a]
        parts_d.append(d)
        parts_v.append(v)
    if len(parts_d) == 1:
        return parts_d[0], parts_v[0]
    d = np.concatenate(parts_d) if parts_d else np.zeros(0, np.int32)
    v = np.concatenate(parts_v) if parts_v else np.zeros(0)
    order = np.argsort(d, kind="stable")  # ties keep load order: the later vintage last
    d, v = d[order], v[order]
    keep = np.append(d[1:] != d[:-1], True) if len(d) else np.zeros(0, bool)
    return d[keep], v[keep]


def _decode(r) -> Vintage:
    export_id, first, last, count, days, vals, flags, old, absent = r
    d = np.frombuffer(days, np.int32)
    f = np.frombuffer(flags, np.uint8) if flags else np.ones(len(d), np.uint8)
    before = np.full(len(d), np.nan)
    before[(f & 2).astype(bool)] = np.frombuffer(old, np.float64)
    return Vintage(int(export_id), first, last, int(count), d, np.frombuffer(vals, np.float64),
                   before, (f & 1).astype(bool), np.frombuffer(absent, np.int32))


def _grouped(cursor) -> Iterator[tuple[int, list[tuple]]]:
    key, rows = None, []
    for r in cursor:
        if r[0] != key and rows:
            yield int(key), rows
            rows = []
        key = r[0]
        rows.append(r[1:])
    if rows:
        yield int(key), rows


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i: i + n]

"""Questions the vintage store answers, from the stored vintages alone (no source file
is read): what one export said about one day, which values an export revised, which
exports a series came from, and the whole catalog as the app last knew it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import numpy as np

from core.catalog import Catalog, LoadResult
from core.ingest.cache import _series_from as series_from_about
from core.vintages.store import Export, Vintage, VintageStore, _fold


@dataclass(frozen=True)
class ExportSaid:
    export: Export
    value: float | None  # None: the export had no observation on that day


@dataclass(frozen=True)
class Revision:
    day: str
    old: float
    new: float
    applied: bool  # False: an export older than one stored later; the history kept the later value


@dataclass(frozen=True)
class ExportSummary:
    export: Export
    count: int          # observations the export had for the series
    first_day: str | None
    last_day: str | None
    new_days: int
    revised: int


class UnknownSeries(LookupError):
    """The series id is not in the store; the text says so."""


def exports_of(store: VintageStore, series_id: str) -> list[ExportSummary]:
    key = _key(store, series_id)
    by_id = {e.export_id: e for e in store.exports()}
    out = []
    for v in store.vintages(key):
        revised = int(np.count_nonzero(~np.isnan(v.old)))
        out.append(ExportSummary(by_id[v.export_id], v.count, _iso(v.first_day), _iso(v.last_day),
                                 len(v.days) - revised, revised))
    return out


def said_about(store: VintageStore, series_id: str, day: str,
               export: str | None = None) -> list[ExportSaid]:
    """What each export (or only ``export``: a file name, path or the date in its name)
    said about ``day`` (YYYY-MM-DD) for the series."""
    key = _key(store, series_id)
    target = int(np.datetime64(day, "D").astype(np.int64))
    by_id = {e.export_id: e for e in store.exports()}
    vintages = store.vintages(key)
    wanted = None if export is None else {e.export_id for e in _matching(by_id.values(), export)}
    out = []
    for k, v in enumerate(vintages):
        if wanted is not None and v.export_id not in wanted:
            continue
        out.append(ExportSaid(by_id[v.export_id], _value_in(vintages[:k], v, target)))
    return out


def revisions(store: VintageStore, series_id: str, export: str | None = None) -> list[tuple[Export, list[Revision]]]:
    """Per export (or only ``export``), the past values it changed: day, before, after."""
    key = _key(store, series_id)
    by_id = {e.export_id: e for e in store.exports()}
    wanted = None if export is None else {e.export_id for e in _matching(by_id.values(), export)}
    out = []
    for v in store.vintages(key):
        if wanted is not None and v.export_id not in wanted:
            continue
        was = ~np.isnan(v.old)
        out.append((by_id[v.export_id], [
            Revision(_iso(int(d)), float(o), float(n), bool(a))
            for d, o, n, a in zip(v.days[was], v.old[was], v.vals[was], v.applied[was], strict=True)]))
    return out


def results_from_store(store: VintageStore | None = None) -> list[LoadResult]:
    """Every stored series with its full history, one ``LoadResult`` per file of a
    series' latest export (as the Data panel groups files), no source file opened:
    what a session holds after loading, for the window to paint straight away."""
    own = store is None
    store = store or VintageStore()
    try:
        files = {e.export_id: e.file for e in store.exports()}
        by_file: dict[str, LoadResult] = {}
        for about, days, vals, export_ids in store.histories():
            about = {**about, "meta": {**about["meta"], "files": [files[i] for i in export_ids]}}
            series = series_from_about(about, days, vals)
            latest = files[export_ids[-1]]
            by_file.setdefault(latest, LoadResult(file=latest)).series.append(series)
    finally:
        if own:
            store.close()
    return list(by_file.values())


def catalog_from_store(store: VintageStore | None = None) -> Catalog:
    """``results_from_store`` as a catalog."""
    catalog = Catalog()
    for result in results_from_store(store):
        catalog.add(result)
    return catalog


def _value_in(before: list[Vintage], v: Vintage, target: int) -> float | None:
    hit = np.flatnonzero(v.days == target)
    if len(hit):
        return float(v.vals[hit[0]])
    if v.first_day is None or not (v.first_day <= target <= v.last_day) or target in set(v.absent.tolist()):
        return None
    days, vals = _fold((b.days.tobytes(), b.vals.tobytes(), b.applied.astype(np.uint8).tobytes())
                       for b in before)  # flags bit 1 = entered the history
    at = np.flatnonzero(days == target)
    return float(vals[at[0]]) if len(at) else None


def _matching(exports, wanted: str) -> list[Export]:
    """Exports named by file name, full path, stem or the date in their name."""
    w = wanted.strip()
    found = [e for e in exports if w in (e.file, e.file_name, PurePath(e.file_name).stem, e.export_date)]
    if not found:
        raise UnknownSeries(f"no stored export matches {wanted!r} (give a file name or the "
                            "date in its name, YYYY-MM-DD)")
    return found


def _key(store: VintageStore, series_id: str) -> int:
    found = store.about(series_id)
    if found is None:
        raise UnknownSeries(f"series {series_id!r} is not in the vintage store "
                            f"({store.path}); record its files first")
    return found[0]


def _iso(day: int | None) -> str | None:
    return None if day is None else str(np.datetime64(int(day), "D"))

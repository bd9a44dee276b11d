"""Several years of CFTC files -> one history per series id.

``load_files`` calls ``merge_cftc``: series with the same ``cftc...`` id in several
results are joined by date. Overlapping dates with equal values merge silently; where
values differ the file listed later wins and a warning in that file's result says so.
The merged series (named after the latest market name) replaces the id in every result
that had it, so the catalog holds the full history whichever result it adds last.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.catalog import LoadResult
from core.messages import Message
from core.series import Series, SeriesSource, infer_frequency


def merge_cftc(results: list[LoadResult]) -> None:
    holders: dict[str, list[tuple[int, Series]]] = {}
    for i, res in enumerate(results):
        for s in res.series:
            if s.id.startswith("cftc"):
                holders.setdefault(s.id, []).append((i, s))
    conflicts: dict[tuple[int, int], list[str]] = {}
    merged: dict[str, Series] = {}
    for sid, parts in holders.items():
        if len(parts) < 2:
            continue
        merged[sid] = _merge(parts, results, conflicts)
    if not merged:
        return
    for res in results:
        res.series = [merged.get(s.id, s) for s in res.series]
    for (earlier, later), examples in conflicts.items():
        results[later].messages.append(Message(
            "warning", _name(results[later]), None, None,
            f"{len(examples)} CFTC series differ from {_name(results[earlier])} on overlapping "
            f"report dates (e.g. {examples[0]}); kept this file's values (listed later)"))


def _merge(parts: list[tuple[int, Series]], results: list[LoadResult],
           conflicts: dict[tuple[int, int], list[str]]) -> Series:
    dates = np.concatenate([s.dates.astype(np.int64) for _, s in parts])
    values = np.concatenate([s.values for _, s in parts])
    owner = np.concatenate([np.full(len(s), i) for i, s in parts])
    order = np.argsort(dates, kind="stable")  # ties keep list order: later file last
    dates, values, owner = dates[order], values[order], owner[order]
    same_as_next = dates[1:] == dates[:-1]
    for k in np.flatnonzero(same_as_next):
        a, b = values[k], values[k + 1]
        if not (a == b or (np.isnan(a) and np.isnan(b))):
            day = np.datetime64(int(dates[k]), "D")
            conflicts.setdefault((int(owner[k]), int(owner[k + 1])), []).append(
                f"{parts[0][1].id} {day}: {a:g} -> {b:g}")
    keep = np.append(~same_as_next, True)
    dates, values = dates[keep].view("datetime64[D]"), values[keep]
    latest = max(parts, key=lambda p: (p[1].last_date.astype(np.int64) if len(p[1]) else -1, p[0]))[1]
    files = [results[i].file for i, _ in parts]
    meta = {**latest.meta, "files": files}
    return replace(latest, dates=dates, values=values, frequency=infer_frequency(dates), meta=meta,
                   source=SeriesSource(latest.source.file, latest.source.sheet, latest.source.column))


def _name(res: LoadResult) -> str:
    return res.file.replace("\\", "/").rsplit("/", 1)[-1]

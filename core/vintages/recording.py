"""Recording loads into the vintage store as one call for the app: each file's result
is one export in one transaction, and what happened comes back as messages (a store
that cannot be opened is a message too, never an exception for the caller)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from core.catalog import LoadResult
from core.messages import Message
from core.vintages.store import StoreUnavailable, VintageStore


def record_results(results: Iterable[LoadResult], store: VintageStore | None = None) -> list[Message]:
    """Store every result that read series (as ``load_file`` returned it, before any
    cross-file merge); one info message per export stored. Safe to call again with the
    same files: unchanged content is not stored twice. Opens (and closes) the default
    store when none is given -- call it on the thread that loads."""
    own = store is None
    try:
        store = store or VintageStore()
    except StoreUnavailable as exc:
        return [Message("error", "vintage store", None, None, str(exc))]
    out: list[Message] = []
    try:
        for result in results:
            if not result.ok:
                continue
            name = PurePath(result.file.replace("\\", "/")).name
            try:
                done = store.record(result)
            except Exception as exc:  # disk full, store locked: the load itself stands
                out.append(Message("error", name, None, None, "not stored in the vintage store "
                                   f"({' '.join(str(exc).split()) or 'write failed'}); the "
                                   "series are loaded, their history was not kept"))
                continue
            if done.export is not None:
                out.append(Message("info", name, None, None,
                                   f"stored in the vintage store: {done.series} series, "
                                   f"{done.new_days} new observations, {done.revised} revised values"))
    finally:
        if own:
            store.close()
    return out

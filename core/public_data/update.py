"""Run the update of several sources with one HTTP client, and gather the stored public
data as catalog entries. A source that fails never stops the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from core.catalog import LoadResult
from core.public_data.http_client import FetchCancelled, HttpClient
from core.public_data.outcome import SourceOutcome
from core.public_data.sources import SOURCES

Progress = Callable[[float, str], None]
PUBLIC_GROUP_PREFIX = "Public data:"


def is_public_group(file: str) -> bool:
    """True for the catalog entries ``public_results`` makes: a workspace stores them by
    reference (reload with ``public_results()``), never as a path to reopen."""
    return file.startswith(PUBLIC_GROUP_PREFIX)


def update_sources(sources: list[str], *, years: list[int] | None = None,
                   symbols: list[str] | None = None, today: dt.date | None = None,
                   progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
                   client: HttpClient | None = None,
                   cftc_reports: tuple[str, ...] | None = None) -> list[SourceOutcome]:
    """Update each source in turn; ``FetchCancelled`` propagates after the files already
    stored (each one complete and checked)."""
    from core.public_data.update_lock import UpdateRunning, update_lock

    try:
        with update_lock():
            return _update_each(sources, years=years, symbols=symbols, today=today,
                                progress=progress, cancel=cancel, client=client,
                                cftc_reports=cftc_reports)
    except UpdateRunning as exc:
        return [SourceOutcome(s, failed=[str(exc)]) for s in sources]


def _update_each(sources: list[str], *, years, symbols, today, progress, cancel, client,
                 cftc_reports) -> list[SourceOutcome]:
    from core.public_data import cftc, finra, fred

    own = client is None
    client = client or HttpClient(cancel=cancel)
    outcomes = []
    try:
        for k, source in enumerate(sources):
            def sub(f: float, text: str, k: int = k) -> None:
                if progress is not None:
                    progress((k + f) / len(sources), text)
            if source == "cftc":
                outcomes.append(cftc.update_cftc(client, years=years, today=today, progress=sub,
                                                 reports=cftc_reports or cftc.DEFAULT_REPORTS))
            elif source == "fred":
                outcomes.append(fred.update_fred(client))
            elif source == "finra":
                outcomes.append(finra.update_finra(client, years=years, symbols=symbols,
                                                   today=today, progress=sub))
            else:
                raise ValueError(f"unknown public source {source!r} (one of {', '.join(SOURCES)})")
        if progress is not None:
            progress(1.0, "done")
    finally:
        if own:
            client.close()
    return outcomes


def public_results() -> list[LoadResult]:
    """What the store holds, as catalog entries (no network)."""
    from core.public_data import cftc, finra, fred

    out = []
    history = cftc.load_history()
    if history is not None:
        out.append(history)
    for result in (fred.fred_result(), finra.finra_result()):
        if result is not None:
            out.append(result)
    return out


__all__ = ["PUBLIC_GROUP_PREFIX", "FetchCancelled", "is_public_group", "public_results",
           "update_sources"]

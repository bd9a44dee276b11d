"""Files -> catalog, the one way both the GUI and ``main.py report`` build their data.

Loads every file through ingestion (CFTC histories merged across files), then adds the
derived rate-cut odds series when fed funds futures are among them, so windows, drags
and the desk note treat those odds like any other series.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from core.catalog import Catalog, LoadResult
from core.messages import Message

DERIVED_RATES_FILE = "(derived) rate-cut odds"

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]


def derive_rate_odds(catalog: Catalog) -> LoadResult | None:
    """FedWatch odds over every date of the loaded fed funds futures, or None."""
    from core.rates import (
        fedwatch_history,
        futures_curve_from_series,
        load_fomc_calendar,
        load_target_ranges,
    )

    source = [s for s in catalog if not s.id.startswith("rates:")]
    curve = futures_curve_from_series(source)
    if not len(curve):
        return None
    calendar = load_fomc_calendar()
    ranges = load_target_ranges()
    series = fedwatch_history(curve, calendar, ranges)
    messages: list[Message] = [*curve.messages, *calendar.messages, *ranges.messages]
    return LoadResult(file=DERIVED_RATES_FILE, series=series, messages=messages)


def build_catalog(
    paths: Iterable[str | os.PathLike],
    *,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    use_cache: bool = True,
) -> Catalog:
    """Load ``paths`` into a new catalog, with derived rate-cut odds when possible."""
    from core.ingest import load_files

    def load_progress(f: float, text: str) -> None:
        if progress is not None:
            progress(0.9 * f, text)

    results = load_files(paths, progress=load_progress, cancel=cancel, use_cache=use_cache)
    catalog = Catalog()
    for r in results:
        catalog.add(r)
    if progress is not None:
        progress(0.9, "deriving rate-cut odds")
    refresh_derived(catalog)
    if progress is not None:
        progress(1.0, "done")
    return catalog


def refresh_derived(catalog: Catalog) -> None:
    """Recompute derived series after files were added, reloaded or closed."""
    catalog.remove_file(DERIVED_RATES_FILE)
    derived = derive_rate_odds(catalog)
    if derived is not None:
        catalog.add(derived)

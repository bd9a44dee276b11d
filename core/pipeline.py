"""Files -> catalog, the one way both the GUI and ``main.py report`` build their data.

Loads every file through ingestion (CFTC histories and the dated exports of one template
merged across files), then adds the derived rate-cut odds series when fed funds futures
are among them, so windows, drags and the desk note treat those odds like any other series.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from core.catalog import Catalog, LoadResult
from core.messages import Message

if TYPE_CHECKING:
    from core.analytics.engine_set import EngineSet

DERIVED_RATES_FILE = "(derived) rate-cut odds"
DERIVED_POSITIONING_FILE = "(derived) positioning"
DERIVED_SHORT_INTEREST_FILE = "(derived) short interest"
DERIVED_FILES = frozenset({DERIVED_RATES_FILE, DERIVED_POSITIONING_FILE,
                           DERIVED_SHORT_INTEREST_FILE})


def is_derived_file(file: str) -> bool:
    """A pseudo-file of series computed from the loaded ones: not opened, so it cannot
    be closed or reloaded (it follows the files it is derived from)."""
    return file in DERIVED_FILES

# fedwatch_history prices every meeting on every date (~1 s on the sample); closing or
# adding an unrelated file must not pay that again, so results are kept per curve.
_ODDS_CACHE: OrderedDict[str, LoadResult] = OrderedDict()
_ODDS_CACHE_SIZE = 4
_ODDS_LOCK = threading.Lock()  # a rebuild on a worker thread and one on the GUI thread

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
    from core.rates.target_range_fred import with_fred_changes

    source = [s for s in catalog if not s.id.startswith("rates:")]
    curve = futures_curve_from_series(source)
    if not len(curve):
        return None
    calendar = load_fomc_calendar()
    ranges = with_fred_changes(load_target_ranges(), source)
    key = _curve_key(curve, calendar, ranges)
    with _ODDS_LOCK:
        if key in _ODDS_CACHE:
            _ODDS_CACHE.move_to_end(key)
            return _ODDS_CACHE[key]
    series = fedwatch_history(curve, calendar, ranges)
    messages: list[Message] = [*curve.messages, *calendar.messages, *ranges.messages]
    result = LoadResult(file=DERIVED_RATES_FILE, series=series, messages=messages)
    with _ODDS_LOCK:
        _ODDS_CACHE[key] = result
        while len(_ODDS_CACHE) > _ODDS_CACHE_SIZE:
            _ODDS_CACHE.popitem(last=False)
    return result


def _curve_key(curve, calendar, ranges) -> str:
    """Digest of everything the odds depend on: prices, their dates, the calendar and
    the target-range history (both user-editable files)."""
    h = hashlib.blake2b(digest_size=16)
    for part in (curve.dates, curve.prices, curve.price_dates):
        h.update(part.tobytes())
    h.update(repr((curve.labels, curve.file, curve.sheet)).encode())
    for table in (calendar, ranges):
        for value in vars(table).values():
            if isinstance(value, np.ndarray):
                h.update(value.tobytes())
    return h.hexdigest()


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


def refresh_derived(catalog: Catalog, *, cot_lookback_weeks: int | None = None) -> None:
    """Recompute derived series after files were added, reloaded or closed (or the
    lookback changed: the COT index uses the user's, in weeks; default 156)."""
    catalog.remove_file(DERIVED_RATES_FILE)
    catalog.remove_file(DERIVED_POSITIONING_FILE)
    catalog.remove_file(DERIVED_SHORT_INTEREST_FILE)
    derived = derive_rate_odds(catalog)
    if derived is not None:
        catalog.add(derived)
    positioning = derive_positioning(catalog, cot_lookback_weeks)
    if positioning is not None:
        catalog.add(positioning)
    short_interest = derive_short_interest(catalog)
    if short_interest is not None:
        catalog.add(short_interest)


def derive_short_interest(catalog: Catalog) -> LoadResult | None:
    """Per-symbol short-interest histories and baskets from the loaded snapshots."""
    from core.analytics.short_interest import short_interest_measures

    series, messages = short_interest_measures(catalog)
    if not series and not messages:
        return None
    return LoadResult(file=DERIVED_SHORT_INTEREST_FILE, series=series, messages=messages)


def derive_positioning(catalog: Catalog, lookback_weeks: int | None = None
                       ) -> LoadResult | None:
    """Net notional USD, COT index and weekly changes of the loaded CFTC series."""
    from core.analytics.positioning_measures import (
        DEFAULT_COT_LOOKBACK_WEEKS,
        positioning_measures,
    )

    series, messages = positioning_measures(
        catalog, lookback_weeks=lookback_weeks or DEFAULT_COT_LOOKBACK_WEEKS)
    if not series and not messages:
        return None
    return LoadResult(file=DERIVED_POSITIONING_FILE, series=series, messages=messages)


@dataclass(frozen=True)
class AnalysisState:
    """What the windows are computed on: the merged catalog and its window engine, and
    per file what it changed in the histories it continued (``SeriesChange`` lists, as a
    reload reports them: for the Data panel to highlight and the inbox notice)."""

    catalog: Catalog
    engine: EngineSet | None
    continued: dict = field(default_factory=dict)


EngineFactory = Callable[[list, float, str, "list[str] | None"], "EngineSet | None"]


def analysis_state(results: Iterable[LoadResult], lookback_years: float, alignment: str,
                   engine_factory: EngineFactory | None = None,
                   checked: Iterable[str] | None = None) -> AnalysisState:
    """The per-file results -> one catalog (CFTC histories split over several files
    joined, whatever order the files came in; the dated exports of one template joined,
    the later export winning; derived odds added) and its engine.

    ``checked``: the series on screen; given, a large catalog's engine is built for
    them (and what the views need beside) and the rest is left to be built later
    (``EngineSet``); None builds every series.

    ``results`` are not changed: the merge works on copies of their lists. Pure, so
    the GUI runs it on a worker thread (about a second at 4,000 series)."""
    from core.analytics.engine_set import EngineSet, first_build_ids
    from core.ingest.template_merge import merge_histories

    copies = [replace(r, series=list(r.series), messages=list(r.messages)) for r in results]
    continued = merge_histories(copies)  # CFTC years, and the dated weekly exports of each template
    catalog = Catalog()
    for r in copies:
        catalog.add(r)
    from core.analytics.positioning_measures import cot_lookback_weeks

    refresh_derived(catalog, cot_lookback_weeks=cot_lookback_weeks(lookback_years))
    series = [s for s in catalog if len(s)]
    first = None if checked is None else first_build_ids(series, checked)
    if engine_factory is None:
        def engine_factory(s, lb, al, first):
            return EngineSet(s, lookback_years=lb, alignment=al, first=first)
    engine = engine_factory(series, lookback_years, alignment, first) if series else None
    return AnalysisState(catalog, engine, continued)

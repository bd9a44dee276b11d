"""Files -> catalog, the one way both the GUI and ``main.py report`` build their data.

Loads every file through ingestion (CFTC histories merged across files), then adds the
derived rate-cut odds series when fed funds futures are among them, so windows, drags
and the desk note treat those odds like any other series.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable

import numpy as np

from core.catalog import Catalog, LoadResult
from core.messages import Message

DERIVED_RATES_FILE = "(derived) rate-cut odds"
DERIVED_POSITIONING_FILE = "(derived) positioning"
DERIVED_SHORT_INTEREST_FILE = "(derived) short interest"

# fedwatch_history prices every meeting on every date (~1 s on the sample); closing or
# adding an unrelated file must not pay that again, so results are kept per curve.
_ODDS_CACHE: OrderedDict[str, LoadResult] = OrderedDict()
_ODDS_CACHE_SIZE = 4

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
    key = _curve_key(curve, calendar, ranges)
    if key in _ODDS_CACHE:
        _ODDS_CACHE.move_to_end(key)
        return _ODDS_CACHE[key]
    series = fedwatch_history(curve, calendar, ranges)
    messages: list[Message] = [*curve.messages, *calendar.messages, *ranges.messages]
    result = LoadResult(file=DERIVED_RATES_FILE, series=series, messages=messages)
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

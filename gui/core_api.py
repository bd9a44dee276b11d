"""The GUI's door to core: the few entry points the views and the session call, typed.

Keeping the calls here means a change in a core signature is fixed in one file. There
are no fallbacks: a broken core import fails loudly (in the tests first), never as a
silent "no data".
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from core.analytics.engine import WindowEngine
from core.analytics import engine_set
from core.analytics.engine_set import EngineSet, observation_budget
from core.analytics.figures import FIGURE_SPECS, FigureSpec
from core.analytics.presets import PRESETS, preset_window, same_span_year_earlier
from core.analytics.presets import since_low as _since_low
from core.analytics.window import Window
from core.atomic import atomic_write_text as _atomic_write_text
from core.catalog import Catalog, LoadResult
from core.ingest import (
    CancelCheck,
    Cancelled,
    FileMapping,
    Progress,
    SeriesChange,
    TemplateStore,
    migrate_series_id as _migrate_series_id,
    migrate_series_ids as _migrate_series_ids,
    template_signature,
)
from core.ingest import (
    diff_results as _diff_results,
)
from core.ingest import (
    load_file as _load_file,
)
from core.ingest.template_merge import notice_text as _notice_text
from core.paths import sample_path, user_data_dir
from core.pipeline import DERIVED_RATES_FILE, AnalysisState
from core.pipeline import analysis_state as _analysis_state
from core.pipeline import refresh_derived as _refresh_derived
from core.series import Series

if TYPE_CHECKING:
    from gui.session import Session

__all__ = ["DERIVED_RATES_FILE", "Cancelled"]

DateLike = np.datetime64 | str


# -- windows ----------------------------------------------------------------------------
def make_window(start: DateLike, end: DateLike) -> Window:
    """A window from two dates in either order (a region dragged past itself)."""
    s, e = np.datetime64(start, "D"), np.datetime64(end, "D")
    return Window(s, e) if s <= e else Window(e, s)


def bounds(w: Window) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(w.start, "D"), np.datetime64(w.end, "D")


def same_window(a: Window | None, b: Window | None) -> bool:
    if a is None or b is None:
        return a is b
    return bounds(a) == bounds(b)


def year_earlier(w: Window) -> Window:
    return same_span_year_earlier(w)


def preset_names() -> list[str]:
    return list(PRESETS)


def preset(session: Session, name: str, series: Series | None = None) -> Window | None:
    """Preset window over the given series' history (default: all data)."""
    if series is not None and len(series):
        first, last = series.first_date, series.last_date
    else:
        span = session.data_span()
        if span is None:
            return None
        first, last = span
    return preset_window(name, first, last)


def since_low(series: Series, span: Window) -> Window:
    return _since_low(series, span)


# -- engine -----------------------------------------------------------------------------
def build_engine(series: list[Series], lookback_years: float, alignment: str) -> WindowEngine:
    return WindowEngine(series, lookback_years=lookback_years, alignment=alignment)


def build_engine_set(series: list[Series], lookback_years: float, alignment: str,
                     first: list[str] | None) -> EngineSet:
    """The catalog's engine, ``first`` built now (None: all; see EngineSet)."""
    return EngineSet(series, lookback_years=lookback_years, alignment=alignment, first=first)


def analysis_state(results: list[LoadResult], lookback_years: float,
                   alignment: str, checked: list[str] | None = None) -> AnalysisState:
    """Merged catalog and engine of the loaded files (runs on a worker thread): a large
    catalog's engine holds the ``checked`` series and what the views need, the rest
    is built by the session in the background (``engine_budget``)."""
    return _analysis_state(results, lookback_years, alignment, checked=checked,
                           engine_factory=lambda s, lb, al, first:
                           build_engine_set(s, lb, al, first))


def first_paint_observations() -> int:
    """Observations an engine may hold and still be rebuilt whole at once (~2 s)."""
    return engine_set.FIRST_PAINT_OBSERVATIONS  # read at call time: tests lower it


def priority_ids(series: list[Series], checked: list[str]) -> list[str]:
    """The series the views need first (checked, pairs, the desk's markets)."""
    return engine_set.priority_ids(series, checked)


def engine_budget() -> int:
    """Observations the background fill builds before waiting to be asked."""
    return observation_budget()


def figure_specs() -> list[FigureSpec]:
    return list(FIGURE_SPECS)


# -- ingest -----------------------------------------------------------------------------
def load_file(path: str, *, mapping: FileMapping | None = None,
              progress: Progress | None = None, cancel: CancelCheck | None = None,
              use_cache: bool = True) -> LoadResult:
    return _load_file(path, mapping=mapping, use_cache=use_cache, progress=progress,
                      cancel=cancel)


def cancelled_type() -> type[BaseException]:
    return Cancelled


def diff_results(old: LoadResult, new: LoadResult) -> list[SeriesChange]:
    return list(_diff_results(old, new))


def change_series_id(change: SeriesChange) -> str:
    return change.series_id


def describe_change(change: SeriesChange) -> str:
    return change.describe()


def continuation_notice(file: str, changes: list[SeriesChange]) -> str:
    """"desk_2025-07-29.xlsx: 3 new dates, 2 revised values" (a weekly export arrived)."""
    return _notice_text(file, changes)


def migrate_series_id(series_id: str) -> str:
    """A series id saved before the dated exports of one template shared their ids."""
    return _migrate_series_id(series_id)


def migrate_series_ids(series_ids: list[str]) -> list[str]:
    return list(_migrate_series_ids(series_ids))


def save_template(path: str, mapping: FileMapping) -> None:
    """Remember a corrected mapping for every file of this template (core TemplateStore)."""
    TemplateStore().save(mapping, template_signature(path, mapping))


# -- derived series ---------------------------------------------------------------------
def refresh_derived(catalog: Catalog) -> None:
    """Recompute derived rate-cut-odds series from the fed funds futures loaded."""
    _refresh_derived(catalog)


# -- export -----------------------------------------------------------------------------
def provenance(session: Session) -> dict:
    files = session.files
    a, b = session.window_a, session.window_b
    return {"files": files, "synthetic_sample": any(is_sample(f) for f in files),
            "window_a": [str(d) for d in bounds(a)] if a is not None else None,
            "window_b": [str(d) for d in bounds(b)] if b is not None else None,
            "lookback_years": session.lookback_years, "alignment": session.alignment,
            # a large catalog's figures arrive shard by shard: say what the export covers
            "series_with_figures": "{:,} of {:,}".format(*session.figures_coverage())}


def atomic_write_text(path: str, text: str) -> None:
    _atomic_write_text(path, text)


def is_sample(path: str) -> bool:
    try:
        return Path(path).resolve() == sample_path().resolve()
    except OSError:
        return False


def data_folder() -> Path:
    """The app's own data: stored public data and the vintage store."""
    return user_data_dir()


def record_vintages(result: LoadResult) -> list:
    """Keep the loaded file's observations as one export in the vintage store (on the
    thread that loaded it); problems come back as messages, never as exceptions.
    ``GAPWATCH_VINTAGES=0`` turns the recording off."""
    if os.environ.get("GAPWATCH_VINTAGES") == "0" or not result.ok:
        return []
    from core.vintages import record_results

    return [m for m in record_results([result]) if m.level != "info"]


def results_from_store(path: str | None = None) -> list[LoadResult]:
    """The vintage store's series as per-file results, without reading a file."""
    from core.vintages import VintageStore
    from core.vintages import results_from_store as _from_store

    if path is None:
        return list(_from_store())
    with VintageStore(path) as store:
        return list(_from_store(store))


def vintages_text(series_id: str) -> str:
    """What each stored export said of a series, and its revisions."""
    from core.cli_history import vintages_text as _text

    return _text(series_id)


def is_public_group(file: str) -> bool:
    """The stored public data's catalog entries ("Public data: CFTC TFF 2006-2026")."""
    from core.public_data import is_public_group as _is_public_group  # httpx: lazily

    return _is_public_group(file)


def public_results() -> list[LoadResult]:
    """What the public-data store holds, as catalog entries (no network)."""
    from core.public_data import public_results as _public_results  # httpx: not at start

    return _public_results()


def ids(series: Iterable[Series]) -> list[str]:
    return [s.id for s in series]

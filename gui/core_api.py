"""The one place the GUI touches core's analytics/ingest/rates/export entry points.

Keeping every call here means a change in a core signature is fixed in one file, and the
views stay free of import-order and optional-module concerns. Imports are lazy so the GUI
package imports (and shows a clear message) even in a partial checkout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from core.catalog import Catalog, LoadResult
from core.pipeline import DERIVED_RATES_FILE  # noqa: F401  (re-exported for the views)
from core.series import Series


# -- windows ----------------------------------------------------------------------------
def make_window(start, end):
    from core.analytics.window import Window

    s = np.datetime64(start, "D")
    e = np.datetime64(end, "D")
    if e < s:
        s, e = e, s
    return Window(s, e)


def bounds(w) -> tuple[np.datetime64, np.datetime64]:
    return np.datetime64(w.start, "D"), np.datetime64(w.end, "D")


def same_window(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return bounds(a) == bounds(b)


def year_earlier(w):
    try:
        from core.analytics.presets import same_span_year_earlier
    except ImportError:  # presets module not there yet: the Window's own arithmetic
        return w.shifted(years=-1)
    return same_span_year_earlier(w)


def preset_names() -> list[str]:
    from core.analytics.presets import PRESETS

    return list(PRESETS)


def preset(session, name: str, series: Series | None = None):
    """Preset window over the given series' history (default: all data)."""
    if series is not None and len(series):
        first, last = series.first_date, series.last_date
    else:
        first, last = session.data_span()
    try:
        from core.analytics.presets import preset_window
    except ImportError:  # presets module not there yet: last year / everything
        from core.analytics.window import Window

        if name == "All":
            return Window(first, last)
        return Window(max(first, Window(last, last).shifted(years=-1).start + 1), last)
    return preset_window(name, first, last)


def since_low(series: Series, span):
    from core.analytics.presets import since_low as _since_low

    return _since_low(series, span)


# -- engine -----------------------------------------------------------------------------
def build_engine(series: list[Series], lookback_years: float, alignment: str):
    from core.analytics.engine import WindowEngine

    return WindowEngine(series, lookback_years=lookback_years, alignment=alignment)


def figure_specs() -> list:
    from core.analytics.figures import FIGURE_SPECS

    return list(FIGURE_SPECS.values()) if isinstance(FIGURE_SPECS, dict) else list(FIGURE_SPECS)


# -- ingest -----------------------------------------------------------------------------
def load_file(path: str, *, mapping=None, progress: Callable | None = None,
              cancel: Callable | None = None, use_cache: bool = True) -> LoadResult:
    from core.ingest import load_file as _load

    return _load(path, mapping=mapping, use_cache=use_cache, progress=progress, cancel=cancel)


def cancelled_type() -> type[BaseException]:
    try:
        from core.ingest import Cancelled
    except ImportError:  # pragma: no cover - partial checkout
        return type("Cancelled", (Exception,), {})
    return Cancelled


def diff_results(old: LoadResult, new: LoadResult) -> list:
    try:
        from core.ingest import diff_results as _diff
    except ImportError:
        return []
    return list(_diff(old, new))


def change_series_id(change: Any) -> str:
    return getattr(change, "series_id", None) or getattr(change, "id", "")


def describe_change(change: Any) -> str:
    describe = getattr(change, "describe", None)
    return describe() if callable(describe) else str(change_series_id(change))


def merge_results(results: list[LoadResult]) -> None:
    """CFTC series with the same id across files become one history (core.ingest)."""
    try:
        from core.ingest.cftc_merge import merge_cftc
    except ImportError:
        return
    merge_cftc(results)


# -- rates ------------------------------------------------------------------------------
def refresh_derived(catalog: Catalog) -> None:
    """Recompute derived rate-cut-odds series from the fed funds futures loaded."""
    from core.pipeline import refresh_derived as core_refresh_derived

    core_refresh_derived(catalog)


# -- export -----------------------------------------------------------------------------
def provenance(session) -> dict:
    files = session.files
    return {"files": files, "synthetic_sample": any(is_sample(f) for f in files),
            "window_a": [str(d) for d in bounds(session.window_a)] if session.window_a else None,
            "window_b": [str(d) for d in bounds(session.window_b)] if session.window_b else None,
            "lookback_years": session.lookback_years, "alignment": session.alignment}


def atomic_write_text(path: str, text: str) -> None:
    from core.atomic import atomic_write_text as _write

    _write(path, text)


def is_sample(path: str) -> bool:
    from pathlib import Path

    from core.paths import sample_path

    try:
        return Path(path).resolve() == sample_path().resolve()
    except OSError:
        return False


def ids(series: Iterable[Series]) -> list[str]:
    return [s.id for s in series]


def save_template(path: str, mapping) -> None:
    """Remember a corrected mapping for every file of this template (core TemplateStore)."""
    from core.ingest.mapping import TemplateStore

    try:
        from core.ingest import template_signature
    except ImportError:
        return
    TemplateStore().save(mapping, template_signature(path, mapping))

"""What the exporters need from the window engine, stated as protocols.

The export code reads analytics results only through these attributes, so it can be
tested with small stand-ins and does not import the engine at module load.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np


class WindowLike(Protocol):
    """A closed calendar interval [start, end] (``datetime64[D]``)."""

    start: np.datetime64
    end: np.datetime64


class FigureSpecLike(Protocol):
    """One figure's name, column label, display kind and one-line definition.

    ``fmt`` is one of ``value``, ``pct``, ``date``, ``z``, ``percentile``, ``count``.
    """

    name: str
    label: str
    fmt: str
    description: str


class FigureTableLike(Protocol):
    """Figures of every series over one window.

    ``values[i, j]`` is figure ``figure_names[j]`` of series ``series_ids[i]``; date
    figures are float days since 1970-01-01; NaN means null.
    """

    window: WindowLike
    series_ids: tuple[str, ...]
    figure_names: tuple[str, ...]
    values: np.ndarray


class ComparisonLike(Protocol):
    """Window A's table, window B's (or None) and A − B (NaN for date figures).

    ``diff`` is a table shaped like ``a`` (as the engine gives it) or a bare matrix.
    """

    a: FigureTableLike
    b: FigureTableLike | None
    diff: FigureTableLike | np.ndarray | None


class RelativeLike(Protocol):
    """Relative performance of series ``a_id`` over ``b_id`` in a window (pct None = null)."""

    a_id: str
    b_id: str
    relative_pct: float | None
    dates: np.ndarray
    line: np.ndarray

"""Window analytics: every figure of a date window for every series (DOMAIN.md)."""

from core.analytics.engine import WindowEngine
from core.analytics.engine_set import EngineSet
from core.analytics.figures import FIGURE_NAMES, FIGURE_SPECS, FigureSpec
from core.analytics.results import Comparison, FigureTable, GapResult, RelativeResult
from core.analytics.window import Window

__all__ = [
    "FIGURE_NAMES",
    "FIGURE_SPECS",
    "Comparison",
    "FigureSpec",
    "FigureTable",
    "GapResult",
    "RelativeResult",
    "Window",
    "EngineSet",
    "WindowEngine",
]

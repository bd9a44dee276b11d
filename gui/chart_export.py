"""The charts as PNG and SVG files, drawn by the same ChartsPanel the window shows.

Two entry points share the writers:
- ``render_charts``: headless (``main.py report --png/--svg``). It builds a Session and a
  ChartsPanel offscreen over a catalog with the given windows, lays it out at the
  requested size and draws it; no main window is created.
- ``write_widget_png`` / ``write_widget_svg``: any live widget (File > Export draws the
  window's own chart panel, zoom and all).

PNG: ``size`` is the image in pixels and ``dpi`` its resolution. The panel is laid out
at ``size × 96 / dpi`` logical pixels and drawn at ``dpi / 96`` device pixels per logical
one, so text keeps its physical size: 1600 × 1000 at 192 dpi is a crisp 2× image of an
800 × 500 layout. SVG: the vector paint calls of the same widget through QSvgGenerator
(pyqtgraph's SVGExporter fails under Qt 6.12). Both are written through
``core.atomic.atomic_path`` and refuse to replace an existing file unless ``force``.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from core.atomic import atomic_path, refuse_overwrite
from core.catalog import Catalog, LoadResult
from gui.plot_cache import uncached

BASE_DPI = 96
INCH_M = 0.0254
SVG_TITLE = "Gapwatch charts"
# Series the pipeline derives (rate-cut odds): the Session derives its own, so these are
# left out when a pipeline catalog is turned back into per-file results.
_DERIVED_PREFIXES = ("(derived)", "derived:")


@dataclass(frozen=True)
class ChartFile:
    """One file written: its path, pixel (PNG) or logical (SVG) size and byte count."""

    path: Path
    width: int
    height: int
    bytes: int


# -- writers (any widget) -------------------------------------------------------------------
def write_widget_png(widget: QWidget, path: str | os.PathLike[str], *, dpi: int = BASE_DPI,
                     pixels: tuple[int, int] | None = None, fit: bool = False,
                     force: bool = False) -> ChartFile:
    """``widget`` at its current layout, ``dpi / 96`` device pixels per logical pixel
    (``pixels``: exact image size, when the layout size times that ratio is not whole;
    ``fit``: shrink a widget larger than that image to fit it, keeping proportions)."""
    target = Path(path)
    refuse_overwrite(target, force)
    image = widget_image(widget, dpi, pixels, fit=fit)
    with atomic_path(target) as tmp:
        if not image.save(str(tmp), "PNG"):
            raise OSError(f"could not write PNG {target}")
    return ChartFile(target, image.width(), image.height(), target.stat().st_size)


def widget_image(widget: QWidget, dpi: int = BASE_DPI,
                 pixels: tuple[int, int] | None = None, *, fit: bool = False) -> QImage:
    """The widget drawn into an ARGB image with its DPI recorded in the file."""
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi}")
    ratio = dpi / BASE_DPI
    logical = widget.size()
    width, height = pixels or (round(logical.width() * ratio), round(logical.height() * ratio))
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    dots_per_metre = round(dpi / INCH_M)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(_background(widget))
    painter = QPainter(image)
    try:
        if fit:  # the painter works in logical pixels (the image's device pixel ratio)
            k = min(width / ratio / max(1, logical.width()),
                    height / ratio / max(1, logical.height()), 1.0)
            painter.scale(k, k)
        with uncached(widget):
            widget.render(painter, QPoint(0, 0))
    finally:
        painter.end()
    return image


def write_widget_svg(widget: QWidget, path: str | os.PathLike[str], *, title: str = SVG_TITLE,
                     force: bool = False) -> ChartFile:
    """``widget`` as SVG paths and text, viewBox = its logical size."""
    target = Path(path)
    refuse_overwrite(target, force)
    size = widget.size()
    with atomic_path(target) as tmp:
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setSize(QSize(size.width(), size.height()))
        gen.setViewBox(QRect(0, 0, size.width(), size.height()))
        gen.setResolution(BASE_DPI)
        gen.setTitle(title)
        gen.setDescription("Gapwatch chart panel: windows A and B shaded")
        painter = QPainter()
        if not painter.begin(gen):
            raise OSError(f"could not start the SVG writer for {target}")
        try:
            painter.fillRect(QRect(0, 0, size.width(), size.height()), _background(widget))
            with uncached(widget):
                widget.render(painter, QPoint(0, 0))
        finally:
            painter.end()
    return ChartFile(target, size.width(), size.height(), target.stat().st_size)


def _background(widget: QWidget) -> QColor:
    return widget.palette().color(widget.backgroundRole())


# -- headless -------------------------------------------------------------------------------
def render_charts(catalog_or_parts: Any, window_a: Any, window_b: Any = None, *,
                  png: str | os.PathLike[str] | None, svg: str | os.PathLike[str] | None,
                  size: tuple[int, int] = (1600, 1000), dpi: int = BASE_DPI,
                  force: bool = False, lookback_years: float | None = None,
                  alignment: str | None = None) -> list[ChartFile]:
    """Draw the chart panel over ``catalog_or_parts`` (a Catalog, or core.headless_report's
    ReportParts whose lookback/alignment are then used) with windows A and B (B may be
    None) into ``png`` and/or ``svg``. Both targets are checked before anything is drawn,
    so an existing file without ``force`` leaves every output untouched."""
    width, height = (int(v) for v in size)
    if width <= 0 or height <= 0:
        raise ValueError(f"size must be positive, not {width}x{height}")
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi}")
    targets = [Path(p) for p in (png, svg) if p]
    for target in targets:
        refuse_overwrite(target, force)
    if not targets:
        return []
    catalog, lookback, align = _unpack(catalog_or_parts)
    lookback = lookback_years if lookback_years is not None else lookback
    align = alignment or align
    panel, session = build_offscreen_panel(catalog, window_a, window_b,
                                           logical_size=_logical_size(width, height, dpi),
                                           lookback_years=lookback, alignment=align)
    try:
        enlarged = _make_rows_fit(panel)
        written = []
        if png:
            written.append(write_widget_png(panel, png, dpi=dpi, pixels=(width, height),
                                            fit=enlarged, force=force))
        if svg:
            written.append(write_widget_svg(panel, svg, force=force))
        return written
    finally:
        panel.close()
        panel.deleteLater()
        session.deleteLater()
        QApplication.sendPostedEvents(None, 0)


def build_offscreen_panel(catalog: Catalog, window_a: Any, window_b: Any, *,
                          logical_size: QSize, lookback_years: float = 3.0,
                          alignment: str = "asof") -> tuple[QWidget, Any]:
    """A ChartsPanel over its own Session, laid out at ``logical_size``, never on screen."""
    from gui.qt_application import ensure_app
    from gui.panels.charts_panel import ChartsPanel
    from gui.session import Session

    if window_a is None:
        raise ValueError("nothing to draw: no series were read (no window A)")
    app = ensure_app()
    session = Session()
    session.lookback_years = float(lookback_years)
    session.alignment = alignment
    session.add_results(results_of(catalog))
    if session.engine is None:
        session.deleteLater()
        raise ValueError("nothing to draw: no series were read")
    panel = ChartsPanel(session)
    _hide_live_controls(panel)
    panel.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    panel.resize(logical_size)
    panel.show()
    session.lock_b = window_b is not None and _is_year_earlier(window_a, window_b)
    session.window_a, session.window_b = window_a, window_b
    session.windowsChanged.emit(None)
    session.recompute()
    for _ in range(3):  # layout, splitter sizes and view ranges settle over a few turns
        app.processEvents()
    return panel, session


def chart_area(charts: QWidget) -> QWidget:
    """The stacked plots of a ChartsPanel, without the crosshair readout line above them."""
    area = getattr(charts, "splitter", None)
    return area if isinstance(area, QWidget) else charts


def _make_rows_fit(panel: QWidget) -> bool:
    """Rows keep a minimum height and scroll in a small window; a file must show them
    all. If they overflow, lay the panel out larger, in proportion, so that they fit
    (the writers then shrink it back to the requested size). True if it was enlarged."""
    area = chart_area(panel)
    viewport = area.parentWidget()
    if area is panel or viewport is None or area.height() <= viewport.height():
        return False
    grow = area.height() / max(1, viewport.height())
    panel.resize(math.ceil(panel.width() * grow) + 1, math.ceil(panel.height() * grow) + 1)
    for _ in range(3):
        QApplication.processEvents()
    return True


def results_of(catalog: Catalog) -> list[LoadResult]:
    """The catalog's files as per-file results, without pipeline-derived series."""
    out = []
    for file in catalog.files:
        if file.startswith(_DERIVED_PREFIXES):
            continue
        out.append(LoadResult(file=file, series=list(catalog.series_of_file(file))))
    return out


def _unpack(obj: Any) -> tuple[Catalog, float, str]:
    if isinstance(obj, Catalog):
        return obj, 3.0, "asof"
    catalog = getattr(obj, "catalog", None)
    if not isinstance(catalog, Catalog):
        raise TypeError(f"render_charts needs a Catalog or report parts, not {type(obj).__name__}")
    report = getattr(obj, "report", None) or {}
    return catalog, float(report.get("lookback_years") or 3.0), report.get("alignment") or "asof"


def _logical_size(width: int, height: int, dpi: int) -> QSize:
    ratio = dpi / BASE_DPI
    return QSize(max(1, round(width / ratio)), max(1, round(height / ratio)))


def _hide_live_controls(panel: QWidget) -> None:
    """The crosshair readout and the follow toggle mean nothing in a file."""
    for name in ("readout", "follow_box"):
        child = getattr(panel, name, None)
        if isinstance(child, QWidget):
            child.hide()


def _is_year_earlier(a: Any, b: Any) -> bool:
    from gui import core_api

    return core_api.same_window(core_api.year_earlier(a), b)


_QUIET = ("does not support propagateSizeHints",)


def quiet_platform_warnings() -> None:
    """The offscreen platform warns about window hints it ignores; a command-line report
    should print only what concerns the user. Other Qt messages still reach stderr."""
    import sys

    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode, _context, message: str) -> None:
        if not any(q in message for q in _QUIET):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)

"""File > Export: the stats workbook (core.export), the charts as PNG (QWidget.grab)
and as SVG (QSvgGenerator rendering the widget; pyqtgraph's SVGExporter is broken
with Qt 6.12)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from gui import core_api


def export_png(widget: QWidget, path: str) -> Path:
    pixmap = widget.grab()
    target = Path(path)
    with core_api_atomic_path(target) as tmp:
        if not pixmap.save(str(tmp), "PNG"):
            raise OSError(f"could not write PNG {target}")
    return target


def export_svg(widget: QWidget, path: str, title: str = "Gapwatch charts") -> Path:
    target = Path(path)
    size = widget.size()
    with core_api_atomic_path(target) as tmp:
        gen = QSvgGenerator()
        gen.setFileName(str(tmp))
        gen.setSize(QSize(size.width(), size.height()))
        gen.setViewBox(QRect(0, 0, size.width(), size.height()))
        gen.setTitle(title)
        painter = QPainter(gen)
        try:
            widget.render(painter)
        finally:
            painter.end()
    return target


def export_workbook(session, path: str, note: list[str], pairs: list) -> Path:
    relative = [session.engine.relative(a, b, session.window_a) for a, b in pairs]
    core_api.write_workbook(path, session, note, relative, force=True)
    return Path(path)


def core_api_atomic_path(target: Path):
    from core.atomic import atomic_path

    return atomic_path(target)

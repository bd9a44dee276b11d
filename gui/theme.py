"""Light and dark themes: a Qt palette for the widgets and matching pyqtgraph colours.

Window A is blue and window B orange everywhere (regions, shading, bars, table headers),
chosen to stay distinguishable for the common colour-vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

COLOR_A = QColor(31, 119, 180)
COLOR_B = QColor(230, 126, 34)
# Okabe-Ito-like cycle for curves: readable on white and on near-black.
CURVE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                "#7F7F7F", "#8C564B", "#1B9E77", "#E7298A"]
# the same hues lighter for the dark background: the light theme's blue and vermilion
# vanish on the dark shading of windows A and B
DARK_CURVE_COLORS = ["#6CC4F5", "#FF9F5A", "#3DD6A8", "#E8A0CC", "#F0E442", "#A9DDFF",
                     "#C0C0C0", "#D9AE8A", "#8FE3C8", "#FF85B8"]


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    grid_alpha: float
    changed_bg: str     # highlight for series a reload changed
    shade_alpha: int    # windows A/B shading in the charts (dark needs more to show)
    history_pen: str    # the navigator's whole-history curve
    message_colours: dict  # load-message level -> text colour


LIGHT = Theme("light", "#ffffff", "#202020", 0.15, "#fff3b0", 28, "#5a5a5a",
              {"error": "#c0392b", "warning": "#b9770e", "info": "#2874a6"})
DARK = Theme("dark", "#1e1f22", "#d8d8d8", 0.25, "#5a4a00", 52, "#a8a8a8",
             {"error": "#f1948a", "warning": "#f0b27a", "info": "#85c1e9"})
THEMES = {"light": LIGHT, "dark": DARK}


def region_brush(color: QColor, alpha: int) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c


def curve_color(i: int, dark: bool = False) -> str:
    colours = DARK_CURVE_COLORS if dark else CURVE_COLORS
    return colours[i % len(colours)]


def configure_pyqtgraph() -> None:
    """Speed first: no antialiasing, no OpenGL (offscreen and remote desktops lack it)."""
    pg.setConfigOptions(antialias=False, useOpenGL=False, background=LIGHT.background,
                        foreground=LIGHT.foreground)


def set_default_font(app: QApplication) -> None:
    """DejaVu Sans exists on every Linux box we ship to; without it offscreen text can
    render as boxes."""
    font = QFont("DejaVu Sans", 9)
    app.setFont(font)


class _DarkIndicators(QProxyStyle):
    """Fusion outlines check boxes and radio buttons in the window colour made darker,
    which vanishes on a dark base: unticked series would look like no box at all. This
    draws Fusion's indicator, then a visible outline around it."""

    _ELEMENTS = frozenset({QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                           QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
                           QStyle.PrimitiveElement.PE_IndicatorRadioButton})

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        super().drawPrimitive(element, option, painter, widget)
        if element not in self._ELEMENTS:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QColor(DARK_INDICATOR_OUTLINE))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = option.rect.adjusted(0, 0, -1, -1)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
        else:
            painter.drawRect(rect)
        painter.restore()


DARK_INDICATOR_OUTLINE = "#9a9a9a"


def apply_theme(app: QApplication, theme: Theme) -> None:
    if theme.name == "dark":
        app.setStyle(_DarkIndicators(QStyleFactory.create("Fusion")))
    else:
        app.setStyle("Fusion")
    pal = QPalette()
    if theme.name == "dark":
        base, alt = QColor("#1e1f22"), QColor("#2a2c30")
        text, window = QColor("#dcdcdc"), QColor("#2b2d31")
        pal.setColor(QPalette.ColorRole.Window, window)
        pal.setColor(QPalette.ColorRole.WindowText, text)
        pal.setColor(QPalette.ColorRole.Base, base)
        pal.setColor(QPalette.ColorRole.AlternateBase, alt)
        pal.setColor(QPalette.ColorRole.Text, text)
        pal.setColor(QPalette.ColorRole.Button, window)
        pal.setColor(QPalette.ColorRole.ButtonText, text)
        pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#3a3d42"))
        pal.setColor(QPalette.ColorRole.ToolTipText, text)
        pal.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fa8"))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
        pal.setColor(QPalette.ColorRole.Link, QColor("#7fb2e5"))
        # disabled editors (B's dates while B is locked) must look disabled
        dim = QColor("#7d7f84")
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                     QPalette.ColorRole.ButtonText):
            pal.setColor(QPalette.ColorGroup.Disabled, role, dim)
        pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, window)
    else:
        pal = app.style().standardPalette()
    app.setPalette(pal)

"""Light and dark themes: a Qt palette for the widgets and matching pyqtgraph colours.

Window A is blue and window B orange everywhere (regions, shading, bars, table headers),
chosen to stay distinguishable for the common colour-vision deficiencies.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

COLOR_A = QColor(31, 119, 180)
COLOR_B = QColor(230, 126, 34)
# Okabe-Ito-like cycle for curves: readable on white and on near-black.
CURVE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
                "#7F7F7F", "#8C564B", "#1B9E77", "#E7298A"]


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    grid_alpha: float
    changed_bg: str  # highlight for series a reload changed


LIGHT = Theme("light", "#ffffff", "#202020", 0.15, "#fff3b0")
DARK = Theme("dark", "#1e1f22", "#d8d8d8", 0.25, "#5a4a00")
THEMES = {"light": LIGHT, "dark": DARK}


def region_brush(color: QColor, alpha: int) -> QColor:
    c = QColor(color)
    c.setAlpha(alpha)
    return c


def curve_color(i: int) -> str:
    return CURVE_COLORS[i % len(CURVE_COLORS)]


def configure_pyqtgraph() -> None:
    """Speed first: no antialiasing, no OpenGL (offscreen and remote desktops lack it)."""
    pg.setConfigOptions(antialias=False, useOpenGL=False, background=LIGHT.background,
                        foreground=LIGHT.foreground)


def set_default_font(app: QApplication) -> None:
    """DejaVu Sans exists on every Linux box we ship to; without it offscreen text can
    render as boxes."""
    font = QFont("DejaVu Sans", 9)
    app.setFont(font)


def apply_theme(app: QApplication, theme: Theme) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    if theme.name == "dark":
        base, alt, text, window = QColor("#1e1f22"), QColor("#2a2c30"), QColor("#dcdcdc"), QColor("#2b2d31")
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
    else:
        pal = app.style().standardPalette()
    app.setPalette(pal)

"""One plot of the chart stack: its curves, the A/B shading, the crosshair line and,
for positioning, the lookback +-1/2 sigma band. Data arrays are set once per catalog or
check change; a drag only moves regions, rescales curves (QTransform) or swaps the few
window-length arrays (relative lines, gap).

While a drag runs the row's y-range is held by the caller (``hold_y``): left to
pyqtgraph, the auto-range is recomputed while painting, moves the view and asks for a
second paint of every row per drag step."""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QTransform
from PySide6.QtWidgets import QApplication

from core.holes import joins
from gui.theme import COLOR_A, COLOR_B, curve_color
from gui.widgets.window_shade import WindowShade

# below this a plot is a strip: axis ticks overlap and the title eats the curves
MIN_ROW_HEIGHT = 130
# one-pixel curves: a wider pen is stroked as polygons, ~2 ms more per chart paint
CURVE_WIDTH = 1.0
# a held y-range is kept while the data fills at least this share of it
STICKY_FILL = 0.45
LEFT_AXIS_WIDTH = 62
TITLE_POINT_SIZE = 8
# the title's text document pads its text (4 px each side) and the layout keeps a margin
TITLE_SLACK = 14
# a legend name is never cut below this (px): shorter would be a bare ellipsis
MIN_NAME_WIDTH = 36


class RowPlotWidget(pg.PlotWidget):
    """A PlotWidget that tells its row when its width changes (the title is fitted to it)."""

    on_width_changed = None  # class default: pyqtgraph resizes during __init__

    def __init__(self, plot: pg.PlotItem) -> None:
        super().__init__(plotItem=plot)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.on_width_changed is not None and event is not None \
                and event.size().width() != event.oldSize().width():
            self.on_width_changed()


class ChartRow:
    def __init__(self, key: str, title: str, axis_title: str, *, menu_name: str = "") -> None:
        self.key = key
        self.title = title
        self.menu_name = menu_name or title
        self.plot = pg.PlotItem(axisItems={"bottom": pg.DateAxisItem()})
        self.widget = RowPlotWidget(self.plot)
        self.widget.on_width_changed = self._fit_title
        self.widget.setMinimumHeight(MIN_ROW_HEIGHT)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        # no grid: grid lines are drawn by the axes and double their repaint cost per drag
        self.plot.showGrid(x=False, y=False)
        self.set_axis_title(axis_title)
        self.plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
        self.plot.setAutoVisible(y=True)
        self.plot.enableAutoRange(y=True)
        self.title_colour = "#202020"
        self.dark = False  # curve palette for a dark background (set_dark)
        self._title_html = ""
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.labels: dict[str, str] = {}
        # B overlaid on A: a dashed twin of each curve, moved onto A's dates by its
        # transform (the data arrays are the curve's own: nothing is copied)
        self.overlay_on = False
        self.overlays: dict[str, pg.PlotDataItem] = {}
        self.overlay_shift = 0.0  # seconds: A's start - B's start
        self.shade_a = self._shade(COLOR_A)
        self.shade_b = self._shade(COLOR_B)
        self.vline = pg.InfiniteLine(angle=90, movable=False,
                                     pen=pg.mkPen((128, 128, 128), width=1))
        self.vline.setZValue(50)
        self.vline.hide()
        self.plot.addItem(self.vline, ignoreBounds=True)
        self.bands: list[pg.LinearRegionItem] = []
        self.mean_line: pg.InfiniteLine | None = None
        self.marker: pg.ScatterPlotItem | None = None
        self.note: pg.TextItem | None = None
        self._held: tuple[float, float] | None = None
        self._b_region: tuple[float, float] | None = None

    def _shade(self, colour) -> WindowShade:
        return WindowShade(self.plot, colour)

    def set_shade_alpha(self, alpha: int) -> None:
        for shade in (self.shade_a, self.shade_b):
            shade.set_fill_alpha(alpha)

    def set_axis_title(self, text: str, tooltip: str = "") -> None:
        """Short y-axis title (a unit): the axis is 62 px wide, longer text is cut."""
        self.plot.setLabel("left", text)
        self.plot.getAxis("left").setToolTip(tooltip or text)

    # -- curves ---------------------------------------------------------------------
    def set_curves(self, items: list[tuple[str, str, np.ndarray, np.ndarray]]) -> None:
        """(id, label, x seconds, y) per curve; replaces all curves of the row. The
        arrays must be finite (callers drop NaN), so pyqtgraph skips its finite check."""
        for c in self.curves.values():
            self.plot.removeItem(c)
        self.curves.clear()
        self.labels.clear()
        for i, (cid, label, x, y) in enumerate(items):
            c = pg.PlotDataItem(x, y, pen=pg.mkPen(curve_color(i, self.dark), width=CURVE_WIDTH),
                                name=label, skipFiniteCheck=True, connect=_connect(x))
            self.plot.addItem(c)
            # after addItem: clipping before the item has a ViewBox parent raises in pyqtgraph
            c.setDownsampling(auto=True, method="peak")
            c.setClipToView(True)
            self.curves[cid] = c
            self.labels[cid] = label
        self._make_overlays()
        self.set_title(self.title)

    # -- B overlaid on A ------------------------------------------------------------
    def set_overlay(self, on: bool) -> None:
        if on != self.overlay_on:
            self.overlay_on = on
            self._make_overlays()

    def _make_overlays(self) -> None:
        for o in self.overlays.values():
            self.plot.removeItem(o)
        self.overlays.clear()
        if not self.overlay_on:
            return
        for cid, c in self.curves.items():
            pen = pg.mkPen(c.opts["pen"].color(), width=CURVE_WIDTH, style=Qt.PenStyle.DashLine)
            o = pg.PlotDataItem(c.xData, c.yData, pen=pen, skipFiniteCheck=True,
                                connect=c.opts["connect"])
            self.plot.addItem(o)
            o.setDownsampling(auto=True, method="peak")
            o.setClipToView(True)
            o.setVisible(c.isVisible())
            self.overlays[cid] = o
        self.set_overlay_shift(self.overlay_shift, {})

    def set_overlay_shift(self, dx: float, scales: dict[str, float]) -> None:
        """Move B's curves by ``dx`` seconds (onto A's dates) and scale each by its
        factor (rebased at B's start); without a factor a twin keeps its curve's."""
        self.overlay_shift = dx
        for cid, o in self.overlays.items():
            k = scales.get(cid)
            if k is None or not np.isfinite(k):
                k = self.curves[cid].transform().m22()
            if o.transform().m22() != k or o.transform().dx() != dx:
                o.setTransform(QTransform(1.0, 0.0, 0.0, k, dx, 0.0))
            o.setVisible(self.curves[cid].isVisible())

    def set_title(self, title: str) -> None:
        """The title doubles as the legend (coloured names), so no legend box hides data.
        Names are shortened in the middle to fit the plot's width (``_fit_title``); the
        full names are in the title's tooltip and the crosshair readout."""
        self.title = title
        self._title_html = ""
        self._fit_title()
        self.plot.titleLabel.setToolTip(
            "\n".join([title, *(f"\u25a0 {self.labels[cid]}" for cid in self.curves)]))
        if self.note is not None:
            self._style_note()

    def set_dark(self, dark: bool) -> None:
        """Curves in the palette that reads on a dark (or light) background; the
        legend's coloured names in the title follow."""
        if dark == self.dark:
            return
        self.dark = dark
        for i, c in enumerate(self.curves.values()):
            c.setPen(pg.mkPen(curve_color(i, dark), width=CURVE_WIDTH))
        self._title_html = ""
        self._fit_title()

    def title_width_available(self) -> float:
        """What the title may take: the plot's column right of the left axis."""
        return max(0.0, self.widget.width() - LEFT_AXIS_WIDTH - TITLE_SLACK)

    def _fit_title(self) -> None:
        """Set the title with the legend names cut to fit: a title wider than the plot
        sets the plot's minimum width, which then overflows its widget and hides the
        latest dates on the right. Names share the width left after the title; a short
        name keeps its length and leaves the rest to the long ones. The width is
        measured with font metrics, then checked on the text as laid out."""
        avail = self.title_width_available() if self.widget.width() > 0 else math.inf
        for _ in range(3):
            markup = self._title_markup(avail)
            if markup != self._title_html:
                self._title_html = markup
                self.plot.setTitle(markup, size=f"{TITLE_POINT_SIZE}pt", justify="left")
            over = self.plot.titleLabel.itemRect().width() - (avail + TITLE_SLACK)
            if over <= 0:
                return
            avail -= over + 2

    def _title_markup(self, avail: float) -> str:
        """The title and the coloured legend names; when the names would not fit, the
        title's explanation in brackets goes first ("Prices (100 = A's start)" ->
        "Prices"), and only then the names (the colours and the tooltip remain)."""
        colours = [c.opts["pen"].color().name() for c in self.curves.values()]
        names = [self.labels[cid] for cid in self.curves]
        font = QFont(QApplication.font())
        font.setPointSizeF(TITLE_POINT_SIZE)
        bold = QFont(font)
        bold.setBold(True)
        fm, fm_bold = QFontMetricsF(font), QFontMetricsF(bold)
        short = self.title.split(" (")[0]
        for title in dict.fromkeys((self.title, short)):
            shown = self._fit_names(names, title, avail, fm, fm_bold)
            if shown or not names:
                break
        if fm_bold.horizontalAdvance(title) > avail:
            title = fm_bold.elidedText(title, Qt.TextElideMode.ElideRight, avail)
        if shown:
            legend = " ".join(f"<span style='color:{c}'>\u25a0 {html.escape(n, quote=False)}</span>"
                              for c, n in zip(colours, shown, strict=True))
        else:
            legend = "".join(f"<span style='color:{c}'>\u25a0</span> " for c in colours)
        return (f"<span style='color:{self.title_colour}'>"
                f"<b>{html.escape(title, quote=False)}</b></span>"
                f"&nbsp;&nbsp;{legend}")

    @staticmethod
    def _fit_names(names: list[str], title: str, avail: float, fm: QFontMetricsF,
                   fm_bold: QFontMetricsF) -> list[str]:
        """The names cut to share what the title leaves ([] when they cannot)."""
        if not names or fm_bold.horizontalAdvance(title) > avail:
            return []
        budget = avail - fm_bold.horizontalAdvance(title) - fm.horizontalAdvance("\u00a0\u00a0")
        budget -= sum(fm.horizontalAdvance("\u25a0\u00a0 ") for _ in names)
        cap = fit_cap([fm.horizontalAdvance(n) for n in names], budget)
        if cap < MIN_NAME_WIDTH:
            return []
        return [n if fm.horizontalAdvance(n) <= cap
                else fm.elidedText(n, Qt.TextElideMode.ElideMiddle, cap) for n in names]

    def update_curve(self, cid: str, x: np.ndarray, y: np.ndarray) -> None:
        c = self.curves.get(cid)
        if c is not None:
            c.setData(x, y, connect=_connect(x))

    def set_scale(self, cid: str, factor: float) -> None:
        """Rebase by scaling y in item coordinates: no array is touched."""
        c = self.curves.get(cid)
        if c is None:
            return
        if not np.isfinite(factor):
            factor = 1.0
        if c.transform().m22() != factor:
            c.setTransform(QTransform.fromScale(1.0, factor))

    def refit(self) -> None:
        self.plot.getViewBox().updateAutoRange()

    # -- y-range during a drag ---------------------------------------------------------
    def hold_y(self, lo: float, hi: float) -> None:
        """Keep the data [lo, hi] in view and stop auto-ranging until ``release_y``.

        The held range is sticky: it changes only when the data leaves it or fills less
        than 2/3 of it, and then to round numbers with a margin. A changed range costs
        new axis ticks and moves every item; most drag steps now change neither."""
        vb = self.plot.getViewBox()
        if self._held is None:
            vb.disableAutoRange(axis=pg.ViewBox.YAxis)
            self._held = vb.viewRange()[1]
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return
        cur_lo, cur_hi = self._held
        if math.isfinite(cur_lo) and cur_lo <= lo and hi <= cur_hi and \
                (hi - lo) >= (cur_hi - cur_lo) * STICKY_FILL:
            return
        new = nice_range(lo, hi)
        self._held = new
        vb.setYRange(*new, padding=0)
        # pyqtgraph applies a new range while painting, which moves every item and
        # asks for a second paint; applied now, the one paint sees the final view
        vb.updateMatrix()

    def freeze_y(self) -> None:
        """Keep the current y-range while a drag runs (rows whose data does not move)."""
        if self._held is None:
            vb = self.plot.getViewBox()
            vb.disableAutoRange(axis=pg.ViewBox.YAxis)
            self._held = vb.viewRange()[1]

    def release_y(self) -> None:
        if self._held is not None:
            self._held = None
            self.plot.enableAutoRange(y=True)

    @property
    def y_held(self) -> bool:
        return self._held is not None

    def visible_x(self) -> tuple[float, float]:
        x0, x1 = self.plot.getViewBox().viewRange()[0]
        return float(x0), float(x1)

    # -- windows / band / marker ------------------------------------------------------
    def set_windows(self, a: tuple[float, float], b: tuple[float, float] | None) -> None:
        """Move the two shading items (never re-created); B untouched when it did not move."""
        self.shade_a.setRegion(a)
        if b is None:
            if self._b_region is not None:
                self.shade_b.hide()
                self._b_region = None
        elif b != self._b_region:
            self.shade_b.show()
            self.shade_b.setRegion(b)
            self._b_region = b

    def set_band(self, mean: float | None, std: float | None) -> None:
        """Lookback mean +-1 sigma (darker) and +-2 sigma (lighter), horizontal."""
        if not self.bands:
            for alpha in (22, 40):
                r = pg.LinearRegionItem(orientation="horizontal", movable=False,
                                        brush=pg.mkBrush(120, 120, 120, alpha),
                                        pen=pg.mkPen(None))
                r.setZValue(-30)
                self.plot.addItem(r, ignoreBounds=True)
                self.bands.append(r)
            self.mean_line = pg.InfiniteLine(
                angle=0, movable=False,
                pen=pg.mkPen((120, 120, 120), style=pg.QtCore.Qt.PenStyle.DashLine))
            self.plot.addItem(self.mean_line, ignoreBounds=True)
        ok = bool(mean is not None and std is not None and np.isfinite(mean)
                  and np.isfinite(std))
        for k, r in zip((2.0, 1.0), self.bands, strict=True):
            r.setVisible(ok)
            if ok:
                region = (mean - k * std, mean + k * std)
                if tuple(r.getRegion()) != region:
                    r.setRegion(region)
        self.mean_line.setVisible(ok)
        if ok and self.mean_line.value() != mean:
            self.mean_line.setPos(mean)

    def set_marker(self, x: float | None, y: float | None) -> None:
        """A dot at (x, y): one spot at the origin, moved with setPos (setData rebuilds the
        scatter item, ~0.4 ms a drag step)."""
        if self.marker is None:
            self.marker = pg.ScatterPlotItem([0.0], [0.0], size=8, brush=pg.mkBrush(COLOR_A),
                                             pen=pg.mkPen("k"))
            self.marker.setZValue(40)
            self.plot.addItem(self.marker, ignoreBounds=True)
        if x is None or y is None or not np.isfinite(y):
            self.marker.hide()
        else:
            self.marker.setPos(x, y)
            self.marker.show()

    def set_note(self, text: str) -> None:
        """A live figure drawn inside the plot's top-left corner. Changing the title on
        every drag step would re-lay out the plot; this text only repaints."""
        if self.note is None:
            self.note = pg.TextItem(anchor=(0, 0), color=self.title_colour)
            self.note.setParentItem(self.plot.getViewBox())
            self.note.setPos(4, 0)
            self.note.setZValue(60)
            self._style_note()
        if text != self.note.textItem.toPlainText():
            self.note.setText(text, color=self.title_colour)
        self.note.setVisible(bool(text))

    def _style_note(self) -> None:
        """Title colour on a veil of the background, readable over a curve."""
        light_text = QColor(self.title_colour).lightness() > 128
        veil = (30, 31, 34, 190) if light_text else (255, 255, 255, 190)
        self.note.fill = pg.mkBrush(*veil)
        self.note.setColor(self.title_colour)
        self.note.update()

    # -- crosshair --------------------------------------------------------------------
    def readout(self, x: float) -> list[tuple[str, str, float]]:
        """(label, colour, displayed value) per curve at the last point on or before x."""
        out = []
        for cid, c in self.curves.items():
            xs, ys = c.xData, c.yData
            if xs is None or len(xs) == 0:
                continue
            i = int(np.searchsorted(xs, x, side="right")) - 1
            if i < 0:
                continue
            v = float(ys[i]) * c.transform().m22()
            out.append((self.labels[cid], c.opts["pen"].color().name(), v))
        for cid, o in self.overlays.items():  # B's value on B's date under the crosshair
            xs, ys = o.xData, o.yData
            i = int(np.searchsorted(xs, x - self.overlay_shift, side="right")) - 1 \
                if xs is not None and len(xs) else -1
            if i >= 0:
                out.append((f"B {self.labels[cid]}", o.opts["pen"].color().name(),
                            float(ys[i]) * o.transform().m22()))
        return out


def fit_cap(widths: list[float], budget: float) -> float:
    """The largest cap such that sum(min(w, cap)) <= budget (inf when all fit): the long
    names are cut to the same length, the short ones stay whole."""
    if sum(widths) <= budget:
        return math.inf
    if budget <= 0 or not widths:
        return 0.0
    rest, left = sorted(widths), len(widths)
    for w in rest:
        share = budget / left
        if w > share:
            return share
        budget -= w
        left -= 1
    return math.inf


def nice_range(lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi] widened to multiples of a 1/2/5 step of about an eighth of the span,
    with a step of margin on each side (a drag that moves the data a little keeps the
    range: every new range costs new axis ticks and a relayout of the row)."""
    span = hi - lo
    if span <= 0:
        span = abs(hi) * 0.02 or 1.0
    raw = span / 8
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    return (math.floor(lo / step - 1.0) * step, math.ceil(hi / step + 1.0) * step)


def _connect(x: np.ndarray) -> np.ndarray | str:
    """pyqtgraph's ``connect``: a break at every hole of the data (core.holes), so no
    segment is drawn across months without observations."""
    j = joins(x, per_day=86400.0)  # chart x: seconds
    return "all" if j is None else j.astype(np.int32)

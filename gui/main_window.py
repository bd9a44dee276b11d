"""The workstation: charts in the centre, dockable panels around them, menus, status
bar, drag-and-drop, the layout remembered between runs."""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QWidget,
)

from gui import core_api
from gui.errors import show_error
from gui.figure_format import format_date
from gui.live_results import COMPARISON, LiveResults
from gui.loading import LoadController
from gui.menus import build_menus
from gui.panels.charts_panel import ChartsPanel
from gui.panels.data_panel import DataPanel
from gui.panels.navigator_panel import NavigatorPanel
from gui.panels.note_panel import NotePanel
from gui.panels.rates_panel import RatesPanel
from gui.panels.stats_panel import StatsPanel
from gui.session import Session
from gui.settings import app_settings
from gui.theme import THEMES, apply_theme
from gui.widgets.live_label import LiveLabel
from gui.workers.inbox_poller import InboxPoller

LAYOUT_VERSION = 3
FIRST_START_SHARE = 0.92  # of the screen's available width and height


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None, *, restore_layout: bool = True) -> None:
        super().__init__()
        self.session = session or Session(self)
        self.setWindowTitle("Gapwatch")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.charts = ChartsPanel(self.session, self)
        self.setCentralWidget(self.charts)
        self.data_panel = DataPanel(self.session, self)
        self.navigator = NavigatorPanel(self.session, self)
        self.stats = StatsPanel(self.session, self)
        self.note = NotePanel(self.session, self)
        self.rates = RatesPanel(self.session, self)
        self.docks: dict[str, QDockWidget] = {}
        self._add_dock("data", "Data", self.data_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self._add_dock("navigator", "Navigator", self.navigator,
                       Qt.DockWidgetArea.BottomDockWidgetArea)
        self._add_dock("stats", "Window stats", self.stats, Qt.DockWidgetArea.BottomDockWidgetArea)
        self._add_dock("note", "Desk note", self.note, Qt.DockWidgetArea.RightDockWidgetArea)
        self._add_dock("rates", "Rate-cut odds", self.rates, Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.docks["note"], self.docks["rates"], Qt.Orientation.Vertical)
        self.splitDockWidget(self.docks["navigator"], self.docks["stats"], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["data"]], [330], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["note"]], [340], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["navigator"], self.docks["stats"]], [150, 210],
                         Qt.Orientation.Vertical)

        self.window_label = LiveLabel(self, min_chars=30)
        self.window_label.setToolTip("Windows A and B with their observation counts "
                                     "(navigator series)")
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(320)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop loading (files already read stay open)")
        self.statusBar().addWidget(self.window_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.loader = LoadController(self.session, self, self.progress, self.cancel_button)
        self.data_panel.mappingRequested.connect(self.edit_mapping)
        self.data_panel.removeRequested.connect(self.close_file)

        self.inbox = InboxPoller(self)
        self.inbox.arrived.connect(self._on_inbox_files)
        self.inbox.problem.connect(lambda text: self.statusBar().showMessage(text, 15000))
        folder = str(app_settings().value("inbox/folder", "") or "")
        if folder:
            self.inbox.watch(folder)

        self.theme_name = "light"
        self.menu_actions = build_menus(self)
        self._build_charts_menu()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self.session.live.updated.connect(self._on_live)
        self.session.rebuildFailed.connect(
            lambda message: show_error(self, "Could not prepare the loaded data", message,
                                       "The files stay loaded; the views show the last "
                                       "state that could be prepared."))
        self.session.catalogChanged.connect(self._update_title)
        self.session.figuresCoverage.connect(self._show_figures_coverage)
        if restore_layout:
            self.restore_layout()
        self.set_theme(str(app_settings().value("theme", "light")))

    def place_on_first_start(self) -> None:
        """No saved layout: most of the screen (a 1600x1000 screen gets the window at
        about 1470x920, not Qt's ~1075x665 default), centred."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1600, 1000)
            return
        avail = screen.availableGeometry()
        w = int(avail.width() * FIRST_START_SHARE)
        h = int(avail.height() * FIRST_START_SHARE)
        self.resize(w, h)
        self.move(avail.x() + (avail.width() - w) // 2, avail.y() + (avail.height() - h) // 2)

    def fit_docks(self) -> None:
        """Default dock sizes as fractions of the window (used when there is no saved
        layout): the charts keep about half of the height, the stats table shows a
        series' A, B and A - B rows even at 720 px, the side panels a fifth each."""
        w, h = self.width(), self.height()
        self.resizeDocks([self.docks["data"], self.docks["note"]],
                         [max(230, int(w * 0.2)), max(250, int(w * 0.21))],
                         Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["navigator"], self.docks["stats"]],
                         [max(120, int(h * 0.16)), max(170, int(h * 0.22))],
                         Qt.Orientation.Vertical)

    # -- View > Charts ----------------------------------------------------------------------
    def _build_charts_menu(self) -> None:
        """One checkbox per chart row, remembered between runs; a row with nothing checked
        in the Data panel is greyed out (it shows when its series are)."""
        view_menu = next((a.menu() for a in self.menuBar().actions()
                          if a.menu() is not None and a.text().replace("&", "") == "View"),
                         None)
        if view_menu is None:
            return
        self.charts_menu = QMenu("&Charts", self)
        self.chart_actions: dict[str, QAction] = {}
        hidden = self.saved_hidden_rows()
        for key, row in self.charts.rows.items():
            act = QAction(row.menu_name, self)
            act.setCheckable(True)
            act.setChecked(key not in hidden)
            act.setStatusTip(f"Show the {row.menu_name.lower()} chart")
            act.toggled.connect(lambda on, k=key: self.set_chart_shown(k, on))
            self.charts_menu.addAction(act)
            self.chart_actions[key] = act
        first = view_menu.actions()[0] if view_menu.actions() else None
        view_menu.insertMenu(first, self.charts_menu)
        self.overlay_action = QAction("&Overlay B on A", self)
        self.overlay_action.setCheckable(True)
        self.overlay_action.setShortcut("Ctrl+B")
        self.overlay_action.setStatusTip("Draw window B's curves over A's dates, dashed, "
                                         "rebased at B's start")
        self.overlay_action.toggled.connect(self.set_overlay_b)
        view_menu.insertAction(first, self.overlay_action)
        self.menu_actions["overlay_b"] = self.overlay_action
        self.charts_menu.aboutToShow.connect(self._grey_empty_charts)
        for key in hidden:
            self.charts.set_row_hidden(key, True)

    def _grey_empty_charts(self) -> None:
        with_data = set(self.charts.rows_with_data())
        for key, act in self.chart_actions.items():
            act.setEnabled(key in with_data or key in self.charts.hidden_rows)
            act.setToolTip("" if key in with_data else
                           "Nothing of this kind is ticked in the Data panel")

    def set_overlay_b(self, on: bool) -> None:
        self.charts.set_overlay_b(on)
        if self.overlay_action.isChecked() != on:
            self.overlay_action.setChecked(on)

    def set_chart_shown(self, key: str, shown: bool) -> None:
        self.charts.set_row_hidden(key, not shown)
        act = getattr(self, "chart_actions", {}).get(key)
        if act is not None and act.isChecked() != shown:
            act.blockSignals(True)
            act.setChecked(shown)
            act.blockSignals(False)
        s = app_settings()
        s.setValue("charts/hidden", sorted(self.charts.hidden_rows))
        s.sync()

    @staticmethod
    def saved_hidden_rows() -> set[str]:
        value = app_settings().value("charts/hidden", [])
        if isinstance(value, str):
            value = [value] if value else []
        return {str(v) for v in (value or [])}

    def _add_dock(self, key: str, title: str, widget: QWidget, area) -> None:
        # an opaque panel: a widget inside it that changes (a date, a label) repaints on
        # the panel's plain fill, not on the dock's styled frame behind it
        widget.setAutoFillBackground(True)
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{key}")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable |
                         QDockWidget.DockWidgetFeature.DockWidgetClosable |
                         QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        dock.setToolTip(f"{title} panel: drag the title bar to move it, close it from "
                        "View > Panels")
        self.addDockWidget(area, dock)
        self.docks[key] = dock

    # -- files ------------------------------------------------------------------------------
    def open_files(self, paths: list[str], *, sync: bool = False) -> None:
        paths = [p for p in paths if p]
        if not paths:
            return
        if sync:
            self.loader.load_sync(paths)
        else:
            self.loader.open(paths)

    def open_store(self, path: str | None = None) -> None:
        """Everything the vintage store holds, each export's latest values, as the
        files it came from (no file is read); the rebuild runs on a worker."""
        try:
            results = core_api.results_from_store(path)
        except Exception as exc:  # noqa: BLE001 - a store that cannot be read: one dialog
            show_error(self, "Could not open the vintage store", str(exc))
            return
        self.session.begin_batch(background=True)
        try:
            for r in results:
                self.session.add_result(r)
        finally:
            self.session.end_batch()

    def _show_figures_coverage(self, built: int, total: int) -> None:
        """A large catalog's window figures come a shard at a time after the first paint."""
        if self.session.filling:
            text = f"Window figures for {built:,} of {total:,} series; the rest follow"
            self.statusBar().showMessage(text, 0)
        elif built < total:
            self.statusBar().showMessage(
                f"Window figures for {built:,} of {total:,} series (memory budget "
                f"GAPWATCH_ENGINE_OBSERVATIONS): check a series to add its figures", 30000)
        elif total > 0 and self.session.engine is not None and \
                self.statusBar().currentMessage().startswith("Window figures for"):
            self.statusBar().showMessage(f"Window figures for all {total:,} series", 8000)

    def watch_inbox(self, folder: str | None) -> None:
        """Load every export saved into ``folder`` from now on (remembered)."""
        s = app_settings()
        s.setValue("inbox/folder", folder or "")
        s.sync()
        self.inbox.watch(folder)
        if folder:
            self.statusBar().showMessage(f"Watching {folder} for new exports", 8000)

    def _on_inbox_files(self, paths: list[str]) -> None:
        names = ", ".join(Path(p).name for p in paths[:3]) + (" \u2026" if len(paths) > 3 else "")
        self.statusBar().showMessage(f"New in the inbox: {names}; loading", 15000)
        self.loader.open(paths, then=lambda: self._inbox_notice(paths))

    def _inbox_notice(self, paths: list[str]) -> None:
        """What the new exports added, in the status bar (non-modal)."""
        lines = []
        for p in paths:
            resolved = str(Path(p).resolve())
            changes = self.session.continued.get(resolved) or self.session.continued.get(p)
            lines.append(core_api.continuation_notice(resolved, changes) if changes
                         else f"{Path(p).name}: loaded")
        self.last_inbox_notice = "; ".join(lines)
        self.statusBar().showMessage(self.last_inbox_notice, 30000)

    def close_file(self, file: str) -> None:
        self.loader.unwatch(file)
        self.session.remove_file(file, background=True)

    def edit_mapping(self, file: str, sheet: str) -> None:
        from gui.dialogs.mapping_dialog import MappingDialog

        current = self.loader.mappings.get(file)
        dlg = MappingDialog(file, sheet, current.for_sheet(sheet) if current else None, self)
        if not dlg.exec() or dlg.result_mapping is None:
            return
        from core.ingest.mapping import FileMapping

        mapping = current or FileMapping()
        mapping.sheets[sheet] = dlg.result_mapping
        self.loader.mappings[file] = mapping
        exists = Path(file).exists()
        try:
            core_api.save_template(file, mapping)
        except Exception as exc:  # noqa: BLE001 - the dialog names the file and the error
            detail = ("This file uses the mapping until Gapwatch closes; "
                      "other files of the same layout will not get it." if exists else
                      "The file is no longer there.")
            show_error(self, "Could not remember the mapping",
                       f"{file}\n\n{type(exc).__name__}: {exc}", detail)
        if exists:
            self.loader.open([file], reload=True)

    # -- layout -----------------------------------------------------------------------------
    def save_layout(self) -> None:
        s = app_settings()
        s.setValue("layout/state", self.saveState(LAYOUT_VERSION))
        s.setValue("layout/geometry", self.saveGeometry())
        s.setValue("theme", self.theme_name)
        s.sync()

    def restore_layout(self) -> bool:
        s = app_settings()
        geometry, state = s.value("layout/geometry"), s.value("layout/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            return self.restoreState(state, LAYOUT_VERSION)
        return False

    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state, LAYOUT_VERSION)

    def layout_b64(self) -> str:
        return bytes(self.saveState(LAYOUT_VERSION).toBase64()).decode("ascii")

    def restore_geometry_b64(self, text: str) -> None:
        """The window's size and place as a workspace saved them (Qt keeps it on screen)."""
        if text:
            self.restoreGeometry(QByteArray.fromBase64(text.encode("ascii")))

    def restore_layout_b64(self, text: str) -> None:
        if text:
            self.restoreState(QByteArray.fromBase64(text.encode("ascii")), LAYOUT_VERSION)

    # -- theme ------------------------------------------------------------------------------
    def set_theme(self, name: str) -> None:
        theme = THEMES.get(name, THEMES["light"])
        self.theme_name = theme.name
        app = QApplication.instance()
        if app is not None:
            apply_theme(app, theme)
        for view in self.findChildren(pg.GraphicsView):
            view.setBackground(theme.background)
        plots = [r.plot for r in self.charts.rows.values()]
        plots += [self.navigator.plot.getPlotItem(), self.rates.plot.getPlotItem()]
        for plot in plots:
            for name_ in ("left", "bottom"):
                ax = plot.getAxis(name_)
                ax.setPen(theme.foreground)
                ax.setTextPen(theme.foreground)
        dark = QColor(theme.background).lightness() < 128
        for row in self.charts.rows.values():
            row.title_colour = theme.foreground
            row.set_dark(dark)
            row.set_title(row.title)
            row.set_shade_alpha(theme.shade_alpha)
        self.navigator.set_history_colour(theme.history_pen)
        self.data_panel.set_level_colours(theme.message_colours)
        self.data_panel.changed_colour = theme.changed_bg
        self.data_panel._on_changes()
        self.stats.set_highlight_colour(theme.changed_bg)
        if "theme_light" in getattr(self, "menu_actions", {}):
            self.menu_actions["theme_light"].setChecked(theme.name == "light")
            self.menu_actions["theme_dark"].setChecked(theme.name == "dark")

    # -- status -----------------------------------------------------------------------------
    def _on_live(self, r: LiveResults) -> None:
        if r.has(COMPARISON):
            self._update_status()

    def _update_status(self) -> None:
        s = self.session
        if s.window_a is None:
            self.window_label.setText("Open a desk export (File > Open, or drop files here)")
            return
        nav = self.navigator.series
        parts = []
        for which, w, table in (("A", s.window_a, getattr(s.comparison, "a", None)),
                                ("B", s.window_b, getattr(s.comparison, "b", None))):
            if w is None:
                continue
            start, end = core_api.bounds(w)
            text = f"{which}: {format_date(start)} \u2192 {format_date(end)}"
            if nav is not None and table is not None and nav.id in table.series_ids:
                n = table.value(nav.id, "count")
                text += f" ({0 if n is None else int(n)} obs of {nav.name})"
            parts.append(text)
        lock = "  [B locked to A \u2212 1y]" if s.lock_b else ""
        self.window_label.setText("    ".join(parts) + lock)

    def _update_title(self) -> None:
        files = self.session.files
        names = ", ".join(Path(f).name for f in files[:3]) + (" \u2026" if len(files) > 3 else "")
        self.setWindowTitle(f"Gapwatch \u2014 {names}" if files else "Gapwatch")

    # -- events -----------------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        workspaces = [p for p in paths if p.endswith(".gapwatch.json")]
        if workspaces:
            self.actions_handler.open_workspace(workspaces[0])
        self.open_files([p for p in paths if p not in workspaces])
        event.acceptProposedAction()

    def closeEvent(self, event) -> None:
        if self.loader.job is not None:
            self.loader.cancel()
            self.loader.wait(5000)
        self.session.wait_rebuild(10.0)  # no worker may report to a closed window
        self.save_layout()
        super().closeEvent(event)

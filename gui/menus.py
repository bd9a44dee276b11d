"""Menus, shortcuts and the handlers behind them (file dialogs, workspace, export, about)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from core import __version__
from gui import core_api, exporting, workspace
from gui.dialogs.settings_dialog import SettingsDialog
from gui.dialogs.update_public_data import open_update_public_data
from gui.errors import show_error
from gui.settings import app_settings, recent_files

if TYPE_CHECKING:
    from gui.main_window import MainWindow

FILE_FILTER = ("Desk exports (*.xlsx *.xlsm *.xlsb *.xls *.ods *.csv *.txt);;"
               "All files (*)")
WORKSPACE_FILTER = "Gapwatch workspace (*.gapwatch.json);;JSON (*.json)"
LOOKBACKS = (1.0, 2.0, 3.0, 5.0, 10.0)


class WindowActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.exporter = exporting.Exporter(window.session, window.charts, window.statusBar(),
                                           window)

    def open_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self.w, "Open desk exports", "", FILE_FILTER)
        self.w.open_files(paths)

    def open_settings(self) -> None:
        """Settings (inbox folder, data folder); OK applies, Cancel changes nothing."""
        current = str(app_settings().value("inbox/folder", "") or "") or None
        dialog = SettingsDialog(current, core_api.data_folder(), self.w)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.inbox_folder()
        if chosen != current:  # watching again would take files still being written as known
            self.w.watch_inbox(chosen)

    def fill_recent(self) -> None:
        menu = self.w.recent_menu
        menu.clear()
        files = recent_files()
        for p in files:
            menu.addAction(Path(p).name, lambda p=p: self.w.open_files([p])).setToolTip(p)
        menu.setEnabled(bool(files))

    def save_workspace(self, path: str | None = None) -> str | None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.w, "Save workspace", "desk.gapwatch.json",
                                                  WORKSPACE_FILTER)
        if not path:
            return None
        ws = workspace.capture(self.w.session, self.w.layout_b64(),
                               bytes(self.w.saveGeometry().toBase64()).decode("ascii"),
                               self.w.navigator.series_combo.currentData())
        try:
            workspace.save(path, ws)
        except OSError as exc:
            show_error(self.w, "Could not save workspace", f"{path}\n\n{exc}")
            return None
        return path

    def open_workspace(self, path: str | None = None, *, sync: bool = False) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.w, "Open workspace", "", WORKSPACE_FILTER)
        if not path:
            return
        try:
            ws = workspace.load(path)
        except (OSError, ValueError) as exc:
            show_error(self.w, "Could not open workspace", f"{path}\n\n{exc}")
            return
        missing = [f for f in ws.files if not Path(f).exists()]
        if missing:
            show_error(self.w, "Workspace files missing", "These files are gone:\n" +
                       "\n".join(missing), "The rest of the workspace opens.")

        def finish() -> None:
            if ws.public:  # by reference: whatever the store holds now
                self.w.session.add_results(core_api.public_results())
            workspace.apply_state(self.w.session, ws)
            self.w.restore_geometry_b64(ws.geometry)
            self.w.restore_layout_b64(ws.layout)
            i = self.w.navigator.series_combo.findData(ws.navigator_series)
            if i >= 0:
                self.w.navigator.series_combo.setCurrentIndex(i)

        files = [f for f in ws.files if f not in missing]
        if sync:
            self.w.open_files(files, sync=True)
            finish()
        else:
            self.w.loader.open(files, then=finish)

    def export(self, kind: str, path: str | None = None) -> str | None:
        """File > Export (gui.exporting): workbook in the background, charts, note."""
        return self.exporter.export(kind, path)

    def about(self) -> None:
        files = self.w.session.files
        lines = [f"<b>Gapwatch {__version__}</b>",
                 "Live date-window analytics over desk exports.", "", "<b>Data:</b>"]
        for f in files:
            tag = " \u2014 <i>synthetic sample</i>, not market data" if core_api.is_sample(f) \
                else ""
            lines.append(f"{f}{tag}")
        if not files:
            lines.append("no file open")
        if self.w.session.catalog.series_of_file(core_api.DERIVED_RATES_FILE):
            lines.append("Rate-cut odds derived from the fed funds futures (CME FedWatch method).")
        QMessageBox.about(self.w, "About Gapwatch", "<br>".join(lines))

    def shortcuts(self) -> None:
        QMessageBox.information(self.w, "Keyboard shortcuts", "\n".join([
            "Ctrl+O  open files", "Ctrl+S  save workspace", "Ctrl+Z / Ctrl+Shift+Z  undo / redo",
            "Ctrl+C  copy the stats table", "\u2190 \u2192  nudge focused window one observation",
            "Shift+\u2190 \u2192  nudge by a month", "Ctrl+L  lock B to A a year earlier",
            "Ctrl+1..7  presets YTD, 1M, 3M, 6M, 1Y, 3Y, All", "Ctrl+Shift+R  reset layout"]))


def build_menus(w: MainWindow) -> dict[str, QAction]:
    h = WindowActions(w)
    w.actions_handler = h
    acts: dict[str, QAction] = {}

    def act(key: str, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        a = QAction(text, w)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        a.setToolTip(tip or text)
        a.setStatusTip(tip or text)
        a.triggered.connect(slot)
        menu.addAction(a)
        acts[key] = a
        return a

    mb = w.menuBar()
    f = mb.addMenu("&File")
    act("open", f, "&Open\u2026", h.open_dialog, QKeySequence.StandardKey.Open,
        "Open desk exports (xlsx, xlsb, xls, ods, csv, CFTC txt)")
    w.recent_menu = f.addMenu("Open &recent")
    w.recent_menu.aboutToShow.connect(h.fill_recent)
    h.fill_recent()
    act("inbox", f, "Watch &inbox folder\u2026", h.open_settings, None,
        "Load each new export saved into a folder as it arrives (weekly desk files)")
    f.addSeparator()
    act("open_ws", f, "Open &workspace\u2026", lambda: h.open_workspace(), None,
        "Open a saved workspace: files, checked series, windows, layout")
    act("save_ws", f, "&Save workspace\u2026", lambda: h.save_workspace(),
        QKeySequence.StandardKey.Save, "Save files, checked series, windows and layout as JSON")
    act("update_public", f, "&Update public data\u2026", lambda: open_update_public_data(w),
        None, "Fetch CFTC TFF, FRED target range and FINRA short interest (as main.py fetch)")
    act("open_store", f, "Open the vintage s&tore", lambda: w.open_store(), None,
        "Every stored export's latest values, without reading a file (as main.py "
        "--from-store): the history of every loaded week")
    ex = f.addMenu("&Export")
    act("export_xlsx", ex, "Stats &workbook (.xlsx)\u2026", lambda: h.export("xlsx"),
        "Ctrl+E", "Every figure of windows A and B, the note and chart data")
    act("export_png", ex, "Charts as &PNG\u2026", lambda: h.export("png"))
    act("export_svg", ex, "Charts as &SVG\u2026", lambda: h.export("svg"))
    act("export_txt", ex, "Desk &note (.txt)\u2026", lambda: h.export("txt"), None,
        "The desk note as plain text, with windows A and B")
    f.addSeparator()
    act("quit", f, "&Quit", w.close, QKeySequence.StandardKey.Quit)

    e = mb.addMenu("&Edit")
    undo = w.session.undo_stack.createUndoAction(w, "&Undo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo = w.session.undo_stack.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    e.addAction(undo)
    e.addAction(redo)
    acts["undo"], acts["redo"] = undo, redo
    act("copy_table", e, "Copy stats table", w.stats.copy, None,
        "Copy the stats table (selection or all) as TSV and HTML")
    act("copy_note", e, "Copy desk note", w.note.copy, None, "Copy the desk note as text")
    e.addSeparator()
    settings = act("settings", e, "&Settings\u2026", h.open_settings, None,
                   "Inbox folder to watch for new exports; where Gapwatch keeps its data")
    # Preferences has no key on Windows or GNOME: Ctrl+, there, as on macOS (Cmd+,)
    settings.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
                          or [QKeySequence("Ctrl+,")])
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)

    v = mb.addMenu("&View")
    panels = v.addMenu("&Panels")
    for dock in w.docks.values():
        panels.addAction(dock.toggleViewAction())
    act("reset_layout", v, "&Reset layout", w.reset_layout, "Ctrl+Shift+R",
        "Put every panel back where it started")
    v.addSeparator()
    group = QActionGroup(w)
    for name in ("light", "dark"):
        a = act(f"theme_{name}", v, f"{name.capitalize()} theme",
                lambda _=False, n=name: w.set_theme(n))
        a.setCheckable(True)
        group.addAction(a)

    an = mb.addMenu("&Analysis")
    lock = act("lock_b", an, "&Lock B to A a year earlier", w.session.set_lock, "Ctrl+L",
               "Window B follows A: same span one year earlier")
    lock.setCheckable(True)
    lock.setChecked(w.session.lock_b)
    w.session.lockChanged.connect(lock.setChecked)
    presets = an.addMenu("&Presets (focused window)")
    for i, name in enumerate(w.navigator.preset_buttons):
        act(f"preset_{name}", presets, name, lambda _=False, n=name: w.navigator.apply_preset(n),
            f"Ctrl+{i + 1}" if i < 9 else None)
    lb = an.addMenu("Look&back for percentile / z-score")
    lb_group = QActionGroup(w)
    for years in LOOKBACKS:
        a = act(f"lookback_{years:g}", lb, f"{years:g} years",
                lambda _=False, y=years: w.session.set_lookback(y))
        a.setCheckable(True)
        a.setChecked(years == w.session.lookback_years)
        lb_group.addAction(a)
    al = an.addMenu("&Alignment of lagged series")
    al_group = QActionGroup(w)
    for key, label in (("asof", "As-of dates"), ("publication", "Publication dates")):
        a = act(f"align_{key}", al, label, lambda _=False, k=key: w.session.set_alignment(k),
                None, "Align short interest / COT on the date the data was as of, or published")
        a.setCheckable(True)
        a.setChecked(key == w.session.alignment)
        al_group.addAction(a)

    hm = mb.addMenu("&Help")
    act("shortcuts", hm, "&Keyboard shortcuts", h.shortcuts, "F1")
    act("about", hm, "&About Gapwatch", h.about)
    return acts

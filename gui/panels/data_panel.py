"""Data: files -> sheets -> series (checkboxes choose what the charts show), with unit,
frequency and range -- CFTC series grouped by market instead, the desk's markets first;
a filter box; the load messages with file/sheet/cell; what a reload changed,
highlighted until acknowledged; a mapping dialog to fix a misread sheet."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.markets import asset_of
from core.analytics.positioning_measures import notional_missing, trader_class_ids
from core.pipeline import is_derived_file
from gui import core_api
from gui.figure_format import format_date
from gui.session import Session

SID_ROLE = Qt.ItemDataRole.UserRole + 1
SHEET_ROLE = Qt.ItemDataRole.UserRole + 2
OPEN_ROLE = Qt.ItemDataRole.UserRole + 3
MARKET_ROLE = Qt.ItemDataRole.UserRole + 4  # a CFTC market node: its contract code  # a group's expansion before a filter opened it
LEVEL_COLOURS = {"error": "#c0392b", "warning": "#b9770e", "info": "#2874a6"}
# the messages list: what happened comes right after where, so it shows in a narrow dock;
# the file name (the same on most rows, and in the tree above) last
MESSAGE_COLUMNS = ("Level", "Where", "Message", "File")
MESSAGE_COLUMN = MESSAGE_COLUMNS.index("Message")


def _cftc_code(ser) -> str | None:
    meta = ser.meta if isinstance(ser.meta, dict) else {}
    code = meta.get("cftc_code")
    return str(code) if code and ser.id.startswith("cftc") else None


def _market_and_measure(ser) -> tuple[str, str]:
    """("E-mini Russell 2000 (239742)", "Lev. money net % OI") from the CFTC series name
    "<class measure>, <market> (<code>)"."""
    measure, sep, market = ser.name.partition(", ")
    if not sep:
        return ser.meta.get("market", ser.id), ser.name
    return market, measure


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 or word.endswith("s") else f"{n} {word}s"


class DataPanel(QWidget):
    mappingRequested = Signal(str, str)   # file, sheet
    removeRequested = Signal(str)         # file

    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.changed_colour = "#fff3b0"
        self.level_colours = dict(LEVEL_COLOURS)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Series", "Unit", "Frequency", "Obs", "From", "To"])
        self.tree.setToolTip("Tick the series the charts show; right-click a sheet to fix "
                             "how it was read")
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemChanged.connect(self._on_item_changed)
        # names differ at their ends ("... net (contracts)" / "... net (% of OI)"): cut
        # them in the middle, the full name is in the tooltip
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setIndentation(14)
        self.tree.setColumnWidth(0, 250)
        self.tree.setUniformRowHeights(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter series: name, ticker, market, unit\u2026")
        self.filter.setToolTip("Show only the series whose name, id or unit contains this "
                               "text (case does not matter); Esc or the x clears it")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self._filtering = False
        self.messages = QTreeWidget(self)
        self.messages.setHeaderLabels(list(MESSAGE_COLUMNS))
        self.messages.setRootIsDecorated(False)
        self.messages.setUniformRowHeights(True)
        self.messages.setToolTip("What the loader noticed, with the file, sheet and cell; "
                                 "double-click to fix the sheet's mapping")
        self.messages.itemDoubleClicked.connect(self._on_message_double_clicked)
        self.changes_label = QLabel(self)
        self.changes_label.setWordWrap(True)
        self.ack_button = QPushButton("Acknowledge", self)
        self.ack_button.setToolTip("Clear the highlight of what the last reload changed")
        self.ack_button.clicked.connect(lambda: self.session.acknowledge_changes())
        self.changes_box = QWidget(self)
        cl = QHBoxLayout(self.changes_box)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.changes_label, 1)
        cl.addWidget(self.ack_button)
        self.changes_box.hide()
        split = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(2)
        tl.addWidget(self.filter)
        tl.addWidget(self.tree, 1)
        split.addWidget(top)
        split.addWidget(self.messages)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.changes_box)
        lay.addWidget(split, 1)
        session.catalogChanged.connect(self.rebuild)
        session.checkedChanged.connect(self._sync_checks)
        session.changesChanged.connect(self._on_changes)
        self.rebuild()

    # -- building ------------------------------------------------------------------------
    def rebuild(self) -> None:
        s = self.session
        checked = set(s.checked)
        changed = s.changed_series_ids()
        notional_hints = notional_missing(s.catalog)  # market code -> what would enable it
        self.tree.blockSignals(True)
        self.tree.clear()
        for file in s.catalog.files:
            series = s.catalog.series_of_file(file)
            label = file if is_derived_file(file) else Path(file).name
            if core_api.is_sample(file):
                label += "  (synthetic sample)"
            f_item = QTreeWidgetItem(self.tree, [f"{label}  ({plural(len(series), 'series')})"])
            # file and sheet rows span the columns: their names are not cut at 250 px
            f_item.setFirstColumnSpanned(True)
            f_item.setToolTip(0, f"{file}\n{plural(len(series), 'series')}")
            f_item.setData(0, Qt.ItemDataRole.UserRole, file)
            sheets: dict[str, QTreeWidgetItem] = {}
            markets: dict[str, QTreeWidgetItem] = {}
            # the desk's markets (tagged) before the ~300 others of a whole CFTC file
            for ser in sorted(series, key=lambda x: _cftc_code(x) is not None
                              and not asset_of(x)):
                code = _cftc_code(ser)
                if code is not None:  # a CFTC file: file -> market -> series
                    market, short = _market_and_measure(ser)
                    parent = markets.get(code)
                    if parent is None:
                        parent = QTreeWidgetItem(f_item, [market])
                        parent.setFirstColumnSpanned(True)
                        hint = notional_hints.get(code)
                        parent.setToolTip(0, f"{ser.meta.get('market', market)}\n"
                                             f"CFTC contract market code {code}\n"
                                             "Right-click: chart all trader classes"
                                             + (f"\nNo USD notional: {hint}" if hint else ""))
                        parent.setData(0, MARKET_ROLE, code)
                        markets[code] = parent
                    name = short
                else:
                    sheet = ser.source.sheet or "(file)"
                    parent = sheets.get(sheet)
                    if parent is None:
                        parent = QTreeWidgetItem(f_item, [sheet])
                        parent.setFirstColumnSpanned(True)
                        parent.setData(0, SHEET_ROLE, (file, sheet))
                        parent.setToolTip(0, f"Sheet {sheet}: right-click to fix how it was read")
                        sheets[sheet] = parent
                    name = ser.name
                item = QTreeWidgetItem(parent, [name, ser.unit, ser.frequency.value,
                                                str(len(ser)), format_date(ser.first_date),
                                                format_date(ser.last_date)])
                item.setData(0, SID_ROLE, ser.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if ser.id in checked
                                   else Qt.CheckState.Unchecked)
                src = ser.source
                item.setToolTip(0, f"{ser.name} ({ser.id})\n{ser.unit or 'no unit'}, "
                                   f"{ser.frequency.value}, {len(ser)} obs, "
                                   f"{format_date(ser.first_date)} \u2192 "
                                   f"{format_date(ser.last_date)}\n{src.file} [{src.sheet}] "
                                   f"column {src.column}\nkind: {ser.kind}")
                if ser.id in changed:
                    self._paint(item, self.changed_colour)
            f_item.setExpanded(True)
            for p in sheets.values():
                p.setExpanded(len(sheets) <= 6)
            for p in markets.values():  # open where something is charted
                p.setExpanded(any(p.child(i).data(0, SID_ROLE) in checked
                                  for i in range(p.childCount())))
        self.tree.blockSignals(False)
        self._filtering = False  # new items: nothing to restore
        if self.filter.text():
            self._apply_filter(self.filter.text())
        self._fill_messages()
        self._on_changes(rebuild=False)

    def _group_items(self):
        return (it for it in self._all_items() if it.childCount())

    def _apply_filter(self, text: str) -> None:
        """Hide the series that do not match, and the groups left empty; open the groups
        that hold a match. Cleared: everything back, groups as they were."""
        query = text.strip().lower()
        if query and not self._filtering:  # remember how the user had the groups
            for group in self._group_items():
                group.setData(0, OPEN_ROLE, group.isExpanded())
        restore = self._filtering and not query
        self._filtering = bool(query)

        def walk(item: QTreeWidgetItem) -> bool:  # True: the item stays visible
            sid = item.data(0, SID_ROLE)
            if sid:
                ser = self.session.catalog.get(sid)
                hay = f"{sid} {ser.name if ser else ''} {item.text(0)} {item.text(1)}".lower()
                show = not query or query in hay
            else:
                kids = [walk(item.child(i)) for i in range(item.childCount())]
                show = any(kids) or not query
                if query:
                    item.setExpanded(show)
                elif restore:
                    item.setExpanded(bool(item.data(0, OPEN_ROLE)))
            item.setHidden(not show)
            return show

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))

    def _fill_messages(self) -> None:
        self.messages.clear()
        # messages name the file as the user reads it (its name); the mapping dialog and
        # the reload need the path that was opened: the result the message came from
        owner = {id(m): file for file, r in self.session.results.items() for m in r.messages}
        by_name = {Path(f).name: f for f in reversed(self.session.catalog.files)}
        for m in self.session.catalog.messages:
            where = "!".join(p for p in (m.sheet, m.cell) if p) or "(file)"
            item = QTreeWidgetItem(self.messages, [m.level, where, m.text, Path(m.file).name])
            item.setForeground(0, QBrush(QColor(self.level_colours.get(m.level, "#888"))))
            for col in range(len(MESSAGE_COLUMNS)):
                item.setToolTip(col, str(m))
            path = owner.get(id(m)) or by_name.get(Path(m.file).name, m.file)
            item.setData(0, SHEET_ROLE, (path, m.sheet))
        self.messages.resizeColumnToContents(0)
        self.messages.resizeColumnToContents(1)
        self.messages.setColumnWidth(1, min(self.messages.columnWidth(1), 110))
        # one file open: its name on every row says nothing the tree does not
        self.messages.setColumnHidden(MESSAGE_COLUMNS.index("File"),
                                      len({m.file for m in self.session.catalog.messages}) <= 1)

    def set_level_colours(self, colours: dict[str, str]) -> None:
        self.level_colours = dict(colours)
        self._fill_messages()

    def _paint(self, item: QTreeWidgetItem, colour: str | None) -> None:
        brush = QBrush(QColor(colour)) if colour else QBrush()
        for col in range(self.tree.columnCount()):
            item.setBackground(col, brush)

    # -- reacting -------------------------------------------------------------------------
    def _all_items(self):
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            it = stack.pop()
            yield it
            stack.extend(it.child(i) for i in range(it.childCount()))

    def _series_items(self):
        return (it for it in self._all_items() if it.data(0, SID_ROLE))

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != 0 or not item.data(0, SID_ROLE):
            return
        order = [it.data(0, SID_ROLE) for it in self._series_items()
                 if it.checkState(0) == Qt.CheckState.Checked]
        keep = [sid for sid in self.session.checked if sid in order]
        self.session.set_checked(keep + [sid for sid in order if sid not in keep])

    def _sync_checks(self) -> None:
        checked = set(self.session.checked)
        self.tree.blockSignals(True)
        for it in self._series_items():
            want = Qt.CheckState.Checked if it.data(0, SID_ROLE) in checked \
                else Qt.CheckState.Unchecked
            if it.checkState(0) != want:
                it.setCheckState(0, want)
        self.tree.blockSignals(False)

    def _on_changes(self, rebuild: bool = True) -> None:
        changes = self.session.changes
        changed = self.session.changed_series_ids()
        if rebuild:
            for it in self._series_items():
                self._paint(it, self.changed_colour if it.data(0, SID_ROLE) in changed else None)
        if not changes:
            self.changes_box.hide()
            return
        lines = []
        for file, cs in changes.items():
            lines.append(f"<b>{Path(file).name} changed on disk</b>: " +
                         "; ".join(core_api.describe_change(c) for c in cs[:6]) +
                         (f" and {len(cs) - 6} more" if len(cs) > 6 else ""))
        self.changes_label.setText("<br>".join(lines))
        self.changes_box.setStyleSheet(f"background: {self.changed_colour}; color: black")
        self.changes_box.show()

    def _context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        for text, slot in self.context_actions(item):
            menu.addAction(text, slot)
        if not menu.isEmpty():
            menu.exec(self.tree.viewport().mapToGlobal(pos))

    def context_actions(self, item: QTreeWidgetItem) -> list[tuple[str, Callable[[], None]]]:
        """What the item's context menu offers."""
        out: list[tuple[str, Callable[[], None]]] = []
        sheet = item.data(0, SHEET_ROLE)
        file = item.data(0, Qt.ItemDataRole.UserRole)
        if sheet:
            out.append(("Fix sheet mapping\u2026",
                        lambda: self.mappingRequested.emit(sheet[0], sheet[1])))
        if file and not is_derived_file(file):  # derived series follow their files
            out.append(("Close file", lambda: self.removeRequested.emit(file)))
        sid = item.data(0, SID_ROLE)
        if sid:
            out.append(("Vintages of this series\u2026", lambda: self.show_vintages(sid)))
        code = item.data(0, MARKET_ROLE)
        if code:
            out.append(("Chart all trader classes (net % OI)",
                        lambda: self.chart_trader_classes(code)))
        return out

    def show_vintages(self, sid: str) -> str:
        """Every export of the series the vintage store holds and the values each one
        revised ("what did the 2025-07-22 export say?"), in a box with copyable text."""
        text = core_api.vintages_text(sid)
        box = QMessageBox(QMessageBox.Icon.Information, "Vintages", text,
                          QMessageBox.StandardButton.Close, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setModal(False)
        box.show()
        self._vintages_box = box
        return text

    def chart_trader_classes(self, code: str) -> None:
        """The positioning row shows the five TFF classes of one market (dealers, asset
        managers, leveraged funds, other reportables, non-reportables) instead of the
        positioning checked so far; other rows keep theirs."""
        s = self.session
        ids = [sid for sid in trader_class_ids(code) if s.series(sid) is not None]
        keep = [sid for sid in s.checked
                if (x := s.series(sid)) is None or x.kind != "positioning"]
        if ids:
            s.set_checked(keep + ids)

    def _on_message_double_clicked(self, item: QTreeWidgetItem, _col: int) -> None:
        file, sheet = item.data(0, SHEET_ROLE)
        if sheet:
            self.mappingRequested.emit(file, sheet)

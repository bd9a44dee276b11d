"""Window stats: series x figures for A, B and A - B, sortable, filterable, copyable."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.markets import table_label
from gui import core_api
from gui.clipboard import copy_table
from gui.models.stats_table_model import (
    FIXED_COLUMNS,
    RAW_ROLE,
    SID_ROLE,
    WHICH_ROLE,
    StatsTableModel,
)
from gui.live_results import COMPARISON, RELEASE, LiveResults
from gui.session import Session
from gui.widgets.stats_delegate import StatsDelegate
from gui.widgets.stats_view import StatsView

CHARTED_ONLY_ABOVE = 300  # series loaded; past it the table shows the charted ones only


class StatsProxy(QSortFilterProxyModel):
    """Sorts on the raw float (nulls last) and filters by window and series name."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.shown = {"A", "B", "A-B"}
        self.only: frozenset[str] | None = None  # series ids to keep (None: all)
        self.setSortRole(RAW_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)

    def set_shown(self, which: str, on: bool) -> None:
        self.beginFilterChange()
        (self.shown.add if on else self.shown.discard)(which)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_only(self, ids: frozenset[str] | None) -> None:
        if ids == self.only:
            return
        self.beginFilterChange()
        self.only = ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:
        idx = self.sourceModel().index(row, 0, parent)
        if idx.data(WHICH_ROLE) not in self.shown:
            return False
        if self.only is not None and idx.data(SID_ROLE) not in self.only:
            return False
        return super().filterAcceptsRow(row, parent)

    def lessThan(self, left, right) -> bool:
        a, b = left.data(RAW_ROLE), right.data(RAW_ROLE)
        if isinstance(a, float) and isinstance(b, float):
            na, nb = math.isnan(a), math.isnan(b)
            if na or nb:
                # nulls sort after numbers whichever the direction the user picked
                asc = self.sortOrder() == Qt.SortOrder.AscendingOrder
                return (not na and nb) if asc else (na and not nb)
            return a < b
        return str(a) < str(b)


class StatsPanel(QWidget):
    def __init__(self, session: Session, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self._names_key = None
        self._names: dict[str, str] = {}
        self.model = StatsTableModel(core_api.figure_specs(), self)
        self.proxy = StatsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = StatsView(self)
        self.view.setModel(self.proxy)
        self.delegate = StatsDelegate(self.proxy, self.model, self.view)
        self.view.setItemDelegate(self.delegate)
        self.view.delegate = self.delegate
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(20)
        self.view.horizontalHeader().setDefaultSectionSize(92)
        self.view.setWordWrap(False)
        self.view.setToolTip("Figures per series for window A, B and A \u2212 B. "
                             "Click a header to sort; Ctrl+C copies the selection.")

        bar = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter series\u2026")
        self.filter_edit.setToolTip("Show only series whose name contains this text")
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        bar.addWidget(self.filter_edit, 1)
        self.window_boxes: dict[str, QCheckBox] = {}
        for which, label in (("A", "A"), ("B", "B"), ("A-B", "A \u2212 B")):
            box = QCheckBox(label, self)
            box.setChecked(True)
            box.setToolTip(f"Show the rows of window {label}")
            box.toggled.connect(lambda on, w=which: self.proxy.set_shown(w, on))
            self.window_boxes[which] = box
            bar.addWidget(box)
        self.charted_only = QCheckBox("Charted only", self)
        self.charted_only.setToolTip(
            "Show only the series ticked in the Data panel (the ones the charts show). "
            f"Turned on by itself when more than {CHARTED_ONLY_ABOVE} series are loaded "
            "(a whole CFTC file), until you set it yourself.")
        self.charted_only.toggled.connect(self._apply_charted_only)
        self.charted_only.clicked.connect(self._charted_only_set_by_user)
        self._charted_only_by_user = False
        bar.addWidget(self.charted_only)
        copy_btn = QPushButton("Copy", self)
        copy_btn.setToolTip("Copy the selection (or the whole table) as TSV and HTML (Ctrl+C)")
        copy_btn.clicked.connect(self.copy)
        bar.addWidget(copy_btn)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(bar)
        lay.addWidget(self.view)

        sc = QShortcut(QKeySequence.StandardKey.Copy, self.view)
        sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        sc.activated.connect(self.copy)

        self.model.modelReset.connect(self._fit_columns)
        session.live.updated.connect(self._on_live)
        session.changesChanged.connect(self._on_changes)
        session.checkedChanged.connect(self._apply_charted_only)
        session.catalogChanged.connect(self._on_catalog)
        self._on_live(session.live.latest)

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange,
                            QEvent.Type.StyleChange):
            self.delegate.refresh_palette(self.palette(), self.font())
        super().changeEvent(event)

    def copy(self) -> str:
        return copy_table(self.view)

    def set_highlight_colour(self, colour: str) -> None:
        self._highlight_colour = colour
        self._on_changes()

    def _charted_only_set_by_user(self) -> None:
        self._charted_only_by_user = True

    def _on_catalog(self) -> None:
        if not self._charted_only_by_user:
            self.charted_only.setChecked(len(self.session.catalog) > CHARTED_ONLY_ABOVE)

    def _apply_charted_only(self) -> None:
        on = self.charted_only.isChecked()
        self.proxy.set_only(frozenset(self.session.checked) if on else None)

    def _resort(self) -> None:
        header = self.view.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.proxy.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _on_live(self, r: LiveResults) -> None:
        if r.has(COMPARISON):
            self._show(r)
        if r.has(RELEASE):
            self._on_drag_finished()

    def _show(self, r: LiveResults) -> None:
        # re-sorting every row on every drag step costs more than the figures themselves;
        # the order is refreshed when the drag ends
        dragging = r.dragging
        self.proxy.setDynamicSortFilter(not dragging)
        if self._names_key is not self.session.catalog:
            self._names_key = self.session.catalog
            self._names = {s.id: table_label(s) for s in self.session.catalog}
        self.model.set_comparison(r.comparison, self._names,
                                  self._rows_on_screen() if dragging else None)

    def _rows_on_screen(self) -> list[int] | None:
        """Model rows of the table rows now visible (None: no view or nothing shown)."""
        view, proxy = self.view, self.proxy
        if not view.isVisible() or proxy.rowCount() == 0:
            return None
        top = view.rowAt(0)
        bottom = view.rowAt(view.viewport().height() - 1)
        if top < 0:
            return []
        if bottom < 0:
            bottom = proxy.rowCount() - 1
        return [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(top, bottom + 1)]

    def _on_drag_finished(self) -> None:
        # rows off screen were not announced during the drag: every observer catches up
        self.model.announce_all()
        self._resort()

    def _fit_columns(self) -> None:
        """Every header readable in full, every figure column wide enough for its widest
        usual value ("-12,345.67", "2024-01-31", "+12.34 pp"); names get what is left of
        a comfortable width and elide, the full name in the tooltip."""
        header = self.view.horizontalHeader()
        fm = header.fontMetrics()
        cells = self.view.fontMetrics()
        widest_value = cells.horizontalAdvance("\u221212,345.67 pp") + 10
        for col in range(self.model.columnCount()):
            label = str(self.model.headerData(col, Qt.Orientation.Horizontal) or "")
            # room for the sort arrow the header draws beside its label
            need = fm.horizontalAdvance(label) + 26
            if col == 0:
                need = max(need, cells.horizontalAdvance("Russell 2000 short interest") + 12)
            elif col >= len(FIXED_COLUMNS):
                need = max(need, widest_value)
            self.view.setColumnWidth(col, need)

    def _on_changes(self) -> None:
        self.model.set_highlight(self.session.changed_series_ids(),
                                 getattr(self, "_highlight_colour", "#fff3b0"))

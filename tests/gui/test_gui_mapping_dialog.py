"""The sheet-mapping dialog, driven as a user drives it: a sheet the loader misreads is
fixed from the Data panel (right-click a sheet, or double-click its load message), the
file is read again with the new mapping, and the mapping is remembered for the file's
template -- a new main window, or another file of the same layout, is read right
without the dialog. The user's config is a temporary GAPWATCH_HOME (conftest.gw_home).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import settle
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMenu

from gui.dialogs.mapping_dialog import MappingDialog
from gui.panels.data_panel import MESSAGE_COLUMN, SHEET_ROLE

openpyxl = pytest.importorskip("openpyxl")

SHEET = "Curve"
TENORS = (2, 5, 10)
# the 10th of every month of 2023-2024, written day/month/year: no day above 12, so the
# values cannot tell the order and the loader assumes the US month/day/year
MONTHLY = np.array([f"{y}-{m:02d}-10" for y in (2023, 2024) for m in range(1, 13)],
                   dtype="datetime64[D]")


def dmy(day: np.datetime64) -> str:
    y, m, d = str(day).split("-")
    return f"{d}/{m}/{y}"


def tenor_values() -> dict[str, np.ndarray]:
    n = len(MONTHLY)
    return {str(t): np.round(3.5 + 0.1 * t + 0.01 * np.arange(n) * (1 + t / 10), 4)
            for t in TENORS}


def write_curve(path: Path, *, numeric_header: bool = True) -> dict[str, np.ndarray]:
    """A yield-curve export: a title line, then a header whose tenors are numbers (2, 5,
    10) or words, and day/month/year text dates. Returns name -> values as written."""
    values = tenor_values()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["Desk curve export (percent)"])
    ws.append(["Date", *(TENORS if numeric_header else (f"{t}y" for t in TENORS))])
    for i, day in enumerate(MONTHLY):
        ws.append([dmy(day), *(float(values[str(t)][i]) for t in TENORS)])
    wb.save(path)
    if not numeric_header:
        values = {f"{t}y": v for t, v in zip(TENORS, values.values(), strict=True)}
    return values


# -- driving modal Qt UI -----------------------------------------------------------------
class ModalDriver:
    """Runs ``act(widget)`` on the first modal dialog (or popup menu) of type ``kind``
    once it shows; a failure rejects/closes it so the test never hangs, and is re-raised
    by ``check``."""

    def __init__(self, kind: type, act: Callable, *, popup: bool = False) -> None:
        self.kind, self.act, self.popup = kind, act, popup
        self.done = False
        self.error: BaseException | None = None
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        w = QApplication.activePopupWidget() if self.popup else QApplication.activeModalWidget()
        if not isinstance(w, self.kind):
            return
        self.timer.stop()
        try:
            self.act(w)
        except BaseException as exc:  # noqa: BLE001 - re-raised in check()
            self.error = exc
            w.close()
        self.done = True

    def check(self) -> None:
        self.timer.stop()
        if self.error is not None:
            raise self.error
        assert self.done, f"no {self.kind.__name__} was shown"


def choose_menu_entry(text: str) -> Callable[[QMenu], None]:
    def act(menu: QMenu) -> None:
        action = next(a for a in menu.actions() if a.text().startswith(text))
        menu.setActiveAction(action)
        QTest.keyClick(menu, Qt.Key.Key_Return)
    return act


def click_header_section(header, section: int) -> None:
    pos = QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2,
                 header.height() // 2 if header.orientation() == Qt.Orientation.Horizontal
                 else 0)
    if header.orientation() == Qt.Orientation.Vertical:
        pos = QPoint(header.width() // 2,
                     header.sectionViewportPosition(section) + header.sectionSize(section) // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def fill_mapping(*, header_row: int = 0, date_column: str = "", order: str | None = None,
                 seen: dict | None = None, click_preview: bool = False
                 ) -> Callable[[MappingDialog], None]:
    """Type into the dialog like a user and press OK; ``click_preview``: set the header
    row and date column by clicking the preview's row number and column letter."""

    def act(dlg: MappingDialog) -> None:
        if seen is not None:
            preview = dlg.preview
            seen.update(title=dlg.windowTitle(), header=dlg.header_row.value(),
                        column=dlg.date_column.text(), order=dlg.date_order.currentData(),
                        preview=[[preview.item(r, c).text() for c in range(preview.columnCount())]
                                 for r in range(preview.rowCount())],
                        rows=[preview.verticalHeaderItem(r).text()
                              for r in range(preview.rowCount())],
                        columns=[preview.horizontalHeaderItem(c).text()
                                 for c in range(preview.columnCount())])
        if click_preview:
            column = ord(date_column.upper()) - ord("A")
            click_header_section(dlg.preview.verticalHeader(), header_row - 1)
            click_header_section(dlg.preview.horizontalHeader(), column)
            assert dlg.header_row.value() == header_row
            assert dlg.date_column.text() == date_column.upper()
        elif header_row:
            dlg.header_row.selectAll()
            QTest.keyClicks(dlg.header_row, str(header_row))
        if date_column:
            dlg.date_column.clear()
            QTest.keyClicks(dlg.date_column, date_column)
        if order is not None:
            dlg.date_order.setCurrentIndex(dlg.date_order.findData(order))
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    return act


# -- helpers ----------------------------------------------------------------------------
def load_and_wait(window, qtbot, paths: list[Path]) -> None:
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        window.open_files([str(p) for p in paths])
    settle(window)


def series_by_name(window, path: Path) -> dict:
    return {s.name: s for s in window.session.catalog.series_of_file(str(path.resolve()))}


def messages_of(window, path: Path) -> list:
    return [m for m in window.session.catalog.messages if m.file in (path.name, str(path))]


def sheet_item(window, path: Path, sheet: str):
    tree = window.data_panel.tree
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        it = stack.pop()
        if it.data(0, SHEET_ROLE) == (str(path.resolve()), sheet):
            return it
        stack.extend(it.child(i) for i in range(it.childCount()))
    raise AssertionError(f"no sheet item {sheet} for {path.name}")


def right_click(tree, item) -> None:
    tree.scrollToItem(item)
    pos = tree.visualItemRect(item).center()
    vp = tree.viewport()
    QApplication.sendEvent(vp, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos,
                                                 vp.mapToGlobal(pos)))


def double_click_message(window, qtbot, predicate) -> None:
    view = window.data_panel.messages
    items = [view.topLevelItem(i) for i in range(view.topLevelItemCount())]
    item = next(it for it in items if predicate(it))
    view.scrollToItem(item)
    pos: QPoint = view.visualItemRect(item).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # select, as a user does
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def assert_read_right(series: dict, values: dict[str, np.ndarray]) -> None:
    assert sorted(series) == sorted(values)
    for name, want in values.items():
        np.testing.assert_array_equal(series[name].dates, MONTHLY)
        np.testing.assert_allclose(series[name].values, want, rtol=0, atol=1e-12)


def template_files(gw_home: Path) -> list[Path]:
    return sorted(gw_home.rglob("templates/*.json"))


# -- tests ------------------------------------------------------------------------------
def test_fix_header_and_date_order_from_the_sheet_menu_is_remembered(
        window, qtbot, tmp_path, gw_home, dialogs, monkeypatch):
    path = tmp_path / "curve_jan.xlsx"
    values = write_curve(path)
    load_and_wait(window, qtbot, [path])

    # misread as written: numbers in the header are not names, and the dates come out
    # month/day (October 1st, 2nd, ...) with a warning on the date column
    misread = series_by_name(window, path)
    assert misread and not set(misread) & set(values)
    assert all(not np.array_equal(s.dates, MONTHLY) for s in misread.values())
    assert any(m.sheet == SHEET and m.level == "warning" and "day/month" in m.text
               for m in messages_of(window, path))

    menu = ModalDriver(QMenu, choose_menu_entry("Fix sheet mapping"), popup=True)
    seen: dict = {}
    dlg = ModalDriver(MappingDialog, fill_mapping(header_row=2, date_column="a", order="DMY",
                                                  seen=seen, click_preview=True))
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        right_click(window.data_panel.tree, sheet_item(window, path, SHEET))
    menu.check()
    dlg.check()
    settle(window)

    # the dialog was about this sheet and started from "automatic"
    assert SHEET in seen["title"] and seen["header"] == 0 and seen["column"] == ""
    assert seen["order"] is None
    # with the top of the sheet as Excel shows it: row numbers, column letters, cells
    assert seen["rows"][:3] == ["1", "2", "3"] and seen["columns"] == ["A", "B", "C", "D"]
    assert seen["preview"][0][0].startswith("Desk curve export")
    assert seen["preview"][1] == ["Date", "2", "5", "10"]
    assert seen["preview"][2][0] == dmy(MONTHLY[0])
    # the file is read again with the mapping: tenor names, the 10th of each month
    fixed = series_by_name(window, path)
    assert_read_right(fixed, values)
    assert not any("day/month order cannot be told" in m.text for m in messages_of(window, path))
    sheet = sheet_item(window, path, SHEET)  # the Data panel shows the names as read now
    assert sorted(sheet.child(i).text(0) for i in range(sheet.childCount())) == sorted(values)
    assert len(template_files(gw_home)) == 1
    assert dialogs == []

    # remembered for the template: a new main window reads the same file, and another
    # month's export (other name, same sheet and header) right, without the dialog
    def no_dialog(self):
        raise AssertionError("the mapping dialog opened again")
    monkeypatch.setattr(MappingDialog, "exec", no_dialog)
    from gui.main_window import MainWindow

    other = MainWindow(restore_layout=False)
    qtbot.addWidget(other)
    other.show()
    feb = tmp_path / "curve_feb.xlsx"
    shutil.copy(path, feb)
    load_and_wait(other, qtbot, [path, feb])
    assert other.loader.mappings == {}
    for p in (path, feb):
        assert_read_right(series_by_name(other, p), values)
        assert any("applied the saved sheet mapping" in m.text for m in messages_of(other, p))
    assert dialogs == []


def test_fix_date_order_from_a_load_message_then_reopen_shows_it(
        window, qtbot, tmp_path, gw_home, dialogs):
    path = tmp_path / "curve_words.xlsx"
    values = write_curve(path, numeric_header=False)
    load_and_wait(window, qtbot, [path])
    assert sorted(series_by_name(window, path)) == sorted(values)  # names were read right
    assert all(not np.array_equal(s.dates, MONTHLY)
               for s in series_by_name(window, path).values())

    # a column letter that is not one: the dialog says so and stays open; then fixed
    def bad_then_good(dlg: MappingDialog) -> None:
        QTest.keyClicks(dlg.date_column, "1A")
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
        assert dlg.isVisible() and "column letter" in dlg.error.text()
        fill_mapping(date_column="A", order="DMY")(dlg)

    dlg = ModalDriver(MappingDialog, bad_then_good)
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        double_click_message(window, qtbot, lambda it: "day/month" in it.toolTip(MESSAGE_COLUMN))
    dlg.check()
    settle(window)
    assert_read_right(series_by_name(window, path), values)
    saved = template_files(gw_home)
    assert len(saved) == 1
    stamp = saved[0].stat().st_mtime_ns

    # the dialog opened again shows the mapping in force; Cancel changes nothing
    seen: dict = {}

    def look_and_cancel(dlg: MappingDialog) -> None:
        seen.update(column=dlg.date_column.text(), order=dlg.date_order.currentData())
        dlg.reject()

    dlg = ModalDriver(MappingDialog, look_and_cancel)
    window.edit_mapping(str(path.resolve()), SHEET)
    dlg.check()
    assert seen == {"column": "A", "order": "DMY"}
    assert not window.loader.busy
    assert template_files(gw_home) == saved and saved[0].stat().st_mtime_ns == stamp
    assert_read_right(series_by_name(window, path), values)
    assert dialogs == []

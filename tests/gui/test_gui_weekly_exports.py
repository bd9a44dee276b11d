"""Next week's dated export continues this week's history in the GUI: picked up from the
watched inbox, one series per column, a notice of what it added; a workspace saved with
the dated file's ids still opens its checked series."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import settle

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "vintages"))
from weekly_exports import write_export  # noqa: E402


def test_an_export_saved_into_the_inbox_continues_the_history(window, tmp_path, qtbot,
                                                              dialogs):
    first = write_export(tmp_path, "2025-03-04", weeks=9)
    window.open_files([str(first)], sync=True)
    settle(window)
    ids = sorted(window.session.catalog.ids)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    window.watch_inbox(str(inbox))
    window.inbox._timer.setInterval(50)
    write_export(inbox, "2025-03-11", weeks=10, revise={3: 999.0})
    qtbot.waitUntil(lambda: len(window.session.files) == 2 and not window.session.rebuilding
                    and bool(getattr(window, "last_inbox_notice", "")), timeout=15000)
    settle(window)
    assert sorted(window.session.catalog.ids) == ids  # one series per column, not two
    s1 = window.session.series(next(i for i in ids if i.endswith(":S1")))
    assert len(s1) == 10 and s1.values[3] == 999.0  # the later export wins
    assert "1 new date" in window.last_inbox_notice
    assert "1 revised value" in window.last_inbox_notice
    assert dialogs == []
    window.watch_inbox(None)


def test_a_workspace_with_the_dated_file_ids_keeps_its_checked_series(tmp_path):
    from gui.workspace import Workspace

    text = ('{"format": "gapwatch-workspace", "files": [], "checked": '
            '["desk_positioning_2025-03-04:csv:S1"], "navigator_series": '
            '"desk_positioning_2025-03-04:csv:S2"}')
    ws = Workspace.from_json(text)
    assert ws.checked == ["desk_positioning:csv:S1"]
    assert ws.navigator_series == "desk_positioning:csv:S2"


def test_each_load_is_kept_in_the_vintage_store_and_the_data_panel_shows_it(window, tmp_path):
    first = write_export(tmp_path, "2025-03-04", weeks=9)
    second = write_export(tmp_path, "2025-03-11", weeks=10, revise={3: 999.0})
    window.open_files([str(first)], sync=True)
    window.open_files([str(second)], sync=True)
    settle(window)
    sid = next(i for i in window.session.catalog.ids if i.endswith(":S1"))
    panel = window.data_panel
    items = [it for it in _walk(panel.tree) if it.data(0, 256 + 1) == sid]
    actions = dict(panel.context_actions(items[0]))
    text = actions["Vintages of this series\u2026"]()
    assert "desk_positioning_2025-03-04.csv" in text and "desk_positioning_2025-03-11.csv" in text
    assert "Revisions:" in text and "-> 999" in text
    assert panel._vintages_box.isVisible()
    panel._vintages_box.close()


def _walk(tree):
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        yield item
        stack += [item.child(k) for k in range(item.childCount())]


def test_the_app_reopens_from_the_vintage_store_without_reading_a_file(window, tmp_path,
                                                                       qtbot, monkeypatch):
    from gui import core_api
    from gui.main_window import MainWindow

    first = write_export(tmp_path, "2025-03-04", weeks=9)
    second = write_export(tmp_path, "2025-03-11", weeks=10, revise={3: 999.0})
    window.open_files([str(first), str(second)], sync=True)
    settle(window)
    want = {s.id: (s.dates.tolist(), s.values.tolist()) for s in window.session.catalog}

    def no_parsing(*_a, **_k):
        raise AssertionError("a file was read")

    monkeypatch.setattr(core_api, "load_file", no_parsing)
    other = MainWindow(restore_layout=False)
    qtbot.addWidget(other)
    other.show()
    other.menu_actions["open_store"].trigger()  # File > Open the vintage store
    settle(other)
    got = {s.id: (s.dates.tolist(), s.values.tolist()) for s in other.session.catalog}
    assert got == want and other.charts.visible_rows

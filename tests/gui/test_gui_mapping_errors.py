"""Correcting a sheet's mapping when the mapping cannot be remembered: the file was
deleted or damaged after it was loaded, or the template folder cannot be written. The
user gets one dialog naming the file, never a traceback out of the slot; a file still
there is read again with the correction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from conftest import settle
from test_gui_mapping_dialog import (
    MONTHLY,
    SHEET,
    ModalDriver,
    fill_mapping,
    load_and_wait,
    series_by_name,
    write_curve,
)

from gui import core_api
from gui.dialogs.mapping_dialog import MappingDialog



def loaded_curve(window, qtbot, tmp_path: Path) -> Path:
    path = tmp_path / "curve.xlsx"
    write_curve(path, numeric_header=False)
    load_and_wait(window, qtbot, [path])
    # read as month/day/year until corrected (see test_gui_mapping_dialog)
    assert not np.array_equal(series_by_name(window, path)["2y"].dates, MONTHLY)
    window.loader.unwatch(str(path.resolve()))  # the test changes the file under the app
    return path


def correct_the_mapping(window, path: Path) -> None:
    driver = ModalDriver(MappingDialog, fill_mapping(date_column="A", order="DMY"))
    window.edit_mapping(str(path.resolve()), SHEET)
    driver.check()


def the_only_dialog(dialogs: list[tuple[str, str]], title: str) -> str:
    """The text of the one dialog shown, which must carry ``title``."""
    assert len(dialogs) == 1, dialogs
    shown_title, text = dialogs[0]
    assert shown_title == title
    return text


def test_mapping_for_a_deleted_file_is_a_dialog(window, qtbot, tmp_path, dialogs):
    path = loaded_curve(window, qtbot, tmp_path)
    path.unlink()
    correct_the_mapping(window, path)
    settle(window)
    text = the_only_dialog(dialogs, "Could not remember the mapping")
    assert str(path.resolve()) in text and "not found" in text
    assert not window.loader.busy  # nothing to read again


def test_mapping_for_a_damaged_file_is_a_dialog(window, qtbot, tmp_path, dialogs):
    path = loaded_curve(window, qtbot, tmp_path)
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        correct_the_mapping(window, path)
    titles = [title for title, _text in dialogs]
    # the template could not be read, then neither could the file itself
    assert titles[0] == "Could not remember the mapping", dialogs
    assert str(path.resolve()) in dialogs[0][1]
    assert all(str(path.resolve()) in text for _title, text in dialogs)
    assert not any("Traceback" in text for _title, text in dialogs)


def test_unwritable_template_store_still_reads_the_file_right(
        window, qtbot, tmp_path, dialogs, monkeypatch):
    path = loaded_curve(window, qtbot, tmp_path)

    def refuse(_file, _mapping) -> None:
        raise PermissionError(13, "Permission denied", "templates/ab12.json")

    monkeypatch.setattr(core_api, "save_template", refuse)
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        correct_the_mapping(window, path)
    settle(window)
    text = the_only_dialog(dialogs, "Could not remember the mapping")
    assert str(path.resolve()) in text and "Permission denied" in text
    # the correction applies to this file even though it could not be stored
    assert np.array_equal(series_by_name(window, path)["2y"].dates, MONTHLY)


def test_saved_template_is_no_dialog(window, qtbot, tmp_path, dialogs):
    """The control: with a readable file and a writable store there is no dialog."""
    path = loaded_curve(window, qtbot, tmp_path)
    with qtbot.waitSignal(window.loader.idle, timeout=30000):
        correct_the_mapping(window, path)
    assert dialogs == []
    assert np.array_equal(series_by_name(window, path)["2y"].dates, MONTHLY)

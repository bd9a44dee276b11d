"""The inbox watcher: a file written slowly in pieces is returned once, complete, after
its size and time held still over two polls; overwrites come back; noise is ignored."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from weekly_exports import write_export

from core.inbox import InboxWatcher
from core.ingest import load_file, load_files


def _text(path: Path) -> bytes:
    return path.read_bytes()


def test_file_written_in_pieces_is_returned_once_when_stable(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = _text(write_export(tmp_path, "2025-07-29", 30))
    watcher = InboxWatcher(inbox)
    assert watcher.poll() == []
    target = inbox / "desk_positioning_2025-07-29.csv"
    pieces = [content[i: i + 200] for i in range(0, len(content), 200)]
    with target.open("wb") as fh:
        for piece in pieces:
            fh.write(piece)
            fh.flush()
            assert watcher.poll() == []  # it grew since the last poll: not ready
            assert watcher.pending() == [target.name]
    # the last poll in the loop saw the final size: one more poll with it unchanged
    assert watcher.poll() == [target]
    assert target.read_bytes() == content
    assert watcher.poll() == [] and watcher.poll() == []  # returned once


def test_slow_writer_thread_never_yields_a_partial_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = _text(write_export(tmp_path, "2025-07-29", 200))
    target = inbox / "desk_positioning_2025-07-29.csv"
    watcher = InboxWatcher(inbox)
    watcher.poll()

    def writer() -> None:
        with target.open("wb") as fh:
            for i in range(0, len(content), 512):
                fh.write(content[i: i + 512])
                fh.flush()
                time.sleep(0.02)

    thread = threading.Thread(target=writer)
    thread.start()
    got: list[Path] = []
    deadline = time.monotonic() + 30
    while not got and time.monotonic() < deadline:
        got = watcher.poll()
        if got:
            assert target.read_bytes() == content, "returned while still being written"
        time.sleep(0.05)
    thread.join()
    assert got == [target]
    result = load_file(got[0])
    assert len(result.series[0]) == 200


def test_existing_files_are_known_unless_asked(tmp_path: Path) -> None:
    old = write_export(tmp_path, "2025-07-22", 28)
    assert InboxWatcher(tmp_path).poll() == [] and InboxWatcher(tmp_path).poll() == []
    watcher = InboxWatcher(tmp_path, include_existing=True)
    assert watcher.poll() == [] and watcher.poll() == [old]


def test_overwritten_file_comes_back(tmp_path: Path) -> None:
    watcher = InboxWatcher(tmp_path)
    watcher.poll()
    path = write_export(tmp_path, "2025-07-29", 30)
    watcher.poll()
    assert watcher.poll() == [path]
    write_export(tmp_path, "2025-07-29", 31)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    assert watcher.poll() == []
    assert watcher.poll() == [path]


def test_noise_is_ignored(tmp_path: Path) -> None:
    watcher = InboxWatcher(tmp_path)
    watcher.poll()
    for name in ("~$desk.xlsx", ".hidden.csv", "desk.xlsx.tmp", "desk.crdownload", "notes.docx", "empty.csv"):
        (tmp_path / name).write_bytes(b"" if name == "empty.csv" else b"x")
    (tmp_path / "sub.csv").mkdir()
    watcher.poll()
    assert watcher.poll() == []


def test_missing_folder_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    watcher = InboxWatcher(tmp_path / "not_there")
    assert watcher.poll() == [] and "cannot be read" in watcher.problem
    (tmp_path / "not_there").mkdir()
    assert watcher.poll() == [] and watcher.problem is None


def test_new_export_in_the_inbox_continues_the_history(tmp_path: Path) -> None:
    """The whole weekly path in core: last week's file open, this week's arrives, the
    merge reports what it added (the text of the GUI's notice)."""
    from core.ingest import merge_histories
    from core.ingest.template_merge import notice_text

    old = write_export(tmp_path, "2025-07-22", 28)
    watcher = InboxWatcher(tmp_path)
    watcher.poll()
    new = write_export(tmp_path, "2025-07-29", 31, revise={26: 5.0, 27: 6.0})
    watcher.poll()
    [arrived] = watcher.poll()
    results = [load_file(old), load_file(arrived)]
    changes = merge_histories(results)
    assert notice_text(str(new), changes[str(new)]) == \
        "desk_positioning_2025-07-29.csv: 3 new dates, 2 revised values"
    assert len({s.id: s for s in load_files([old, new])[1].series}["desk_positioning:csv:S1"]) == 31

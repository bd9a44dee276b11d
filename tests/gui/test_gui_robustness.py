"""Robustness through the real main window: the source file is never written or held
open; workspace saves survive SIGKILL at any moment; a hundred open/close cycles leak
neither memory nor Qt objects nor threads; a corrupt file opened through the worker is a
dialog naming it while the rest stays loaded."""

from __future__ import annotations

import gc
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest
from conftest import settle
from PySide6.QtCore import QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QApplication

from gui import workspace


ROOT = Path(__file__).resolve().parents[2]


def fingerprint(path: Path) -> tuple:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_ino, st.st_size


def open_handles(path: Path) -> list[str]:
    target = os.path.realpath(path)
    return [f.path for f in psutil.Process().open_files() if os.path.realpath(f.path) == target]


def load_async(window, qtbot, paths: list[str]) -> None:
    with qtbot.waitSignal(window.loader.idle, timeout=60000):
        window.open_files(paths)
    settle(window)


# -- the source file is read only -------------------------------------------------------------
def test_source_file_is_never_written_or_held(window, qtbot, sample_xlsx, tmp_path, dialogs):
    folder = tmp_path / "desk"
    folder.mkdir()
    source = folder / "sample_desk_export.xlsx"
    shutil.copy(sample_xlsx, source)
    past = time.time_ns() - 86_400 * 10**9  # an old mtime: any write would move it
    os.utime(source, ns=(past, past))
    before = fingerprint(source)
    listing = sorted(p.name for p in folder.iterdir())

    def unchanged(stage: str) -> None:
        assert fingerprint(source) == before, f"source changed after {stage}"
        assert open_handles(source) == [], f"source still open after {stage}"
        assert sorted(p.name for p in folder.iterdir()) == listing, f"files added by {stage}"

    load_async(window, qtbot, [str(source)])
    assert len(window.session.catalog) > 5
    unchanged("load")

    # what the QFileSystemWatcher does when the desk overwrites the file
    with qtbot.waitSignal(window.loader.idle, timeout=60000):
        window.loader.watcher.fileChanged.emit(str(source))
    settle(window)
    unchanged("watcher reload")
    with qtbot.waitSignal(window.loader.idle, timeout=60000):
        window.loader.open([str(source)], reload=True)
    unchanged("explicit reload")

    out = tmp_path / "out"
    out.mkdir()
    exporter = window.actions_handler.exporter
    for kind in ("xlsx", "png", "svg", "txt"):
        assert exporter.export(kind, str(out / f"export.{kind}")) is not None, kind
    assert exporter.wait()
    assert len(list(out.iterdir())) == 4
    unchanged("export")

    window.close_file(str(Path(source).resolve()))
    settle(window)
    assert window.session.files == []
    window.close()
    unchanged("close")
    assert dialogs == []


# -- workspace saves under SIGKILL ------------------------------------------------------------
SAVER = r"""
import sys
sys.path.insert(0, sys.argv[2])
from gui import workspace

path = sys.argv[1]
# ~750 kB of JSON, every entry tagged with the version, so a torn or mixed file cannot pass
# as whole. Serialised once and re-tagged per save, so most of the loop's time is spent in
# the writer (where a kill matters), not in json.dumps.
TEMPLATE = workspace.Workspace(files=[f"/desk/file_{i:05d}_@TAG@.xlsx" for i in range(25000)],
                               checked=["@TAG@"], layout="@TAG@").to_json()


class Tagged(workspace.Workspace):
    def to_json(self) -> str:
        return TEMPLATE.replace("@TAG@", self.layout)


n = 0
workspace.save(path, Tagged(layout=f"v{n}"))
print("ready", flush=True)
while True:
    n += 1
    workspace.save(path, Tagged(layout=f"v{n}"))
"""


def check_whole(path: Path) -> int:
    """The version number of a complete workspace file; fails on anything else."""
    ws = workspace.load(str(path))
    tag = ws.layout
    assert ws.checked == [tag] and len(ws.files) == 25000
    assert all(f.endswith(f"_{tag}.xlsx") for f in ws.files)
    return int(tag[1:])


def test_workspace_save_survives_sigkill_at_any_moment(tmp_path):
    folder = tmp_path / "ws"
    folder.mkdir()
    target = folder / "desk.gapwatch.json"
    rng = random.Random(20250731)
    kills, versions = 24, []
    for _ in range(kills):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(target), str(ROOT)],
                                 stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL
        json.loads(target.read_text(encoding="utf-8"))
        versions.append(check_whole(target))
    strays = [p for p in folder.iterdir() if p != target]
    print(f"\n{kills} kills: {len(strays)} inside a save, versions seen {versions}")
    # Kills really landed inside saves (SIGKILL leaves the temp file), and the target
    # was still whole each time; most kills came after several completed saves.
    assert strays, "no kill landed during a save: the test proved nothing"
    assert all(".tmp" in p.name for p in strays)
    assert sum(v > 0 for v in versions) > kills // 2


# -- load / close a hundred times -------------------------------------------------------------
# Not a leak of the app: the note's text document gets a new root QTextFrame when its
# text changes, and each findChildren() call (our own measurement) wraps the current one
# while PySide keeps the old wrapper with the window. Without findChildren calls the count
# stays flat over cycles; with them it grows by one per measurement.
MEASUREMENT_ARTEFACTS = {"QTextFrame"}


def qobject_census() -> Counter:
    return Counter(type(o).__name__ for o in gc.get_objects() if isinstance(o, QObject))


def quiesce() -> None:
    app = QApplication.instance()
    for _ in range(3):
        app.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    gc.collect()


def measure(window) -> dict:
    # findChildren first: the wrappers it makes stay with their parents, so both
    # censuses must already include them
    children = len(window.findChildren(QObject))
    quiesce()
    return {"rss": psutil.Process().memory_info().rss,
            "children": children,
            "census": dict(qobject_census()),
            "pool threads": QThreadPool.globalInstance().activeThreadCount(),
            "threads": threading.active_count()}


def run_cycles(cycles: int, path: str) -> dict:
    """Open ``path`` in one main window, wait for the load worker, close the file;
    ``cycles`` times. Measured after the first cycle and after the last."""
    from PySide6.QtCore import QEventLoop, QTimer

    from gui import errors
    from gui.qt_application import ensure_app
    from gui.main_window import MainWindow

    errors.INTERACTIVE = False  # nobody clicks OK in a child process: count them instead
    ensure_app()
    window = MainWindow(restore_layout=False)
    window.resize(1280, 800)
    window.show()
    loop, timeout = QEventLoop(), QTimer()
    timeout.setSingleShot(True)
    timeout.timeout.connect(loop.quit)
    window.loader.idle.connect(loop.quit)
    first, t0, t_first = None, time.perf_counter(), 0.0
    for i in range(cycles):
        timeout.start(60000)
        window.open_files([path])
        loop.exec()
        timeout.stop()
        settle(window)
        assert window.session.files == [path] and len(window.session.catalog) > 5, i
        window.close_file(path)
        settle(window)
        assert window.session.files == [] and window.loader.watcher.files() == [], i
        if i == 0:
            t_first = time.perf_counter() - t0
            first = measure(window)
    elapsed = time.perf_counter() - t0
    last = measure(window)
    window.close()
    return {"cycles": cycles, "seconds": elapsed, "first_cycle_seconds": t_first,
            "first": first, "last": last, "errors": list(errors.reported)}


@pytest.mark.slow
def test_hundred_open_close_cycles_leak_nothing(sample_xlsx, tmp_path):
    """In a fresh process, so earlier tests' windows do not blur memory and object counts."""
    source = tmp_path / "sample_desk_export.xlsx"
    shutil.copy(sample_xlsx, source)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "GAPWATCH_HOME": str(tmp_path / "home")}
    r = subprocess.run([sys.executable, __file__, "100", str(source.resolve())], env=env,
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    first, last = out["first"], out["last"]
    print(f"\n{out['cycles']} cycles in {out['seconds']:.1f} s (first "
          f"{out['first_cycle_seconds']:.2f} s); RSS after first {first['rss'] / 2**20:.1f} "
          f"MiB, after last {last['rss'] / 2**20:.1f} MiB; children {first['children']} -> "
          f"{last['children']}; QObject wrappers {sum(first['census'].values())} -> "
          f"{sum(last['census'].values())}; threads {first['threads']} -> {last['threads']}")
    assert out["errors"] == []
    assert last["rss"] <= first["rss"] * 1.10
    for key in ("children", "pool threads", "threads"):
        assert last[key] == first[key], key
    grown = {k: last["census"].get(k, 0) - first["census"].get(k, 0)
             for k in set(first["census"]) | set(last["census"])
             if last["census"].get(k, 0) != first["census"].get(k, 0)}
    assert set(grown) <= MEASUREMENT_ARTEFACTS, grown
    assert all(grown[k] <= 1 for k in MEASUREMENT_ARTEFACTS if k in grown), grown


def write_small_csv(path: Path) -> None:
    """Two years of business days for two series: a load takes milliseconds, so the
    leak test can afford many loads."""
    import numpy as np
    import pandas as pd

    days = pd.bdate_range("2022-01-03", periods=520)
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({"Date": days.strftime("%Y-%m-%d"),
                          "RTY Index": 2000 + rng.normal(0, 10, len(days)).cumsum(),
                          "SPX Index": 4000 + rng.normal(0, 15, len(days)).cumsum()})
    frame.to_csv(path, index=False)


def load_jobs_alive() -> int:
    from gui.workers.load_worker import LoadJob

    return sum(isinstance(o, LoadJob) for o in gc.get_objects())


def test_the_pool_holds_no_python_reference_to_a_load_job(window, qtbot, tmp_path, dialogs):
    """The mechanism behind the leak below: ``QThreadPool.start(runnable)`` makes the pool
    the runnable's Python parent, and PySide sometimes kept that wrapper after the pool
    had deleted the C++ side on the worker thread (about one load in 25, for the life of
    the pool). The controller hands the pool a plain callable instead."""
    source = tmp_path / "desk.csv"
    write_small_csv(source)
    pool = window.loader.pool
    seen: list[bool] = []
    original_start = pool.start

    def spy(task, *args):
        original_start(task, *args)
        job = window.loader.job
        seen.append(any(r is job for r in gc.get_referents(pool)))

    window.loader.pool = type("PoolSpy", (), {"start": staticmethod(spy),
                                              "waitForDone": pool.waitForDone})()
    try:
        load_async(window, qtbot, [str(source)])
    finally:
        window.loader.pool = pool
    assert seen == [False]


def test_each_load_job_is_released(window, qtbot, tmp_path, dialogs):
    """Forty loads leave no LoadJob and no extra LoadSignals behind. Deterministic: the
    load's ``idle`` arrives while the worker thread may still be unwinding ``run()``, so
    the count is taken after the pool is done and garbage is collected."""
    source = tmp_path / "desk.csv"
    write_small_csv(source)
    quiesce()
    signals_before = qobject_census()["LoadSignals"]
    jobs_before = load_jobs_alive()
    counts = []
    for _ in range(40):
        load_async(window, qtbot, [str(source)])
        assert len(window.session.catalog) == 2
        window.close_file(str(source.resolve()))
        settle(window)
        assert window.loader.wait(10000), "load worker still running"
        quiesce()
        counts.append(load_jobs_alive() - jobs_before)
    assert counts == [0] * 40, counts
    assert qobject_census()["LoadSignals"] == signals_before


# -- a corrupt file through the worker --------------------------------------------------------
def test_corrupt_file_through_the_worker_is_a_dialog_and_the_rest_stays(
        window, qtbot, sample_xlsx, tmp_path, dialogs):
    """File > Open loads in the worker (the synchronous path has its own test)."""
    good = tmp_path / "sample_desk_export.xlsx"
    shutil.copy(sample_xlsx, good)
    load_async(window, qtbot, [str(good)])
    n = len(window.session.catalog)
    bad = tmp_path / "mangled.xlsx"
    bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    load_async(window, qtbot, [str(bad)])
    assert any("mangled.xlsx" in text for _title, text in dialogs), dialogs
    assert not any("Traceback" in text for _title, text in dialogs)
    assert len(window.session.catalog) == n
    assert window.stats.model.rowCount() > 0


@pytest.mark.parametrize("text", [
    '{"format": "gapwatch-workspace", "files": "not a list"}',
    '{"format": "gapwatch-workspace", "window_a": ["2024-01-01"]}',
    '{"format": "gapwatch-workspace", "files": [',
    '["gapwatch-workspace"]',
])
def test_unreadable_workspace_is_a_dialog(window, tmp_path, dialogs, text):
    path = tmp_path / "bad.gapwatch.json"
    path.write_text(text, encoding="utf-8")
    window.actions_handler.open_workspace(str(path), sync=True)
    assert len(dialogs) == 1
    title, body = dialogs[0]
    assert title == "Could not open workspace" and "bad.gapwatch.json" in body
    assert window.session.files == []


if __name__ == "__main__":  # the child process of test_hundred_open_close_cycles_leak_nothing
    sys.path.insert(0, str(ROOT))
    print(json.dumps(run_cycles(int(sys.argv[1]), sys.argv[2])))

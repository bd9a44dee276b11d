"""core.atomic: the target is either the old file or the complete new one, never a mix."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.atomic import atomic_path, atomic_write_bytes, atomic_write_text, refuse_overwrite

ROOT = Path(__file__).resolve().parents[2]


def _litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp" in p.name)


def test_bytes_round_trip(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    data = bytes(range(256)) * 1000
    assert atomic_write_bytes(target, data) == target
    assert target.read_bytes() == data
    assert _litter(tmp_path) == []


def test_text_round_trip_keeps_encoding_and_newlines(tmp_path: Path) -> None:
    target = tmp_path / "note.txt"
    text = "RTY +26.1% since its low\r\nLev-funds −5.1% of OI\n"
    atomic_write_text(target, text)
    assert target.read_bytes() == text.encode("utf-8")
    atomic_write_text(target, "é", encoding="latin-1")
    assert target.read_bytes() == b"\xe9"


def test_replaces_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert _litter(tmp_path) == []


def test_exception_inside_block_leaves_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old complete file")
    seen: list[Path] = []
    with pytest.raises(RuntimeError, match="writer failed"), atomic_path(target) as temp:
        seen.append(temp)
        temp.write_bytes(b"half a new fi")
        raise RuntimeError("writer failed")
    assert target.read_bytes() == b"old complete file"
    assert not seen[0].exists()
    assert _litter(tmp_path) == []


def test_temp_path_is_in_same_folder_with_same_suffix(tmp_path: Path) -> None:
    target = tmp_path / "stats.xlsx"
    with atomic_path(target) as temp:
        assert temp.parent == tmp_path
        assert temp.suffix == ".xlsx"
        assert temp != target
        assert not target.exists()  # nothing visible until the block succeeds
        temp.write_bytes(b"x")
    assert target.read_bytes() == b"x"


def test_keyboard_interrupt_also_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as temp:
        temp.write_bytes(b"partial")
        raise KeyboardInterrupt
    assert not target.exists()
    assert _litter(tmp_path) == []


@pytest.mark.skipif(os.name != "posix", reason="umask is POSIX")
def test_new_file_gets_normal_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = atomic_write_text(tmp_path / "p.txt", "x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        atomic_write_text(tmp_path / "nope" / "x.txt", "x")


def test_refuse_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "x.xlsx"
    refuse_overwrite(target, force=False)  # absent: fine
    target.write_bytes(b"keep")
    with pytest.raises(FileExistsError, match=r"x\.xlsx already exists"):
        refuse_overwrite(target, force=False)
    refuse_overwrite(target, force=True)
    with pytest.raises(IsADirectoryError):
        refuse_overwrite(tmp_path, force=True)
    assert target.read_bytes() == b"keep"


# A child rewrites the file forever, alternating two large contents of different
# lengths; the parent SIGKILLs it at random moments. A non-atomic writer (open "wb"
# + write) fails this within a few kills: the file is truncated or a mix.
_WRITER = """
import sys
from core.atomic import atomic_write_bytes
target, size_a, size_b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
contents = (b"A" * size_a, b"B" * size_b)
i = 0
while True:
    atomic_write_bytes(target, contents[i % 2])
    if i == 1:
        print("ready", flush=True)
    i += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments_never_leaves_a_partial_file(tmp_path: Path) -> None:
    size_a, size_b = 3_000_000, 2_000_000
    expected = {b"A" * size_a, b"B" * size_b}
    target = tmp_path / "data.bin"
    rng = random.Random(20250731)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills = 0
    started = time.monotonic()
    while kills < 30 and time.monotonic() - started < 18:  # time cap for a loaded machine
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(target), str(size_a), str(size_b)],
            stdout=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        kills += 1
        content = target.read_bytes()
        assert content in expected, f"after kill {kills}: {len(content)} bytes, partial file"
    assert kills >= 5


def test_failed_rename_is_a_clear_error_and_cleans_up(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "held.xlsx"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError, match="open in another program"):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert _litter(tmp_path) == []

"""Write files so that a reader (or a crash) never sees them half-written.

Every export goes through here: the bytes are written to a temporary file in the
target's own folder (``os.replace`` is only atomic within one file system), flushed
to disk with ``fsync``, then renamed over the target in one step. If anything fails
before the rename, the temporary file is removed and the old target is untouched.
A process killed with SIGKILL can leave a stray ``.<name>.<token>.tmp<suffix>`` file
behind (nothing can run to clean it up), but never a partial target.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path

TEMP_MARKER = ".tmp"


def refuse_overwrite(path: str | os.PathLike[str], force: bool) -> None:
    """Raise ``FileExistsError`` when ``path`` exists and the caller did not ask to replace it."""
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder, not a file name")
    if target.exists() and not force:
        raise FileExistsError(
            f"{target} already exists; not overwriting it "
            "(choose another name, or force the overwrite: --force / force=True)"
        )


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh temporary path next to ``path``; on success move it into place.

    The caller writes the whole file to the yielded path (e.g. ``workbook.save(tmp)``).
    On normal exit the file is fsynced and renamed over ``path``; on any exception
    (KeyboardInterrupt included) it is deleted and the exception propagates.
    The temporary name keeps the target's suffix, for writers that look at it.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write {target}: folder {folder} does not exist")
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder, not a file name")
    temp = _create_temp_file(target)
    try:
        yield temp
        _fsync_file(temp)
        _replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    _fsync_folder(folder)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically; returns the target path."""
    target = Path(path)
    with atomic_path(target) as temp, open(temp, "wb") as fh:
        fh.write(data)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Replace ``path`` with ``text`` atomically (no newline translation)."""
    return atomic_write_bytes(path, text.encode(encoding))


def _replace(temp: Path, target: Path) -> None:
    """``os.replace``, retried briefly on Windows, where a virus scanner or indexer may
    hold either file for a moment; a target held open by Excel stays an error."""
    attempts = 5 if os.name == "nt" else 1
    for attempt in range(attempts):
        try:
            os.replace(temp, target)
            return
        except PermissionError as exc:
            if attempt + 1 < attempts:
                time.sleep(0.1 * (attempt + 1))
                continue
            raise PermissionError(
                f"cannot replace {target}: {exc.strerror or exc} (is it open in another program?)"
            ) from exc


def _create_temp_file(target: Path) -> Path:
    # O_EXCL: never reuse someone else's file; mode 0o666 lets the umask decide the
    # final permissions, as for a normally created file (mkstemp would force 0o600).
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        token = secrets.token_hex(6)
        temp = target.with_name(f".{target.name}.{token}{TEMP_MARKER}{target.suffix}")
        try:
            fd = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return temp
    raise FileExistsError(f"could not create a temporary file next to {target}")


def _fsync_file(path: Path) -> None:
    # Read-write: Windows' FlushFileBuffers needs a handle with write access.
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened on Windows."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

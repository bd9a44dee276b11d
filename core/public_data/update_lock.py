"""One update of the public-data store at a time (the GUI dialog and a scheduled
``main.py fetch`` may overlap): a lock file created exclusively in the store folder,
holding the owner's pid and start time. A lock whose process is gone (POSIX) or that is
older than ``STALE_AFTER_S`` is taken over, so a crash never blocks updates for good."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from core.public_data.sources import store_root

LOCK_NAME = "update.lock"
STALE_AFTER_S = 2 * 3600


class UpdateRunning(Exception):
    """Another process is updating the store."""


@contextlib.contextmanager
def update_lock(root: Path | None = None) -> Iterator[None]:
    folder = Path(root) if root is not None else store_root()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_NAME
    for _ in range(2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if holder is not None:
                raise UpdateRunning(f"another update of the public data is running "
                                    f"(process {holder.get('pid')}, started "
                                    f"{time.strftime('%H:%M', time.localtime(holder.get('t', 0)))})"
                                    ) from None
            with contextlib.suppress(OSError):
                path.unlink()  # stale: its process is gone
            continue
        with os.fdopen(fd, "w") as fh:
            json.dump({"pid": os.getpid(), "t": time.time()}, fh)
        break
    else:
        raise UpdateRunning("the public-data update lock could not be taken")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _holder(path: Path) -> dict | None:
    """The live holder of the lock, or None when the lock is stale."""
    try:
        info = json.loads(path.read_text("utf-8"))
        pid, started = int(info["pid"]), float(info["t"])
    except (OSError, ValueError, KeyError, TypeError):
        return None if _age(path) > 60 else {"pid": "?", "t": time.time()}
    if time.time() - started > STALE_AFTER_S:
        return None
    if os.name == "posix" and pid != os.getpid():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass  # alive, owned by someone else
    return info


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 1e9

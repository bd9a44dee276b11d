"""Reading a source file's bytes, once, without ever blocking, writing or locking it.

Everything downstream (format sniffing, the zip checks, calamine, the CSV reader) works
on these bytes, so the file parsed is the file hashed for the cache, and the file is
closed before any parsing starts (no lock held on Windows while a sheet is read).
FIFOs, devices and sockets are refused before they are opened: reading ``/dev/zero`` or
a named pipe would never end.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_SOURCE_BYTES = 1 << 30
"""Files above 1 GiB are refused: no desk export is that big, and holding it would not fit."""


class SourceRefused(Exception):
    """The file cannot be read; the text says why, naming the file."""


def read_source(path: Path) -> tuple[bytes, os.stat_result]:
    """The bytes and stat of a regular file, or ``SourceRefused``."""
    name = path.name
    try:
        st = os.stat(path)  # follows symlinks: a link to /dev/zero is judged by its target
    except FileNotFoundError:
        raise SourceRefused(f"file not found: {path}") from None
    except OSError as exc:
        raise SourceRefused(f"cannot read {name}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise SourceRefused(f"{path} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
        raise SourceRefused(f"{name} is {kind}, not a regular file; not read")
    if st.st_size > MAX_SOURCE_BYTES:
        raise SourceRefused(f"{name} is {st.st_size / 1e9:.1f} GB; files above "
                            f"{MAX_SOURCE_BYTES / 1e9:.1f} GB are refused")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a file swapped for a FIFO after stat cannot hang us
    except OSError as exc:
        raise SourceRefused(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SourceRefused(f"{name} is not a regular file; not read")
        chunks: list[bytes] = []
        total = 0
        while True:
            block = os.read(fd, 1 << 24)
            if not block:
                break
            total += len(block)
            if total > MAX_SOURCE_BYTES:  # the file grew after stat
                raise SourceRefused(f"{name} is larger than {MAX_SOURCE_BYTES / 1e9:.1f} GB; "
                                    "refused")
            chunks.append(block)
    except OSError as exc:
        raise SourceRefused(f"cannot read {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return b"".join(chunks), st

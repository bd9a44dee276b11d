"""A minimal legacy .xls (BIFF8 in an OLE compound file) written by hand: one sheet of
NUMBER cells, for the far-cell cases (no .xls writer is installed).

Just what python-calamine needs: a globals substream (BOF, CODEPAGE, 17 XF records --
XF 16 shows a date, builtin format 14 -- BOUNDSHEET, EOF) and one worksheet substream
(BOF, NUMBER records, EOF), in a version-3 compound file with 512-byte sectors: header,
one FAT sector, one directory sector, then the ``Workbook`` stream padded past the
4,096-byte mini-stream cutoff so no mini FAT is needed.
"""

from __future__ import annotations

import struct

DATE_XF, NUMBER_XF = 16, 15
_END, _FREE, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(substream: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x06))


def _xf(number_format: int, cell: bool) -> bytes:
    return _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, number_format, 0x0001 if cell else 0xFFF5,
                                       0x20, 0, 0, 0, 0, 0, 0x20C0))


def _boundsheet(position: int, name: str) -> bytes:
    encoded = name.encode("latin-1")
    return _record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(encoded), 0) + encoded)


def number(row: int, col: int, value: float, xf: int = NUMBER_XF) -> bytes:
    """A NUMBER record: 0-based row (< 65,536) and column (< 256)."""
    return _record(0x0203, struct.pack("<HHHd", row, col, xf, value))


def workbook_stream(cells: list[bytes], sheet: str = "Prices") -> bytes:
    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
    head += b"".join(_xf(0, cell=i == NUMBER_XF) for i in range(16)) + _xf(14, cell=True)
    position = len(head) + len(_boundsheet(0, sheet)) + len(_record(0x000A))
    globals_ = head + _boundsheet(position, sheet) + _record(0x000A)
    return globals_ + _bof(0x0010) + b"".join(cells) + _record(0x000A)


def compound_file(stream: bytes) -> bytes:
    sector = 512
    stream = stream.ljust(4096, b"\0")
    n = -(-len(stream) // sector)
    stream = stream.ljust(n * sector, b"\0")
    fat = [_FAT_SECTOR, _END] + [3 + i if i < n - 1 else _END for i in range(n)]
    if len(fat) > 128:
        raise ValueError("stream too long for one FAT sector (keep it under 63 KB)")
    fat += [_FREE] * (128 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0, 0)
              + struct.pack("<I", _FREE) * 108)

    def entry(name: str, kind: int, start: int, size: int, child: int = _NO_STREAM) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", _NO_STREAM, _NO_STREAM, child) + b"\0" * 36
                + struct.pack("<III", start, size, 0))

    directory = (entry("Root Entry", 5, _END, 0, child=1) + entry("Workbook", 2, 2, len(stream))
                 + entry("", 0, 0, 0) + entry("", 0, 0, 0))
    return header + struct.pack("<128I", *fat) + directory + stream


def dated_xls(n: int = 300, extra: list[bytes] | None = None) -> bytes:
    """Header-less sheet "Prices": dates (serials from 45,001) in A, closes in B, from
    row 2, plus ``extra`` cell records."""
    cells = []
    for r in range(1, n + 1):
        cells += [number(r, 0, 45_000.0 + r, DATE_XF), number(r, 1, 2000.0 + r)]
    return compound_file(workbook_stream(cells + (extra or [])))

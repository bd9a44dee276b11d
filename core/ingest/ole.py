"""What an OLE compound file (the ``D0 CF 11 E0`` container) holds, from its stream names.

Excel writes two different things into this container: a legacy BIFF workbook (a
``Workbook`` or ``Book`` stream) and a password-protected xlsx (``EncryptionInfo`` +
``EncryptedPackage`` streams). The extension says nothing reliable (files get renamed),
so the directory entries decide. A directory entry is a 128-byte record starting with
its UTF-16LE name and holding the name's byte length at offset 64; entries sit on
128-byte boundaries after the 512-byte header. Looking for the names at such offsets is
enough -- no FAT chain walking -- and a cell text that merely contains the word cannot
match the length field and the alignment at once.
"""

from __future__ import annotations

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER = 512
_ENTRY = 128

ENCRYPTION_STREAMS = ("EncryptionInfo", "EncryptedPackage")
WORKBOOK_STREAMS = ("Workbook", "Book", "WORKBOOK", "BOOK")


def has_stream(data: bytes, name: str) -> bool:
    """True when a directory entry named ``name`` exists in the OLE container ``data``."""
    encoded = name.encode("utf-16-le")
    length = (len(name) + 1) * 2  # the stored length counts the terminating NUL
    start = _HEADER
    while True:
        pos = data.find(encoded, start)
        if pos < 0:
            return False
        start = pos + 1
        if (pos - _HEADER) % _ENTRY:
            continue
        if data[pos + len(encoded): pos + len(encoded) + 2] != b"\x00\x00":
            continue
        if int.from_bytes(data[pos + 64: pos + 66], "little") == length:
            return True


def classify_ole(data: bytes) -> str:
    """``encrypted``, ``xls`` or ``unknown`` for an OLE container's bytes."""
    if any(has_stream(data, n) for n in ENCRYPTION_STREAMS):
        return "encrypted"
    if any(has_stream(data, n) for n in WORKBOOK_STREAMS):
        return "xls"
    return "unknown"

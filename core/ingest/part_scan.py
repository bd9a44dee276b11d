"""Every cell reference of a big sheet part, read before python-calamine builds its grid.

python-calamine (calamine 0.37) collects a sheet's cells and then allocates one dense block
from A1 to the outermost *valued* cell; a single value at XFD1048576, ZZZZ1 or A999999999
asks for billions of cells and the process aborts (a Rust allocation failure, not an
exception). A cell's place is its ``r`` attribute (read as letters then digits, with u32
arithmetic that wraps for absurd lengths); a cell without ``r`` takes the next column of
its row, and its row is the ``<row r=...>`` or the previous row + 1. Neither the
``<dimension>`` element nor cell order binds anything, so a part can only be trusted after
every one of its cell start tags has been seen.

``scan_part`` does that in one streaming pass: a producer thread inflates the zip member
block by block (zlib releases the GIL) while this thread checks each block with numpy
(which releases it for its array passes), so the pass costs about one inflate of the part.
Per block:

- every cell start tag (``<c`` followed by a blank or ``>``) must be written ``<c r="``,
  and no namespaced cell tag (``<x:c``) may appear -- then every cell's place is its own
  reference and row tags, cells without ``r`` and ``<dimension>`` cannot move anything;
- the references are parsed (vectorised) into the largest row and column; one with more
  than 3 letters or 7 digits, or beyond Excel's grid, is *far* and named.

Anything else (cells without ``r``, ``r`` not first, single quotes, namespaced tags, a tag
longer than ``MAX_TAG_BYTES``) makes the part *irregular*: the caller then reads the whole
part and scans it precisely (``extent.scan_extent``), or hands it to the safe reader. The
result is conservative: a far reference in an empty or self-closing cell (which calamine
would skip) still counts.

``PartPrefetch`` runs ``scan_part`` for a workbook's big parts in a background thread in
sheet order, so later sheets are checked while calamine reads earlier ones.
"""

from __future__ import annotations

import io
import queue
import struct
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

try:  # ISA-L inflates 2-2.5x faster than zlib (80 MB sheet XML: 125 vs 300 ms)
    from isal.isal_zlib import decompressobj as _decompressobj
    from isal.isal_zlib import error as _InflateError
except ImportError:  # pragma: no cover - a build without the optional wheel
    _decompressobj = zlib.decompressobj
    _InflateError = zlib.error

EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COL = 16_384
IN_CHUNK_BYTES = 64 * 1024
"""Compressed bytes fed to the inflater per step: small steps keep the output in cache."""
OUT_BLOCK_BYTES = 2 * 1024 * 1024
MAX_TAG_BYTES = 1024 * 1024
"""A block is cut before its last ``<``; no ``<`` in this many bytes is irregular."""
QUEUE_BLOCKS = 4
_WIDTH = 22  # '<c r="' + 16 bytes: 3 letters + 7 digits + quote fit, more is far
_WINDOW = 16
_ANY_C = int.from_bytes(b">c", "little")
_REF_BYTES = 12  # 3 letters + 7 digits + the quote fit in 11
_HEAD_MASK = int.from_bytes(b"\xff" * 6 + b"\0\0", "little")
_HEAD = int.from_bytes(b'<c r="\0\0', "little")


@dataclass
class PartBounds:
    """What one pass over a part proved: every cell lies in rows 1..``rows`` and columns
    1..``cols`` (an upper bound from each reference's length and first character, tight
    enough for real tables); ``cells``: cell start tags seen; ``far``: the first reference
    that is too long to lie in Excel's grid (as written, clipped); ``irregular``: why the
    fast proof does not hold (the caller must scan precisely)."""

    cells: int = 0
    far: str | None = None
    irregular: str | None = None
    digits: int = 0  # most digits in a row number ...
    lead_digit: int = 0  # ... and the largest first digit among those
    letters: int = 0  # most letters in a column name ...
    lead_letter: int = 0  # ... and the largest first letter (1 = A) among those

    @property
    def rows(self) -> int:
        if self.far is not None:
            return EXCEL_MAX_ROW + 1
        return (self.lead_digit + 1) * 10 ** (self.digits - 1) - 1 if self.digits else 0

    @property
    def cols(self) -> int:
        if self.far is not None:
            return EXCEL_MAX_COL + 1
        if not self.letters:
            return 0
        rest = sum(26 ** t for t in range(1, self.letters))  # the other letters all 'Z'
        return self.lead_letter * 26 ** (self.letters - 1) + rest


class ScanStopped(Exception):
    """``scan_part`` was asked to stop (the workbook was closed)."""


def scan_part(data: bytes, info: zipfile.ZipInfo, stop: Callable[[], bool] | None = None,
              sink: Callable[[bytes], None] | None = None) -> PartBounds:
    """One streaming pass over the sheet part ``info`` of the zip ``data`` (see the
    module docstring). ``sink`` receives every inflated block before it is checked (it
    sees the whole part only when the pass runs to the end: an irregular part stops it).
    Raises what inflating raises (a damaged member)."""
    bounds = PartBounds()
    carry = b""
    for block in _inflated_blocks(data, info, stop):
        if sink is not None:
            sink(block)
        buf = carry + block if carry else block
        cut = buf.rfind(b"<")
        if cut <= 0:
            carry = buf
            if len(carry) > MAX_TAG_BYTES:
                bounds.irregular = f"no tag boundary in {MAX_TAG_BYTES:,} bytes"
                return bounds
            continue
        carry = buf[cut:]
        if not _scan_block(buf, cut, bounds):
            return bounds
    if carry:
        _scan_block(carry + b">" * _WIDTH, len(carry), bounds)
    return bounds


def _scan_block(buf: bytes, cut: int, bounds: PartBounds) -> bool:
    """Fold the cell tags starting in ``buf[:cut]`` (``cut`` is before a ``<``, so every
    well-formed tag starting there ends there) into ``bounds``; False once irregular."""
    if len(buf) < _WIDTH + 2:
        buf = buf + b">" * _WIDTH
    a = np.frombuffer(buf, dtype=np.uint8)
    pairs = _c_pairs(buf, cut)  # '<c', ':c' (and '>c', '8c': same test, dropped below)
    if not pairs.size:
        return True
    pairs = pairs[_delimiter(a[pairs + 2])]
    first = a[pairs]
    if (first == 58).any():
        bounds.irregular = "namespaced cell tags"
        return False
    starts = pairs[first == 60]
    if not starts.size:
        return True
    if starts.max() + _WIDTH > a.size:  # a cell tag at the very end of the part
        a = np.concatenate([a, np.full(_WIDTH, 62, dtype=np.uint8)])
    w = sliding_window_view(a, _WIDTH)[starts]  # '<c r="' + the reference + what follows
    head = w[:, :8].copy().view("<u8")[:, 0] & _HEAD_MASK
    if (head != _HEAD).any():
        bounds.irregular = "cells without a leading r=\"...\" reference"
        return False
    bounds.cells += int(starts.size)
    _fold_refs(np.ascontiguousarray(w[:, 6:6 + _REF_BYTES].T), bounds)
    return True


def _c_pairs(buf: bytes, cut: int) -> np.ndarray:
    """Positions < ``cut`` (unsorted) of the byte pairs '<c', ':c', '>c' and '8c' (one
    test on 16-bit words: those four first bytes differ only in bits 1 and 2)."""
    view = memoryview(buf)
    found = []
    for parity in (0, 1):
        words = np.frombuffer(view[parity:parity + ((cut - parity) & ~1)], dtype="<u2")
        found.append(np.flatnonzero((words | 0x0006) == _ANY_C) * 2 + parity)
    return np.concatenate(found)


def _delimiter(x: np.ndarray) -> np.ndarray:
    return (x == 32) | (x == 62) | (x == 9) | (x == 10) | (x == 13)


def _fold_refs(cols: np.ndarray, bounds: PartBounds) -> None:
    """Fold the references into the bounds: the longest row number and column name and
    their largest first characters. ``cols[t]`` holds byte t after ``r="`` of every
    reference. A malformed reference only loosens the bound (calamine raises on it, it
    does not place it)."""
    n = cols.shape[1]
    upper = cols & 0xDF
    run = np.ones(n, dtype=bool)
    letters = np.zeros(n, dtype=np.int64)
    for t in range(4):  # a 4th letter is beyond XFD: far
        run &= (upper[t] - 65) < 26
        letters += run
    end = np.full(n, _REF_BYTES, dtype=np.int64)
    for t in range(_REF_BYTES - 1, 0, -1):
        end[cols[t] == 34] = t
    digits = end - letters
    far = (end >= _REF_BYTES) | (letters > 3) | (digits > 7)  # no quote in reach: far too
    if far.any():
        if bounds.far is None:
            bounds.far = _raw(cols[:, int(np.flatnonzero(far)[0])])
        return
    lead_digit = np.choose(np.minimum(letters, 3), cols[:4]).astype(np.int64) - 48
    _fold_max(bounds, "digits", "lead_digit", digits, lead_digit)
    _fold_max(bounds, "letters", "lead_letter", letters, upper[0].astype(np.int64) - 64)


def _fold_max(bounds: PartBounds, length_attr: str, lead_attr: str, length: np.ndarray,
              lead: np.ndarray) -> None:
    longest = int(length.max())
    current = getattr(bounds, length_attr)
    if longest < current:
        return
    top = int(lead[length == longest].max())
    if longest > current:
        setattr(bounds, length_attr, longest)
        setattr(bounds, lead_attr, top)
    else:
        setattr(bounds, lead_attr, max(top, getattr(bounds, lead_attr)))


def _raw(ref: np.ndarray) -> str:
    text = bytes(ref).split(b'"', 1)[0].decode("ascii", "replace")
    return text if len(text) < _WINDOW else text + "..."


def _inflated_blocks(data: bytes, info: zipfile.ZipInfo,
                     stop: Callable[[], bool] | None) -> Iterator[bytes]:
    """The member's bytes in blocks, inflated by a producer thread. Stops at the size the
    zip directory declares (what calamine reads)."""
    q: queue.Queue = queue.Queue(maxsize=QUEUE_BLOCKS)
    halt = threading.Event()

    def produce() -> None:
        try:
            for block in _raw_blocks(data, info):
                while not halt.is_set():
                    try:
                        q.put(block, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if halt.is_set():
                    return
        except BaseException as exc:  # handed to the consumer, which raises it
            q.put(exc)
            return
        q.put(None)

    producer = threading.Thread(target=produce, name="gapwatch-inflate", daemon=True)
    producer.start()
    try:
        while True:
            if stop is not None and stop():
                raise ScanStopped
            item = q.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        halt.set()
        while True:  # unblock a producer waiting on a full queue
            try:
                q.get_nowait()
            except queue.Empty:
                break
        producer.join()


def _raw_blocks(data: bytes, info: zipfile.ZipInfo) -> Iterator[bytes]:
    limit = info.file_size
    payload = _payload(data, info)
    if payload is None:  # not plain deflate/stored: let zipfile decode it
        with zipfile.ZipFile(io.BytesIO(data)) as zf, zf.open(info) as fh:
            total = 0
            while total < limit:
                block = fh.read(OUT_BLOCK_BYTES)
                if not block:
                    return
                total += len(block)
                yield block
        return
    if info.compress_type == zipfile.ZIP_STORED:
        view = payload[:limit]
        for i in range(0, len(view), OUT_BLOCK_BYTES):
            yield bytes(view[i:i + OUT_BLOCK_BYTES])
        return
    # Whole input chunks, no max_length: ISA-L keeps output it could not return inside
    # the inflater instead of leaving input in unconsumed_tail. The container's ratio
    # limit caps a chunk's output (64 KB x 200 on average, ~66 MB at deflate's maximum).
    inflater = _decompressobj(-15)
    total = 0
    parts: list[bytes] = []
    gathered = 0
    try:
        for i in range(0, len(payload), IN_CHUNK_BYTES):
            block = inflater.decompress(payload[i:i + IN_CHUNK_BYTES])
            total += len(block)
            parts.append(block)
            gathered += len(block)
            done = total >= limit or inflater.eof
            if gathered >= OUT_BLOCK_BYTES or done:  # the scan is cheaper on big blocks
                yield b"".join(parts)
                parts, gathered = [], 0
            if done:
                return
        parts.append(inflater.flush())
    except _InflateError as exc:  # one error type for callers, whichever inflater ran
        raise zlib.error(str(exc)) from None
    if any(parts):
        yield b"".join(parts)


def _payload(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """The member's compressed bytes, when they are plain deflate or stored."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        return None
    off = info.header_offset
    if off < 0 or off + 30 > len(data) or data[off:off + 4] != b"PK\x03\x04":
        return None
    name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
    start = off + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        return None
    return memoryview(data)[start:end]


def bounds_of(result: PartBounds | BaseException | None) -> PartBounds:
    """A stored scan result as ``get`` hands it out: the bounds, or what scanning raised
    (``ScanStopped`` when the scan never ran)."""
    if result is None:
        raise ScanStopped
    if isinstance(result, BaseException):
        raise result
    return result


class PartPrefetch:
    """``scan_part`` for ``members`` (in this order) in one background thread."""

    def __init__(self, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
        self._data = data
        self._infos = {i.filename: i for i in infos}
        self._order = [i.filename for i in infos]
        self._results: dict[str, PartBounds | BaseException] = {}
        self._ready = {name: threading.Event() for name in self._order}
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="gapwatch-part-scan", daemon=True)
        self._thread.start()

    def __contains__(self, member: object) -> bool:
        return member in self._ready

    def _run(self) -> None:
        for name in self._order:
            try:
                result: PartBounds | BaseException = scan_part(
                    self._data, self._infos[name], lambda: self._closed)
            except BaseException as exc:  # handed to get(), which raises it
                result = exc
            self._results[name] = result
            self._ready[name].set()
            if self._closed:
                break
        for event in self._ready.values():
            event.set()

    def get(self, member: str) -> PartBounds:
        """The member's bounds (waits for them); raises what scanning raised."""
        self._ready[member].wait()
        return bounds_of(self._results.get(member))

    def close(self) -> None:
        """Stop after the current block; returns at once."""
        self._closed = True

"""All series in one flat array, so one numpy call answers a window for every series.

Series ``s`` occupies ``[offset[s], offset[s] + length[s])`` of a flat array; its chunk is
``P_s`` slots long (``P_s`` = next power of two ≥ its length) and starts at a multiple of
``P_s`` (chunks are placed largest first). That alignment keeps every power-of-two block
used by the range structures (sparse tables, the drawdown table) inside one series.

Window bounds for all series come from ONE ``searchsorted`` over ``keys``, which is
globally sorted: ``keys = rank(s) * K + (day - day0 + 1)`` with ``K`` larger than the
day range, padding slots keyed ``rank * K + K - 1`` (after every real day of that
series) and the tail keyed past every series.

``bounds`` gives what that search gives without searching (~20 scattered probes per
series were the drag path's largest single cost with a few hundred series): per block of
64 key days and series, ``block_starts`` holds the flat index of the series' first
observation in or after the block and ``block_days`` a bit per day that has one, so a
bound is one row read of each plus a popcount of the days before it in its block
(12 bytes per series per 64 days: ~16 MB for 6,000 series over 40 years).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_BLOCK_BITS = 6
_BLOCK = 1 << _BLOCK_BITS  # key days per block: one uint64 of day bits


def next_pow2(n: int) -> int:
    return 1 if n <= 1 else 1 << (int(n) - 1).bit_length()


@dataclass(frozen=True, eq=False)
class Layout:
    lengths: np.ndarray  # int64 (n_series,)
    offsets: np.ndarray  # int64 (n_series,), in input order
    days: np.ndarray  # int64 (size,), days since 1970-01-01; padding 0
    values: np.ndarray  # float64 (size,); padding 0.0
    keys: np.ndarray  # int64 (size,), globally sorted
    key_base: np.ndarray  # int64 (n_series,)
    day0: int
    key_span: int
    max_chunk: int  # largest P_s
    rank: np.ndarray  # int64 (n_series,): series s is the rank[s]-th chunk
    sorted_base: np.ndarray  # key_base in rank order
    block_starts: np.ndarray  # int32 (n_blocks, n_series): searchsorted(keys, base + 64 b)
    block_days: np.ndarray  # uint64 (n_blocks, n_series): bit t = an observation on key 64 b + t

    @property
    def size(self) -> int:
        return len(self.values)

    def bounds(self, start_day: int, end_day: int) -> tuple[np.ndarray, np.ndarray]:
        """Flat ``[lo, hi)`` of each series' observations dated within [start, end]."""
        # real days key 1..span-2; span-1 (padding) sorts after all of them
        qs = min(max(start_day - self.day0 + 1, 0), self.key_span - 1)
        qe = min(max(end_day - self.day0 + 1, 0), self.key_span - 2) + 1
        return self._position(qs), self._position(qe)

    def _position(self, q: int) -> np.ndarray:
        """Each series' flat index of its first observation keyed q or later."""
        b, t = q >> _BLOCK_BITS, q & (_BLOCK - 1)
        before = np.bitwise_count(self.block_days[b] & np.uint64((1 << t) - 1))
        return self.block_starts[b].astype(np.int64) + before

    def scatter(self, per_series: Sequence[np.ndarray], fill: float = np.nan) -> np.ndarray:
        """Per-series arrays (one value per observation) placed into the flat layout."""
        out = np.full(self.size, fill, dtype=np.float64)
        for off, n, arr in zip(self.offsets, self.lengths, per_series, strict=True):
            out[off : off + n] = arr
        return out


def build_layout(days: Sequence[np.ndarray], values: Sequence[np.ndarray]) -> Layout:
    """Lay out series given as int64 day arrays (strictly increasing) and float values."""
    lengths = np.array([len(d) for d in days], dtype=np.int64)
    chunks = np.array([next_pow2(int(n)) for n in lengths], dtype=np.int64)
    order = np.argsort(-chunks, kind="stable")
    offsets = np.zeros(len(days), dtype=np.int64)
    pos = 0
    for s in order:
        offsets[s] = pos
        pos += int(chunks[s])
    max_chunk = int(chunks.max()) if len(chunks) else 1
    # room for one slot past every chunk; a multiple of 2 * max_chunk for the drawdown table
    block = 2 * max_chunk
    size = -(-(pos + 1) // block) * block

    non_empty = [d for d in days if len(d)]
    day0 = int(min(int(d[0]) for d in non_empty)) if non_empty else 0
    day1 = int(max(int(d[-1]) for d in non_empty)) if non_empty else 0
    key_span = day1 - day0 + 3

    flat_days = np.zeros(size, dtype=np.int64)
    flat_values = np.zeros(size, dtype=np.float64)
    keys = np.full(size, len(days) * key_span, dtype=np.int64)
    rank = np.empty(len(days), dtype=np.int64)
    rank[order] = np.arange(len(days))
    key_base = rank * key_span
    for s in range(len(days)):
        off, n, p = int(offsets[s]), int(lengths[s]), int(chunks[s])
        flat_days[off : off + n] = days[s]
        flat_values[off : off + n] = values[s]
        keys[off : off + n] = key_base[s] + (np.asarray(days[s]) - day0 + 1)
        keys[off + n : off + p] = key_base[s] + key_span - 1
    return Layout(lengths, offsets, flat_days, flat_values, keys, key_base, day0, key_span,
                  max_chunk, rank, np.sort(key_base),
                  *_day_blocks(days, offsets, day0, key_span))


def _day_blocks(days: Sequence[np.ndarray], offsets: np.ndarray, day0: int,
                key_span: int) -> tuple[np.ndarray, np.ndarray]:
    """(block_starts, block_days) over blocks of 64 keys covering 0..key_span-1."""
    if offsets.size and int(offsets.max()) + max((len(d) for d in days), default=0) >= 2**31:
        raise ValueError("flat layout too large for int32 block starts")
    n_blocks = (key_span - 1) // _BLOCK + 1
    starts = np.empty((n_blocks, len(days)), dtype=np.int32)
    bits = np.zeros((n_blocks, len(days)), dtype=np.uint64)
    block_keys = _BLOCK * np.arange(n_blocks, dtype=np.int64)
    for s, d in enumerate(days):
        keys = np.asarray(d, dtype=np.int64) - day0 + 1
        starts[:, s] = offsets[s] + np.searchsorted(keys, block_keys, side="left")
        # keys are unique, so adding each day's bit is or-ing it
        np.add.at(bits[:, s], keys >> _BLOCK_BITS,
                  np.left_shift(np.uint64(1), (keys & (_BLOCK - 1)).astype(np.uint64)))
    return starts, bits

"""Merged group headers: a label merged over several sub-headers reaches each of them.

A desk sheet often heads its columns in two rows, a group label merged across the
columns of its sub-headers::

    Date | Russell 2000 (merged B1:C1) | Nasdaq-100 (merged D1:E1)
         | Long        | Short         | Long        | Short

The file holds the label in the merge's first cell only, so the stacked header of C
read "Short" (and E "Short" again). ``spread_group_labels`` copies the label into the
merge's other cells, so the columns read "Russell 2000 Short" and "Nasdaq-100 Short".

Only a group merge is spread: one row high, text, not starting in column A (a title
merged across the top of the sheet starts there), over a row holding at least two
sub-headers within its span. Data cells are never filled.
"""

from __future__ import annotations

import numpy as np

Merge = tuple[tuple[int, int], tuple[int, int]]  # ((row, col) first, (row, col) last), 0-based


def spread_group_labels(grid: np.ndarray, merges: list[Merge]) -> int:
    """Fill the group merges of ``grid`` in place; returns how many were spread."""
    rows, cols = grid.shape
    spread = 0
    for (r0, c0), (r1, c1) in merges:
        if r0 != r1 or c0 < 1 or c1 <= c0 or r0 + 1 >= rows or c0 >= cols:
            continue
        c1 = min(c1, cols - 1)
        label = grid[r0, c0]
        if not isinstance(label, str) or not label.strip():
            continue
        if any(_filled(x) for x in grid[r0, c0 + 1:c1 + 1]):
            continue
        below = grid[r0 + 1, c0:c1 + 1]
        if sum(isinstance(x, str) and bool(x.strip()) for x in below) < 2:
            continue
        grid[r0, c0 + 1:c1 + 1] = label
        spread += 1
    return spread


def merges_of(sheet) -> list[Merge]:
    """A calamine sheet's merged ranges ([] where the format or version gives none)."""
    try:
        found = sheet.merged_cell_ranges
    except Exception:  # noqa: BLE001 - merges only refine header names; never fail a read
        return []
    return [((int(a[0]), int(a[1])), (int(b[0]), int(b[1]))) for a, b in (found or [])]


def _filled(x: object) -> bool:
    return not (x is None or (isinstance(x, str) and not x.strip()))

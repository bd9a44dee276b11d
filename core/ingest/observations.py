"""Order and de-duplicate the dated rows of one series (or one sheet in wide layout).

Rows are sorted ascending with a stable sort (by full timestamp when the cells carried a
time, so "the last row of a day" is its latest time). Duplicate dates keep the last row
-- never an average -- and are reported with their cells. Newest-first or shuffled input
is reported as information; in a slashed-date column an out-of-order cell that would
fall into place with day and month swapped is flagged as a likely mixed-order entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.ingest.date_cells import DateColumn
from core.messages import Message, cell_name

MAX_DUP_MESSAGES = 5
MAX_SWAP_MESSAGES = 100


@dataclass
class Observations:
    days: np.ndarray  # datetime64[D] per data row, file order
    stamps: np.ndarray | None  # int64 ms per data row, when times were present
    rows: np.ndarray  # 0-based sheet rows
    date_col: int

    def subset(self, idx: np.ndarray) -> Observations:
        return Observations(self.days[idx], None if self.stamps is None else self.stamps[idx],
                            self.rows[idx], self.date_col)


@dataclass
class Arranged:
    obs: Observations
    order: np.ndarray | None  # None = already ascending
    keep: np.ndarray | None  # mask over sorted rows; None = no duplicates
    direction: str  # "ascending" | "descending" | "mixed"

    def take(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        days = self.obs.days
        if self.order is not None:
            days, values = days[self.order], values[self.order]
        if self.keep is not None:
            days, values = days[self.keep], values[self.keep]
        return days, values


def arrange(obs: Observations) -> Arranged:
    key = obs.stamps if obs.stamps is not None else obs.days.astype(np.int64)
    steps = np.diff(key)
    if len(steps) == 0 or np.all(steps >= 0):
        order, direction = None, "ascending"
    else:
        order = np.argsort(key, kind="stable")  # ties keep file order: "last" = last in file
        direction = "descending" if np.all(steps <= 0) else "mixed"
    days_sorted = obs.days if order is None else obs.days[order]
    d = days_sorted.astype(np.int64)
    dup = d[1:] == d[:-1]
    keep = None
    if dup.any():
        keep = np.append(~dup, True)
    return Arranged(obs, order, keep, direction)


def report_order(ctx, arranged: Arranged, label: str | None, say: Callable[[Message], None],
                 dcol: DateColumn | None = None) -> None:
    obs = arranged.obs
    dc = obs.date_col
    where = f" for {label}" if label else ""
    if arranged.direction == "descending":
        say(ctx.msg("info", cell_name(int(obs.rows[0]), dc), f"dates run newest first{where}; "
                    "sorted ascending"))
    elif arranged.direction == "mixed":
        key = obs.stamps if obs.stamps is not None else obs.days.astype(np.int64)
        bad = int(np.flatnonzero(np.diff(key) < 0)[0]) + 1
        say(ctx.msg("info", cell_name(int(obs.rows[bad]), dc), f"dates are not in order{where} "
                    f"({obs.days[bad]} comes after {obs.days[bad - 1]}); sorted ascending"))
        if dcol is not None and dcol.order in ("MDY", "DMY") and dcol.ambiguous_rows is not None:
            _report_swapped(ctx, obs, dcol, say)
    if arranged.keep is not None:
        _report_duplicates(ctx, arranged, where, say)


def _report_duplicates(ctx, arranged: Arranged, where: str, say) -> None:
    obs = arranged.obs
    order = arranged.order if arranged.order is not None else np.arange(len(obs.days))
    rows = obs.rows[order]
    days = obs.days[order]
    dropped = np.flatnonzero(~arranged.keep)
    intraday = obs.stamps is not None
    groups: list[tuple[np.datetime64, list[int]]] = []
    i = 0
    while i < len(dropped):
        j = i
        while j + 1 < len(dropped) and dropped[j + 1] == dropped[j] + 1:
            j += 1
        span = list(range(int(dropped[i]), int(dropped[j]) + 2))
        groups.append((days[span[0]], [int(rows[k]) for k in span]))
        i = j + 1
    dc = obs.date_col
    for day, grp in groups[:MAX_DUP_MESSAGES]:
        cells = [cell_name(r, dc) for r in grp]
        kept = cells[-1]
        shown = ", ".join(cells[:-1][:8]) + (" …" if len(cells) > 9 else "")
        what = "latest time of the day" if intraday else "last"
        say(ctx.msg("warning", cells[0], f"duplicate date {day}{where} in {len(cells)} rows "
                    f"({', '.join(cells[:3])}{' …' if len(cells) > 3 else ''}): kept the {what} "
                    f"({kept}), dropped {shown}; values are not averaged"))
    if len(groups) > MAX_DUP_MESSAGES:
        extra = groups[MAX_DUP_MESSAGES:]
        say(ctx.msg("warning", None, f"{len(extra)} more duplicate dates{where} "
                    f"({sum(len(g) - 1 for _, g in extra)} rows dropped); kept the last of each"))


def _report_swapped(ctx, obs: Observations, dcol: DateColumn, say) -> None:
    """Flag out-of-order ambiguous cells that fit in order with day and month swapped."""
    d = obs.days.astype(np.int64)
    n = len(d)
    if n < 3 or np.count_nonzero(np.diff(d) > 0) < np.count_nonzero(np.diff(d) < 0):
        return
    found: list[tuple[int, np.datetime64, np.datetime64]] = []
    for i in np.flatnonzero(np.diff(d) < 0) + 1:
        for k in (int(i) - 1, int(i)):
            r = int(obs.rows[k])
            if not dcol.ambiguous_rows[r] or k == 0 or k == n - 1:
                continue
            swapped = _swap(obs.days[k])
            if swapped is None or not (d[k - 1] <= swapped.astype(np.int64) <= d[k + 1]):
                continue
            found.append((r, obs.days[k], swapped))
            break
    other = "day/month" if dcol.order == "MDY" else "month/day"
    for r, day, swapped in found[:MAX_SWAP_MESSAGES]:
        say(ctx.msg("warning", cell_name(r, obs.date_col), f"{day} is out of order; read as "
                    f"{other} it would be {swapped} and in order: the column seems to mix date "
                    f"orders. Kept {day}; check the source"))
    if len(found) > MAX_SWAP_MESSAGES:
        say(ctx.msg("warning", None, f"{len(found) - MAX_SWAP_MESSAGES} more dates look like "
                    f"{other} entries in a {dcol.order} column"))


def _swap(day: np.datetime64) -> np.datetime64 | None:
    y, m, d = str(day).split("-")
    if int(d) > 12:
        return None
    try:
        return np.datetime64(f"{y}-{int(d):02d}-{int(m):02d}", "D")
    except ValueError:
        return None

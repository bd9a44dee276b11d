"""What changed when a file was reloaded: per series, dates added, dates removed and
past values revised (old -> new). Series that appeared or disappeared are changes too."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from core.catalog import LoadResult
from core.series import Series


@dataclass
class SeriesChange:
    series_id: str
    status: str  # "added" | "removed" | "changed"
    dates_added: np.ndarray = field(default_factory=lambda: np.array([], dtype="datetime64[D]"))
    dates_removed: np.ndarray = field(default_factory=lambda: np.array([], dtype="datetime64[D]"))
    revisions: list[tuple[np.datetime64, float, float]] = field(default_factory=list)

    def describe(self) -> str:
        if self.status != "changed":
            return f"{self.series_id}: series {self.status}"
        parts = []
        if len(self.dates_added):
            parts.append(f"{len(self.dates_added)} dates added (to {self.dates_added[-1]})")
        if len(self.dates_removed):
            parts.append(f"{len(self.dates_removed)} dates removed")
        if self.revisions:
            d, old, new = self.revisions[0]
            parts.append(f"{len(self.revisions)} past values revised (e.g. {d}: {old:g} -> {new:g})")
        return f"{self.series_id}: " + "; ".join(parts)


def diff_results(old: LoadResult, new: LoadResult) -> list[SeriesChange]:
    """Changes from ``old`` to ``new`` (same file reloaded), in ``new``'s series order
    followed by removed series. Unchanged series are not listed."""
    before = {s.id: s for s in old.series}
    after = {s.id: s for s in new.series}
    out: list[SeriesChange] = []
    for sid, s in after.items():
        if sid not in before:
            out.append(SeriesChange(sid, "added", dates_added=s.dates.copy()))
            continue
        change = diff_series(before[sid], s)
        if change is not None:
            out.append(change)
    out.extend(SeriesChange(sid, "removed", dates_removed=s.dates.copy())
               for sid, s in before.items() if sid not in after)
    return out


def diff_series(old: Series, new: Series) -> SeriesChange | None:
    common, i_old, i_new = np.intersect1d(old.dates, new.dates, assume_unique=True,
                                          return_indices=True)
    added = np.setdiff1d(new.dates, old.dates, assume_unique=True)
    removed = np.setdiff1d(old.dates, new.dates, assume_unique=True)
    a, b = old.values[i_old], new.values[i_new]
    differs = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    revisions = [(common[k], float(a[k]), float(b[k])) for k in np.flatnonzero(differs)]
    if not len(added) and not len(removed) and not revisions:
        return None
    return SeriesChange(old.id, "changed", added, removed, revisions)

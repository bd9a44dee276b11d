"""Today's target range from FRED's DFEDTARL / DFEDTARU series when they are loaded.

The bundled ``fed_target_range.csv`` ends at the last change someone typed in; FRED's
daily lower and upper limits (a ``main.py fetch fred`` download or a fredgraph.csv the user
opens) run to yesterday. The file wins for every date it covers (it is the user's to
edit); each change FRED shows after the file's last row is added, with a note.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from core.messages import Message
from core.rates.target_range import TargetRangeHistory
from core.series import Series

LOWER_CODE, UPPER_CODE = "DFEDTARL", "DFEDTARU"


def fred_limit_series(series: Iterable[Series]) -> tuple[Series | None, Series | None]:
    """The loaded DFEDTARL and DFEDTARU series (by FRED code in the column or the id)."""
    found: dict[str, Series] = {}
    for s in series:
        for code in (LOWER_CODE, UPPER_CODE):
            names = (s.source.column or "", s.id.rsplit(":", 1)[-1], s.name)
            if code not in found and any(n.strip().upper() == code for n in names) and len(s):
                found[code] = s
    return found.get(LOWER_CODE), found.get(UPPER_CODE)


def with_fred_changes(history: TargetRangeHistory, series: Iterable[Series]
                      ) -> TargetRangeHistory:
    """``history`` plus the range changes FRED shows after its last row (same object
    when FRED's limits are not loaded or show nothing later)."""
    lower, upper = fred_limit_series(series)
    if lower is None or upper is None:
        return history
    days = np.intersect1d(lower.dates, upper.dates)
    lo = lower.values[np.searchsorted(lower.dates, days)]
    hi = upper.values[np.searchsorted(upper.dates, days)]
    ok = np.isfinite(lo) & np.isfinite(hi) & (hi > lo)
    days, lo, hi = days[ok], lo[ok], hi[ok]
    last = history.last_date
    if not len(days) or (last is not None and days[-1] <= last):
        return history
    # FRED dates each limit by the day it is in force; a change is a day unlike the one before
    changed = np.r_[True, (np.diff(lo) != 0) | (np.diff(hi) != 0)]
    rows = [(d, a, b) for d, a, b, c in zip(days, lo, hi, changed, strict=True) if c]
    if last is not None:
        before = history.range_at(last)
        rows = [r for r in rows if r[0] > last]
        # the file's last range carried on into FRED's span is no change
        rows = [r for k, r in enumerate(rows)
                if not (k == 0 and before is not None and (r[1], r[2]) == before)]
    if not rows:
        return history
    file = lower.source.file
    listed = ", ".join(f"{d} {a:.2f}-{b:.2f}" for d, a, b in rows[:4])
    more = f" and {len(rows) - 4} more" if len(rows) > 4 else ""
    note = Message("info", file, lower.source.sheet, None,
                   f"target range changes after {last} taken from FRED {LOWER_CODE}/"
                   f"{UPPER_CODE}: {listed}{more}")  # type: ignore[arg-type]
    return TargetRangeHistory(
        np.r_[history.dates, np.array([r[0] for r in rows], dtype="datetime64[D]")],
        np.r_[history.lower, [r[1] for r in rows]],
        np.r_[history.upper, [r[2] for r in rows]],
        source=history.source, messages=[*history.messages, note],
    )

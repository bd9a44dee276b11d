"""Dated weekly CSV exports of one desk template, for the vintage-store tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

START = dt.date(2025, 1, 7)  # a Tuesday


def week(w: int) -> str:
    return (START + dt.timedelta(weeks=w)).isoformat()


def write_export(folder: Path, day: str, weeks: int, revise: dict[int, float] | None = None,
                 drop: set[int] | None = None, series: int = 2) -> Path:
    """``desk_positioning_<day>.csv``: ``weeks`` Tuesdays from START; column ``S<k>`` =
    1000 * k + week (``revise``: week -> new S1 value; ``drop``: weeks left out)."""
    lines = ["Date," + ",".join(f"S{k}" for k in range(1, series + 1))]
    for w in range(weeks):
        if drop and w in drop:
            continue
        values = [float(1000 * k + w) for k in range(1, series + 1)]
        if revise and w in revise:
            values[0] = revise[w]
        lines.append(week(w) + "," + ",".join(f"{v:g}" for v in values))
    path = folder / f"desk_positioning_{day}.csv"
    path.write_text("\n".join(lines) + "\n")
    return path

"""FRED's keyless fredgraph CSV of DFEDTARU, DFEDTARL (target range bounds, daily since
2008-12-16) and EFFR (effective rate): fetched, stored raw, read back as a target-range
history of change dates and as series for the catalog.

Both FRED header styles are read (``observation_date,...`` now, ``DATE,...`` before),
missing values may be empty or ``.``; a body without both bound columns is refused.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from core.catalog import LoadResult
from core.public_data.http_client import FetchFailed, HttpClient
from core.public_data.outcome import BadDownload, SourceOutcome, fetch_one, looks_like_html
from core.public_data.sources import base_url
from core.public_data.store import SourceStore
from core.series import Frequency, Series, SeriesSource

SERIES_IDS = ("DFEDTARU", "DFEDTARL", "EFFR")
STORED_NAME = "fredgraph_DFEDTARU_DFEDTARL_EFFR.csv"
GROUP_LABEL = "Public data: FRED target range and EFFR"
_NAMES = {"DFEDTARU": "Fed funds target range, upper bound (FRED DFEDTARU)",
          "DFEDTARL": "Fed funds target range, lower bound (FRED DFEDTARL)",
          "EFFR": "Effective federal funds rate (FRED EFFR)"}


@dataclass
class FredTable:
    dates: np.ndarray  # datetime64[D], sorted
    columns: dict[str, np.ndarray]  # id -> float values (NaN missing)


def fred_url() -> str:
    base = base_url("fred")
    return base + ("&" if "?" in base else "?") + "id=" + ",".join(SERIES_IDS)


def parse_fredgraph(data: bytes, label: str = STORED_NAME) -> FredTable:
    if looks_like_html(data):
        raise BadDownload(f"{label} is an HTML page, not FRED's CSV (status 200)", "html")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadDownload(f"{label} is not text") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise BadDownload(f"{label} is empty")
    header = [h.strip() for h in rows[0]]
    if header[0].lower() not in ("observation_date", "date"):
        raise BadDownload(f"{label}: first column is {header[0]!r}, not observation_date/DATE")
    missing = [s for s in ("DFEDTARU", "DFEDTARL") if s not in header]
    if missing:
        raise BadDownload(f"{label} has no {', '.join(missing)} column")
    dates, cols = [], {h: [] for h in header[1:] if h in SERIES_IDS}
    where = {h: header.index(h) for h in cols}
    for k, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = np.datetime64(row[0].strip(), "D")
        except ValueError:
            raise BadDownload(f"{label} row {k}: {row[0]!r} is not a date") from None
        dates.append(day)
        for h, i in where.items():
            cell = row[i].strip() if i < len(row) else ""
            try:
                cols[h].append(float(cell) if cell not in ("", ".") else np.nan)
            except ValueError:
                raise BadDownload(f"{label} row {k}, {h}: {cell!r} is not a number") from None
    order = np.argsort(np.array(dates, dtype="datetime64[D]"), kind="stable")
    table = FredTable(np.array(dates, dtype="datetime64[D]")[order],
                      {h: np.array(v, dtype=np.float64)[order] for h, v in cols.items()})
    both = ~np.isnan(table.columns["DFEDTARU"]) & ~np.isnan(table.columns["DFEDTARL"])
    if not both.any():
        raise BadDownload(f"{label} has no day with both target-range bounds")
    return table


def update_fred(client: HttpClient, store: SourceStore | None = None) -> SourceOutcome:
    store = store or SourceStore("fred")
    out = SourceOutcome("fred")
    start = client.bytes_received
    entry = store.entry(STORED_NAME)
    kept = f"; kept the copy fetched {entry.fetched_at[:10]}" if entry else ""
    try:
        status, _ = fetch_one(client, store, STORED_NAME, fred_url(), parse_fredgraph)
    except (FetchFailed, BadDownload) as exc:
        out.failed.append(f"{exc}{kept}")
        status = None
    if status == "missing":
        out.failed.append(f"{fred_url()}: not found (404){kept}")
    elif status is not None:
        (out.updated if status == "updated" else out.current).append(STORED_NAME)
    out.bytes_received = client.bytes_received - start
    out.stored = len(store.entries())
    ranges = load_fetched_target_ranges(store)
    if ranges is not None:
        out.summary = (f"target range {ranges.dates[0]}..{ranges.covered_until}, "
                       f"now {ranges.lower[-1]:.2f}-{ranges.upper[-1]:.2f}")
    return out


def stored_table(store: SourceStore | None = None) -> FredTable | None:
    store = store or SourceStore("fred")
    if store.entry(STORED_NAME) is None:
        return None
    try:
        return parse_fredgraph(store.read(STORED_NAME))
    except (OSError, BadDownload):
        return None


def load_fetched_target_ranges(store: SourceStore | None = None):
    """The fetched range as a ``TargetRangeHistory`` of change dates (first day of each
    new range), with ``covered_until`` = FRED's last day with both bounds; or None."""
    from core.rates.target_range import TargetRangeHistory

    table = stored_table(store)
    if table is None:
        return None
    up, low = table.columns["DFEDTARU"], table.columns["DFEDTARL"]
    ok = ~np.isnan(up) & ~np.isnan(low)
    dates, up, low = table.dates[ok], up[ok], low[ok]
    change = np.r_[True, (up[1:] != up[:-1]) | (low[1:] != low[:-1])]
    entry = (store or SourceStore("fred")).entry(STORED_NAME)
    history = TargetRangeHistory(dates[change], low[change], up[change],
                                 source=f"FRED DFEDTARL/DFEDTARU (fetched "
                                        f"{entry.fetched_at[:10] if entry else '?'})")
    history.covered_until = dates[-1]
    return history


def fred_result(store: SourceStore | None = None) -> LoadResult | None:
    """EFFR and the two bounds as catalog series (ids ``fred:<FRED id>``)."""
    table = stored_table(store)
    if table is None:
        return None
    series = []
    for sid, values in table.columns.items():
        keep = ~np.isnan(values)
        if not keep.any():
            continue
        series.append(Series(id=f"fred:{sid}", name=_NAMES[sid], unit="percent",
                             frequency=Frequency.DAILY,
                             source=SeriesSource(STORED_NAME, None, sid),
                             dates=table.dates[keep], values=values[keep], kind="rate",
                             meta={"fred_id": sid, "public": "fred"}))
    return LoadResult(file=GROUP_LABEL, series=series)

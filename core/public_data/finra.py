"""FINRA equity short interest, fetched: ``shrtYYYYMMDD.csv`` (pipe-delimited despite the
name) for the twice-monthly settlement dates in a range. FINRA settles mid-month (the
15th, or the business day before) and at month end (the last business day, earlier
around holidays), so each half-month gets a few candidate dates, newest first, and
404s are skipped until one answers.

Raw files are kept byte for byte (gzip-compressed on disk, restored exactly on read);
the rows of the symbol list (default IWM, QQQ, SPY; the user's list is remembered) are
kept as ``short_interest_rows.csv`` for the short-interest history.
``stored_short_interest()`` returns them as a DataFrame with columns
``symbol, settlement_date, shares_short, avg_daily_volume, days_to_cover``.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json

import numpy as np
import pandas as pd

from core.public_data.http_client import FetchFailed, HttpClient
from core.public_data.outcome import BadDownload, SourceOutcome, fetch_one, looks_like_html
from core.public_data.sources import file_url
from core.public_data.store import SourceStore

DEFAULT_SYMBOLS = ("IWM", "QQQ", "SPY")
ROWS_FILE = "short_interest_rows.csv"
SYMBOLS_FILE = "symbols.json"
COLUMNS = ["symbol", "settlement_date", "shares_short", "avg_daily_volume", "days_to_cover"]
_FIELDS = {"symbol": "symbolCode", "settlement_date": "settlementDate",
           "shares_short": "currentShortPositionQuantity",
           "avg_daily_volume": "averageDailyVolumeQuantity", "days_to_cover": "daysToCoverQuantity"}
CANDIDATES_PER_PERIOD = 4
PUBLICATION_DAYS = 14  # FINRA publishes ~8 business days after settlement
_NO_NETWORK = ("connection refused", "timeout", "cannot connect")


def file_name(day: dt.date) -> str:
    return f"shrt{day:%Y%m%d}.csv"


def _weekday_on_or_before(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def candidate_dates(year: int, month: int, half: int) -> list[dt.date]:
    """Settlement-date candidates for one half-month, likeliest first."""
    nominal = dt.date(year, month, 15 if half == 1 else calendar.monthrange(year, month)[1])
    day = _weekday_on_or_before(nominal)
    out = [day]
    while len(out) < CANDIDATES_PER_PERIOD:
        day = _weekday_on_or_before(day - dt.timedelta(days=1))
        out.append(day)
    return out


def periods(years: list[int], today: dt.date) -> list[tuple[int, int, int]]:
    return [(y, m, h) for y in sorted(set(years)) for m in range(1, 13) for h in (1, 2)
            if candidate_dates(y, m, h)[-1] <= today]


def parse_finra(data: bytes, label: str = "FINRA file") -> list[dict]:
    """All rows (every symbol) as dicts of COLUMNS; ``BadDownload`` when not FINRA's."""
    if looks_like_html(data):
        raise BadDownload(f"{label} is an HTML page, not FINRA's pipe file (status 200)", "html")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    reader = csv.reader(io.StringIO(text), delimiter="|")
    header = next(reader, None)
    if not header:
        raise BadDownload(f"{label} is empty")
    where = {h.strip(): i for i, h in enumerate(header)}
    missing = [f for f in ("symbolCode", "settlementDate", "currentShortPositionQuantity")
               if f not in where]
    if missing:
        raise BadDownload(f"{label} has no {', '.join(missing)} column (not FINRA's short "
                          "interest format)")
    rows = []
    for cells in reader:
        if len(cells) < len(header):
            continue
        row = {}
        for key, field in _FIELDS.items():
            i = where.get(field)
            row[key] = cells[i].strip() if i is not None else ""
        if row["symbol"]:
            rows.append(row)
    if not rows:
        raise BadDownload(f"{label} has a header but no rows (a placeholder)")
    return rows


def saved_symbols(store: SourceStore) -> list[str]:
    try:
        return list(json.loads(store.extra_path(SYMBOLS_FILE).read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return list(DEFAULT_SYMBOLS)


def update_finra(client: HttpClient, *, years: list[int] | None = None,
                 symbols: list[str] | None = None, today: dt.date | None = None,
                 store: SourceStore | None = None, progress=None) -> SourceOutcome:
    today = today or dt.date.today()
    store = store or SourceStore("finra")
    years = years if years is not None else [today.year - 1, today.year]
    out = SourceOutcome("finra")
    start = client.bytes_received
    stored_days = {n[4:12] for n in store.entries()}
    todo = periods(years, today)
    missing_periods = []
    for k, (y, m, h) in enumerate(todo):
        if progress is not None:
            progress(k / max(len(todo), 1), f"FINRA {y}-{m:02d} {'mid' if h == 1 else 'end'}")
        cands = candidate_dates(y, m, h)
        if any(f"{d:%Y%m%d}" in stored_days for d in cands):
            out.current.append(f"{y}-{m:02d}/{h}")
            continue
        found = False
        for day in (d for d in cands if d <= today):
            name = file_name(day)
            try:
                status, _ = fetch_one(client, store, name, file_url("finra", name),
                                      lambda b, n=name: parse_finra(b, n), compress=True)
            except (FetchFailed, BadDownload) as exc:
                out.failed.append(str(exc))
                found = True
                break
            if status != "missing":
                (out.updated if status == "updated" else out.current).append(name)
                found = True
                break
        if not found:
            recent = (today - cands[0]).days < PUBLICATION_DAYS
            half = "mid-month" if h == 1 else "month-end"
            missing_periods.append((f"{y}-{m:02d} {half}", recent))
        if out.failed and any(w in out.failed[-1] for w in _NO_NETWORK):
            break  # no network: one message, not one per half-month
    old = [p for p, recent in missing_periods if not recent]
    new = [p for p, recent in missing_periods if recent]
    if new:
        out.notes.append(f"not published yet: {', '.join(new)}")
    if old and not out.updated and not out.current and not out.failed:
        # Not one file in the whole range: the base URL or FINRA's layout is wrong.
        out.failed.append(f"no short-interest file found for any of {len(old)} past "
                          f"half-month(s) at {file_url('finra', '')} (404 for every candidate "
                          "date); check GAPWATCH_FINRA_URL")
    elif old:
        out.notes.append(f"no FINRA file found for {len(old)} half-month(s) "
                         f"({', '.join(old[:3])}{', ...' if len(old) > 3 else ''}); skipped")
    out.bytes_received = client.bytes_received - start
    out.stored = len(store.entries())
    wanted = [s.upper() for s in symbols] if symbols else saved_symbols(store)
    stale = (out.updated or wanted != saved_symbols(store)
             or not store.extra_path(ROWS_FILE).exists())
    if stale and store.entries():
        rebuild_rows(store, wanted)
    frame = stored_short_interest(store)
    if len(frame):
        out.summary = (f"{frame['symbol'].nunique()} symbols, settlement dates "
                       f"{frame['settlement_date'].min():%Y-%m-%d}..{frame['settlement_date'].max():%Y-%m-%d}")
    return out


def rebuild_rows(store: SourceStore, symbols: list[str]) -> None:
    """Rows of ``symbols`` from every stored raw file -> ``short_interest_rows.csv``."""
    keep = set(symbols)
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow(COLUMNS)
    for name in sorted(store.entries()):
        for row in parse_finra(store.read(name), name):
            if row["symbol"] in keep:
                writer.writerow([row[c] for c in COLUMNS])
    store.write_extra(ROWS_FILE, lines.getvalue().encode())
    store.write_extra(SYMBOLS_FILE, json.dumps(symbols).encode())


def stored_short_interest(store: SourceStore | None = None) -> pd.DataFrame:
    """The stored FINRA rows: one row per symbol and settlement date, sorted; columns
    ``symbol`` (str), ``settlement_date`` (datetime64), ``shares_short``,
    ``avg_daily_volume``, ``days_to_cover`` (float; NaN where FINRA left it blank)."""
    store = store or SourceStore("finra")
    try:
        frame = pd.read_csv(store.extra_path(ROWS_FILE), dtype={"symbol": str},
                            keep_default_na=False, na_values=[""])
    except (OSError, ValueError):
        return _empty_frame()
    if set(COLUMNS) - set(frame.columns):  # not our file (edited by hand?): nothing usable
        return _empty_frame()
    frame["settlement_date"] = pd.to_datetime(frame["settlement_date"].astype(str),
                                              format="mixed", errors="coerce")
    for c in ("shares_short", "avg_daily_volume", "days_to_cover"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(np.float64)
    frame = frame.dropna(subset=["settlement_date"])
    frame = frame.drop_duplicates(["symbol", "settlement_date"], keep="last")
    return frame.sort_values(["symbol", "settlement_date"]).reset_index(drop=True)[COLUMNS]


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame({"symbol": pd.Series(dtype=object),
                         "settlement_date": pd.Series(dtype="datetime64[ns]"),
                         **{c: pd.Series(dtype="float64") for c in COLUMNS[2:]}})


GROUP_LABEL = "Public data: FINRA short interest"
_SERIES = {"shares_short": ("shares", "Short interest"),
           "days_to_cover": ("days", "Days to cover")}


def finra_result(store: SourceStore | None = None):
    """The stored rows as catalog series ``si:<symbol>:shares_short`` and
    ``si:<symbol>:days_to_cover`` (INTERFACES.md ids; twice monthly, published ~8
    business days after settlement), or None when nothing is stored."""
    from core.catalog import LoadResult
    from core.series import Frequency, PublicationLag, Series, SeriesSource

    frame = stored_short_interest(store)
    if not len(frame):
        return None
    series = []
    for symbol, rows in frame.groupby("symbol", sort=True):
        dates = rows["settlement_date"].to_numpy().astype("datetime64[D]")
        for measure, (unit, label) in _SERIES.items():
            values = rows[measure].to_numpy(dtype=np.float64)
            keep = ~np.isnan(values)
            if not keep.any():
                continue
            series.append(Series(
                id=f"si:{symbol}:{measure}", name=f"{label}, {symbol} (FINRA)", unit=unit,
                frequency=Frequency.TWICE_MONTHLY, source=SeriesSource(ROWS_FILE, None, measure),
                dates=dates[keep], values=values[keep], kind="short_interest",
                publication_lag=PublicationLag(business_days=8),
                meta={"ticker": symbol, "public": "finra"}))
    return LoadResult(file=GROUP_LABEL, series=series)

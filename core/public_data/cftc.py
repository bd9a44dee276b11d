"""CFTC Traders in Financial Futures, fetched: the yearly history archives
(``fut_fin_txt_YYYY.zip`` futures-only, ``com_fin_txt_YYYY.zip`` futures+options) and the
2006-2016 bundles (``fin_fut_txt_2006_2016.zip``, ``fin_com_txt_2006_2016.zip``).

Each archive is checked and parsed by the existing CFTC ingestion (``core.ingest.cftc``:
the same ``parse_cftc`` a dropped TFF .txt goes through) before it may replace the stored
copy, and the stored archives merge into one history per series id with
``core.ingest.cftc_merge`` (keyed by contract code, so renames do not split a market).
The merged history is cached in the parse cache, keyed by the archives' sha256.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
import zlib

from core.catalog import LoadResult
from core.ingest import readers
from core.ingest.cache import PARSER_VERSION, ParseCache
from core.ingest.cftc import find_cftc_header, parse_cftc
from core.ingest.cftc_merge import merge_cftc
from core.ingest.sheet_series import SheetContext
from core.messages import Message
from core.public_data.http_client import FetchFailed, HttpClient
from core.public_data.outcome import BadDownload, SourceOutcome, fetch_one, looks_like_html
from core.public_data.sources import file_url
from core.public_data.store import SourceStore

FIRST_YEAR = 2006
BUNDLE_LAST_YEAR = 2016
REPORTS = {  # report -> (yearly archive, bundle up to 2016)
    "futures": ("fut_fin_txt_{year}.zip", "fin_fut_txt_2006_2016.zip"),
    "combined": ("com_fin_txt_{year}.zip", "fin_com_txt_2006_2016.zip"),
    # Legacy futures-only (Commercial/Noncommercial; all markets, from 1986): opt-in.
    "legacy": ("deacot{year}.zip", "deacot1986_2016.zip"),
}
REPORT_FIRST_YEAR = {"futures": FIRST_YEAR, "combined": FIRST_YEAR, "legacy": 1986}
DEFAULT_REPORTS = ("futures", "combined")
BUNDLES = {bundle for _, bundle in REPORTS.values()}
LEGACY_NAMES = re.compile(r"^deacot\d{4}(_\d{4})?\.zip$")
MAX_MEMBER_BYTES = 512 * 1024 * 1024
HISTORY_CACHE_VERSION = "public-cftc-1"
GROUP_PREFIX = "Public data: CFTC TFF"


def archive_year(name: str) -> int | None:
    """2024 for ``fut_fin_txt_2024.zip``; 2016 (its last year) for a bundle."""
    m = re.search(r"(\d{4})\.zip$", name)
    return int(m.group(1)) if m else None


def plan_archives(years: list[int], reports: tuple[str, ...], stored: set[str],
                  today: dt.date) -> list[tuple[str, int]]:
    """(archive, year) to ask for. Stored archives of years before last year are final and
    not asked again; the bundle once stored never changes."""
    plan: list[tuple[str, int]] = []
    for report in reports:
        yearly, bundle = REPORTS[report]
        wanted = sorted({y for y in years if REPORT_FIRST_YEAR[report] <= y <= today.year})
        if any(y <= BUNDLE_LAST_YEAR for y in wanted) and bundle not in stored:
            plan.append((bundle, BUNDLE_LAST_YEAR))
        for y in wanted:
            if y <= BUNDLE_LAST_YEAR:
                continue
            name = yearly.format(year=y)
            if name in stored and y < today.year - 1:
                continue
            plan.append((name, y))
    return plan


def parse_archive(name: str, data: bytes) -> LoadResult:
    """One archive's bytes -> its series, or ``BadDownload`` saying what is wrong. A
    ``deacot*`` archive must hold a Legacy report, every other one a TFF report."""
    if not data:
        raise BadDownload(f"{name} is empty (0 bytes)", "placeholder")
    if looks_like_html(data):
        raise BadDownload(f"{name} is an HTML page, not a zip archive (the server sent an "
                          "error or notice page with status 200)", "html")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadDownload(f"{name} is not a complete zip archive ({len(data):,} bytes; a "
                          "truncated download, or the file is still being published)",
                          "truncated") from None
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir()]
        texts = [i for i in members if i.filename.lower().endswith(".txt")] or members
        if not texts or texts[0].file_size == 0:
            raise BadDownload(f"{name} is an empty placeholder archive (no report inside yet)",
                              "placeholder")
        info = texts[0]
        if info.file_size > MAX_MEMBER_BYTES:
            raise BadDownload(f"{name}: {info.filename} unpacks to {info.file_size / 1e6:.0f} MB; "
                              "refused")
        try:
            text = zf.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise BadDownload(f"{name} is damaged ({info.filename}: {exc})", "truncated") from None
    label = f"{name}/{info.filename}"
    try:
        sheet = readers.read_text_table(text)
    except (readers.ReadError, UnicodeError, ValueError) as exc:
        raise BadDownload(f"{label} cannot be read: {exc}") from None
    header = find_cftc_header(sheet.grid)
    if header is None:
        raise BadDownload(f"{label} is not a CFTC report (no CFTC_Contract_Market_Code and "
                          "Market_and_Exchange_Names columns)")
    ctx = SheetContext(label, info.filename.rsplit(".", 1)[0], readers.CSV_SHEET)
    out = parse_cftc(sheet.grid, header, ctx)
    errors = [m.text for m in out.messages if m.level == "error"]
    if errors:
        raise BadDownload(f"{label}: {errors[0]}")
    if not out.series:
        raise BadDownload(f"{name} is an empty placeholder archive (a header but no report rows)",
                          "placeholder")
    is_tff = any(":lev_money:" in s.id for s in out.series)
    if LEGACY_NAMES.match(name) and is_tff:
        raise BadDownload(f"{label} is a Traders in Financial Futures report, not Legacy")
    if not LEGACY_NAMES.match(name) and not is_tff:
        raise BadDownload(f"{label} is a Legacy report, not Traders in Financial Futures")
    kept = [m for m in out.messages if m.level != "info"]
    return LoadResult(file=label, series=out.series, messages=kept)


def update_cftc(client: HttpClient, *, years: list[int] | None = None,
                reports: tuple[str, ...] = DEFAULT_REPORTS, today: dt.date | None = None,
                store: SourceStore | None = None,
                progress=None) -> SourceOutcome:
    today = today or dt.date.today()
    store = store or SourceStore("cftc")
    first = min(REPORT_FIRST_YEAR[r] for r in reports)
    years = years if years is not None else list(range(first, today.year + 1))
    out = SourceOutcome("cftc")
    plan = plan_archives(years, reports, set(store.entries()), today)
    start_bytes = client.bytes_received
    parsed: dict[str, LoadResult] = {}  # just checked: the history build need not parse again
    for k, (name, year) in enumerate(plan):
        if progress is not None:
            progress(k / max(len(plan), 1), f"CFTC {name}")
        kept = _kept_phrase(store, name)

        def bytes_progress(got: int, total: int | None, k: int = k, name: str = name) -> None:
            if progress is not None and total:
                progress((k + min(1.0, got / total)) / len(plan),
                         f"CFTC {name} {got / 1e6:.1f}/{total / 1e6:.1f} MB")

        new_year = year == today.year and today.month <= 1
        try:
            status, result = fetch_one(client, store, name, file_url("cftc", name),
                                       lambda b, n=name: parse_archive(n, b),
                                       progress=bytes_progress)
        except FetchFailed as exc:
            out.failed.append(f"{name}: {exc}{kept}")
            continue
        except BadDownload as exc:
            if new_year and exc.kind in ("placeholder", "truncated"):
                out.notes.append(f"{exc}; the new year's archive is not ready yet (normal in "
                                 f"early January){kept}")
            else:
                out.failed.append(f"{exc}{kept}")
            continue
        if status == "missing":
            if new_year and not kept:
                out.notes.append(f"{name} is not published yet (404; normal in early January)")
            else:
                out.failed.append(f"{name}: not found at {file_url('cftc', name)} (404){kept}")
        else:
            (out.updated if status == "updated" else out.current).append(name)
            if result is not None:
                parsed[name] = result
    out.bytes_received = client.bytes_received - start_bytes
    out.stored = len(store.entries())
    history = load_history(store, parsed=parsed) if store.entries() else None
    if history is not None:
        out.summary = history_summary(history)
        late = delay_note(history, today)
        if late:
            out.notes.append(late)
    return out


def _kept_phrase(store: SourceStore, name: str) -> str:
    entry = store.entry(name)
    return f"; kept the copy fetched {entry.fetched_at[:10]}" if entry else ""


def history_summary(history: LoadResult) -> str:
    firsts = [s.first_date for s in history.series if len(s)]
    lasts = [s.last_date for s in history.series if len(s)]
    if not lasts:
        return "no series"
    markets = {s.meta.get("cftc_code") for s in history.series}
    return f"history {min(firsts)}..{max(lasts)}, {len(markets)} markets"


def delay_note(history: LoadResult, today: dt.date) -> str | None:
    """A report delayed by weeks (a shutdown, a holiday backlog) is a note, not a failure."""
    lasts = [s.last_date for s in history.series if len(s)]
    if not lasts:
        return None
    newest = dt.date.fromisoformat(str(max(lasts)))
    # Tuesday's report comes out on Friday: the newest one due is the Tuesday 3+ days back.
    due = today - dt.timedelta(days=3)
    due -= dt.timedelta(days=(due.weekday() - 1) % 7)
    weeks = (due - newest).days // 7
    if weeks >= 2 and today.year - newest.year <= 1:
        return (f"the newest CFTC report is as of {newest}, {weeks} weeks before the one due "
                f"({due}); CFTC publication looks delayed")
    return None


def history_label(history_years: tuple[int, int], legacy: bool = False) -> str:
    kind = f"{GROUP_PREFIX} and Legacy" if legacy else GROUP_PREFIX
    return f"{kind} {history_years[0]}\u2013{history_years[1]}"


def load_history(store: SourceStore | None = None, *, use_cache: bool = True,
                 parsed: dict[str, LoadResult] | None = None) -> LoadResult | None:
    """The stored archives as one merged history (a LoadResult named like the Data panel
    group, "Public data: CFTC TFF 2006–2026"), or None when nothing is stored."""
    store = store or SourceStore("cftc")
    entries = store.entries()
    if not entries:
        return None
    names = sorted(entries, key=lambda n: (archive_year(n) or 0, n not in BUNDLES, n))
    key = {"version": PARSER_VERSION, "public": HISTORY_CACHE_VERSION,
           "files": {n: entries[n].sha256 for n in names}}
    virtual = store.folder / "merged_history"
    cache = ParseCache()
    if use_cache:
        cached = cache.get(virtual, key)
        if cached is not None:
            return cached
    results: list[LoadResult] = []
    problems: list[Message] = []
    for name in names:
        if parsed and name in parsed:
            results.append(parsed[name])
            continue
        try:
            results.append(parse_archive(name, store.read(name)))
        except (BadDownload, OSError) as exc:
            problems.append(Message("error", name, None, None, f"stored archive unreadable: {exc}"))
    merge_cftc(results)
    merged: dict[str, object] = {}
    messages: list[Message] = list(problems)
    for r in results:
        messages.extend(r.messages)
        for s in r.series:
            merged[s.id] = s
    series = list(merged.values())
    firsts = [int(str(s.first_date)[:4]) for s in series if len(s)]
    lasts = [int(str(s.last_date)[:4]) for s in series if len(s)]
    legacy = any(LEGACY_NAMES.match(n) for n in names)
    label = history_label((min(firsts), max(lasts)), legacy) if lasts else GROUP_PREFIX
    result = LoadResult(file=label, series=series, messages=messages)
    if use_cache:
        with contextlib.suppress(OSError):  # a read-only cache folder must not stop loading
            cache.put(virtual, key, result)
    return result

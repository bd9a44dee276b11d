"""FINRA short interest from the local recorded server: candidate settlement dates with
404s skipped, rows of the symbol list kept, values against the raw snapshots."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from core import paths
from core.public_data import finra
from core.public_data.http_client import HttpClient
from core.public_data.store import SourceStore

TODAY = dt.date(2021, 7, 20)


def fetch(years=(2021,), symbols=None, today=TODAY):
    with HttpClient(timeout=5.0, backoff=0.01) as c:
        return finra.update_finra(c, years=list(years), symbols=symbols, today=today)


def snapshot_shares(real_data, snapshot: str, symbol: str) -> float:
    with open(real_data / "short_interest" / snapshot, newline="") as fh:
        return next(float(r["shares_sold_short"]) for r in csv.DictReader(fh) if r["symbol"] == symbol)


def test_candidate_dates_roll_back_over_weekends():
    assert finra.candidate_dates(2021, 1, 2)[0] == dt.date(2021, 1, 29)  # 31st a Sunday
    assert finra.candidate_dates(2024, 1, 1)[:2] == [dt.date(2024, 1, 15), dt.date(2024, 1, 12)]
    assert finra.candidate_dates(2024, 3, 2)[:2] == [dt.date(2024, 3, 29), dt.date(2024, 3, 28)]


@pytest.mark.realdata
def test_fetch_keeps_symbol_rows_matching_the_snapshots(server, real_data):
    out = fetch()
    assert out.ok, out.line()
    assert out.updated == ["shrt20210129.csv", "shrt20210630.csv"]
    assert any("no FINRA file found" in n for n in out.notes)  # the other half-months 404
    frame = finra.stored_short_interest()
    assert list(frame.columns) == finra.COLUMNS
    assert set(frame["symbol"]) == {"IWM", "QQQ", "SPY"}
    iwm = frame[frame["symbol"] == "IWM"].set_index("settlement_date")["shares_short"]
    assert iwm[pd.Timestamp("2021-01-29")] == snapshot_shares(
        real_data, "short_interest_settle_2021-01-29.csv", "IWM") == 94_130_000
    assert iwm[pd.Timestamp("2021-06-30")] == 114_380_000
    assert frame["days_to_cover"].isna().all()  # the snapshots carry no volume


@pytest.mark.realdata
def test_raw_files_kept_exactly_and_not_asked_again(server, recorded):
    fetch()
    store = SourceStore("finra")
    assert store.read("shrt20210129.csv") == recorded["/finra/shrt20210129.csv"]
    assert store.path("shrt20210129.csv").name.endswith(".csv.gz")
    server.reset_counts()
    out = fetch()
    assert out.ok and not out.updated
    assert not any("20210129" in p or "20210630" in p for p, _ in server.requests)
    assert server.body_bytes == len(b"not found") * len(server.requests)  # only 404 pages


@pytest.mark.realdata
def test_symbol_list_is_remembered_and_rows_rebuilt_without_network(server):
    fetch(symbols=["AAPL", "IWM"])
    assert set(finra.stored_short_interest()["symbol"]) == {"AAPL", "IWM"}
    fetch()  # no --symbols: the saved list stays
    assert set(finra.stored_short_interest()["symbol"]) == {"AAPL", "IWM"}


def test_parse_reads_finra_fields_by_name():
    data = (b"accountingYearMonthNumber|symbolCode|issueName|currentShortPositionQuantity|"
            b"averageDailyVolumeQuantity|daysToCoverQuantity|settlementDate\n"
            b"20250715|IWM|iShares Russell 2000|120000000|30000000|4.00|2025-07-15\n")
    rows = finra.parse_finra(data)
    assert rows == [{"symbol": "IWM", "settlement_date": "2025-07-15", "shares_short": "120000000",
                     "avg_daily_volume": "30000000", "days_to_cover": "4.00"}]


@pytest.mark.realdata
def test_html_page_is_refused_and_nothing_stored(server):
    server.behave["/finra/shrt20210129.csv"] = [{"body": b"<html>maintenance</html>"}]
    out = fetch()
    assert not out.ok and "HTML page" in out.line()
    assert "shrt20210129.csv" not in SourceStore("finra").entries()


def test_empty_store_gives_an_empty_frame(home):
    frame = finra.stored_short_interest()
    assert list(frame.columns) == finra.COLUMNS and len(frame) == 0


@pytest.mark.realdata
def test_stored_rows_become_si_series_for_the_catalog(server):
    from core.public_data import public_results

    fetch()
    result = next(r for r in public_results() if r.file == finra.GROUP_LABEL)
    iwm = next(s for s in result.series if s.id == "si:IWM:shares_short")
    assert [str(d) for d in iwm.dates] == ["2021-01-29", "2021-06-30"]
    assert list(iwm.values) == [94_130_000, 114_380_000]
    assert iwm.frequency.value == "twice_monthly" and iwm.publication_lag.business_days == 8
    assert not any(s.id.endswith("days_to_cover") for s in result.series)  # all blank here


def test_damaged_stores_give_no_traceback(home):
    from core.public_data import public_results

    for source, name, data in (("finra", finra.ROWS_FILE, b"nonsense,header\n1,2\n"),
                               ("fred", "manifest.json", b"{not json"),
                               ("cftc", "manifest.json", b'{"files": {"x.zip": {"bad": 1}}}')):
        folder = paths.user_data_dir() / "public" / source
        folder.mkdir(parents=True)
        (folder / name).write_bytes(data)
    assert public_results() == []
    frame = finra.stored_short_interest()
    assert len(frame) == 0 and str(frame["settlement_date"].dtype).startswith("datetime64")

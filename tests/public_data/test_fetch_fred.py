"""FRED target range and EFFR from the local recorded server; the rate odds' target-range
history prefers the fetched range where it covers a date, the bundled file otherwise."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from core.public_data import fred
from core.public_data.http_client import HttpClient
from core.public_data.store import SourceStore
from core.rates.target_range import load_target_ranges


def fetch(**kw):
    with HttpClient(timeout=kw.pop("timeout", 5.0), backoff=0.01) as c:
        return fred.update_fred(c)


def fixture_row(recorded, day: str) -> dict:
    """The day's row of the served CSV, read independently with the csv module."""
    text = recorded["/fred/fredgraph.csv"].decode()
    return next(r for r in csv.DictReader(io.StringIO(text)) if r["observation_date"] == day)


@pytest.mark.realdata
def test_fetch_stores_csv_and_asks_for_the_three_series(server, recorded):
    out = fetch()
    assert out.ok and out.updated == [fred.STORED_NAME], out.line()
    assert SourceStore("fred").read(fred.STORED_NAME) == recorded["/fred/fredgraph.csv"]
    path, headers = server.requests[0]
    assert path == "/fred/fredgraph.csv?id=DFEDTARU,DFEDTARL,EFFR"
    assert "target range 2018-12-20..2026-03-31, now 3.25-3.50" in out.line()


@pytest.mark.realdata
@pytest.mark.parametrize("day", ["2019-01-15", "2020-03-16", "2020-03-20", "2023-08-01",
                                 "2025-12-11", "2026-02-15"])
def test_target_range_on_given_dates_matches_the_served_file(server, recorded, day):
    fetch()
    row = fixture_row(recorded, day)
    want = (float(row["DFEDTARL"]), float(row["DFEDTARU"]))
    assert fred.load_fetched_target_ranges().range_at(day) == want
    assert load_target_ranges().range_at(day) == want


@pytest.mark.realdata
def test_fetched_range_wins_where_it_covers_bundled_elsewhere(server):
    bundled = load_target_ranges(fetched=False)
    assert bundled.range_at("2026-02-15") == (3.50, 3.75)  # bundled file ends 2025-12-11
    fetch()
    merged = load_target_ranges()
    assert merged.range_at("2026-02-15") == (3.25, 3.50)  # the fetched (test) change
    assert "FRED" in merged.source and "fed_target_range.csv" in merged.source
    assert load_target_ranges(fetched=False).range_at("2026-02-15") == (3.50, 3.75)


@pytest.mark.realdata
def test_effr_series_matches_fedfunds_file(server, real_data):
    fetch()
    result = fred.fred_result()
    effr = next(s for s in result.series if s.id == "fred:EFFR")
    with open(real_data / "rates_fed" / "FEDFUNDS.csv", newline="") as fh:
        monthly = {r["observation_date"]: float(r["FEDFUNDS"]) for r in csv.DictReader(fh)}
    i = np.flatnonzero(effr.dates == np.datetime64("2024-10-01"))[0]
    assert effr.values[i] == monthly["2024-10-01"]
    assert result.file == fred.GROUP_LABEL


def test_without_a_store_the_bundled_file_is_used(home):
    assert load_target_ranges().range_at("2026-02-15") == (3.50, 3.75)


@pytest.mark.realdata
@pytest.mark.parametrize(("body", "words"), [
    (b"<html><body>Error</body></html>", "HTML page"),
    (b"observation_date,EFFR\n2024-01-02,5.33\n", "no DFEDTARU, DFEDTARL column"),
])
def test_bad_body_leaves_the_store_and_the_range_alone(server, body, words):
    fetch()
    before = SourceStore("fred").read(fred.STORED_NAME)
    manifest = (SourceStore("fred").folder / "manifest.json").read_bytes()
    server.behave["/fred/fredgraph.csv"] = [{"body": body}]
    out = fetch()
    assert not out.ok and words in out.line() and "kept the copy fetched" in out.line()
    assert SourceStore("fred").read(fred.STORED_NAME) == before
    assert (SourceStore("fred").folder / "manifest.json").read_bytes() == manifest


def test_old_fred_header_and_dots(home):
    table = fred.parse_fredgraph(b"DATE,DFEDTARU,DFEDTARL,EFFR\n2008-12-16,0.25,0.00,.\n"
                                 b"2008-12-17,0.25,0.00,0.15\n")
    assert np.isnan(table.columns["EFFR"][0]) and table.columns["EFFR"][1] == 0.15


@pytest.mark.realdata
def test_rate_odds_start_from_the_fetched_range(server):
    from core.catalog import Catalog, LoadResult
    from core.rates import report_block
    from core.series import Frequency, Series, SeriesSource

    def contract(column: str) -> Series:
        return Series(id=f"desk.xlsx:FF:{column}", name=column, unit="price",
                      frequency=Frequency.DAILY, source=SeriesSource("desk.xlsx", "FF", column),
                      dates=np.array(["2026-02-16"], dtype="datetime64[D]"),
                      values=np.array([96.62]), kind="price")

    catalog = Catalog()
    catalog.add(LoadResult("desk.xlsx", [contract(c) for c in ("FFG26", "FFH26", "FFJ26",
                                                               "FFK26")]))
    before = report_block(catalog, "2026-02-16", with_sentences=False)
    fetch()
    after = report_block(catalog, "2026-02-16", with_sentences=False)
    assert before["current_range"] == [3.50, 3.75]  # bundled file: last change 2025-12-11
    assert after["current_range"] == [3.25, 3.50]  # fetched FRED range covers the date

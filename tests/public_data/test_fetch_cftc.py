"""CFTC archives fetched from the local recorded server: values end to end against the raw
text files, conditional re-requests with no body, and every broken case leaving the store
byte-identical with a clear message."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import socket

import make_fixtures
import numpy as np
import pytest

from core.public_data import cftc
from core.public_data.http_client import HttpClient
from core.public_data.store import SourceStore

SUMMER_2024 = dt.date(2024, 7, 30)
YEARS = [2017, 2020, 2024]


def client(**kw) -> HttpClient:
    return HttpClient(timeout=kw.pop("timeout", 5.0), backoff=0.01, **kw)


def raw_row(real_file: str, code: str, day: str) -> dict:
    """The row of ``code`` on ``day`` read straight from the real text file (csv module)."""
    with open(make_fixtures.TFF / real_file, newline="", encoding="latin-1") as fh:
        for row in csv.DictReader(fh):
            if row["CFTC_Contract_Market_Code"].strip() == code and \
                    row["Report_Date_as_YYYY-MM-DD"].strip() == day:
                return row
    raise AssertionError(f"{code} {day} not in {real_file}")


def value_on(history, sid: str, day: str) -> float:
    s = next(s for s in history.series if s.id == sid)
    i = np.flatnonzero(s.dates == np.datetime64(day))
    assert len(i) == 1, f"{sid} has no {day}"
    return float(s.values[i[0]])


def store_bytes(store: SourceStore) -> dict[str, str]:
    if not store.folder.exists():
        return {}
    return {str(p.relative_to(store.folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(store.folder.rglob("*")) if p.is_file()}


def fetch(years=YEARS, today=SUMMER_2024, reports=("futures",), **kw):
    with client(**kw) as c:
        return cftc.update_cftc(c, years=years, reports=reports, today=today)


@pytest.fixture
def filled(server):
    out = fetch(reports=("futures", "combined"), years=[2024])
    assert out.ok, out.line()
    out = fetch()
    assert out.ok, out.line()
    server.reset_counts()
    return SourceStore("cftc")


@pytest.mark.realdata
@pytest.mark.parametrize(("real_file", "prefix", "code", "day"), [
    ("FinFutYY_2024-01_to_2024-07.txt", "cftc", "239742", "2024-07-23"),
    ("FinFutYY_2024-01_to_2024-07.txt", "cftc", "209742", "2024-01-02"),
    ("FinComYY_2024-01_to_2024-07.txt", "cftc-combined", "239742", "2024-07-23"),
    ("FinFutYY_2020-01_to_2020-11.txt", "cftc", "239742", "2020-11-24"),
    ("FinFut17.txt", "cftc", "23977A", "2017-06-27"),
    ("FinFut17.txt", "cftc", "13874A", "2017-12-26"),
])
def test_values_end_to_end_match_the_raw_files(filled, real_file, prefix, code, day):
    history = cftc.load_history(filled)
    row = raw_row(real_file, code, day)
    for cls, col in (("lev_money", "Lev_Money"), ("asset_mgr", "Asset_Mgr"), ("dealer", "Dealer")):
        long_, short = (float(row[f"{col}_Positions_{x}_All"]) for x in ("Long", "Short"))
        assert value_on(history, f"{prefix}:{code}:{cls}:net", day) == long_ - short
    assert value_on(history, f"{prefix}:{code}:open_interest", day) == float(row["Open_Interest_All"])


@pytest.mark.realdata
def test_anchor_values_from_source_md(filled):
    history = cftc.load_history(filled)
    assert value_on(history, "cftc:239742:open_interest", "2024-07-23") == 482645
    assert value_on(history, "cftc:239742:lev_money:net", "2024-07-23") == 62244 - 125962
    assert value_on(history, "cftc-combined:239742:open_interest", "2024-07-23") == 509003
    assert value_on(history, "cftc:239742:lev_money:net", "2020-11-24") == 78368 - 135977
    s = next(s for s in history.series if s.id == "cftc:239742:lev_money:net")
    assert str(s.first_date) == "2017-08-15"  # CME's Russell contract started mid-2017
    assert history.file.startswith("Public data: CFTC TFF 2017")


@pytest.mark.realdata
def test_raw_archives_stored_byte_for_byte_with_manifest(filled, recorded):
    entries = filled.entries()
    assert set(entries) >= {"fut_fin_txt_2017.zip", "fut_fin_txt_2020.zip", "fut_fin_txt_2024.zip",
                            "com_fin_txt_2024.zip"}
    for name, e in entries.items():
        data = (filled.folder / name).read_bytes()
        assert data == recorded[f"/cftc/{name}"]
        assert e.size == len(data) and e.sha256 == hashlib.sha256(data).hexdigest()
        assert e.url.endswith(f"/cftc/{name}") and e.etag and e.last_modified and e.fetched_at
    doc = json.loads((filled.folder / "manifest.json").read_text())
    assert doc["source"] == "cftc"


@pytest.mark.realdata
def test_second_update_with_nothing_new_moves_no_body(filled, server):
    before = store_bytes(filled)
    out = fetch()
    assert out.ok and not out.updated
    assert server.body_bytes == 0 and out.bytes_received == 0
    # only the recent years are asked again, each conditionally
    asked = [p for p, _ in server.requests]
    assert asked == ["/cftc/fut_fin_txt_2024.zip"]
    assert all("If-None-Match" in h for _, h in server.requests)
    assert store_bytes(filled) == before


@pytest.mark.realdata
def test_user_agent_names_the_app(filled, server):
    fetch()
    assert server.requests[0][1]["User-Agent"].startswith("Gapwatch/")


def _break(server, step):
    server.behave["/cftc/fut_fin_txt_2024.zip"] = [step]


@pytest.mark.realdata
@pytest.mark.parametrize(("step", "words"), [
    ({"body": make_fixtures.zip_member("FinFutYY.txt", b"x")[:40]}, "not a complete zip"),
    ({"body": b"<!DOCTYPE html><html><body>Service unavailable</body></html>"}, "HTML page"),
    ({"body": make_fixtures.empty_zip()}, "empty placeholder"),
    ({"status": 404}, "404"),
    ({"status": 503}, "server error 503"),
    ({"delay": 1.5}, "timeout"),
])
def test_broken_download_leaves_store_identical(filled, server, step, words):
    before = store_bytes(filled)
    _break(server, step)
    out = fetch(timeout=0.5)
    assert not out.ok
    assert words in out.line() and "fut_fin_txt_2024.zip" in out.line()
    assert "kept the copy fetched" in out.line()
    assert store_bytes(filled) == before


@pytest.mark.realdata
def test_truncated_real_zip_is_refused(filled, server, recorded):
    before = store_bytes(filled)
    whole = recorded["/cftc/fut_fin_txt_2024.zip"]
    _break(server, {"body": whole[: len(whole) // 2] + b"\0" * 10})
    out = fetch()
    assert not out.ok and "not a complete zip" in out.line()
    assert store_bytes(filled) == before


@pytest.mark.realdata
def test_429_then_success(server):
    server.behave["/cftc/fut_fin_txt_2024.zip"] = [{"status": 429}, {"status": 429}, None]
    out = fetch(years=[2024])
    assert out.ok and out.updated == ["fut_fin_txt_2024.zip"]
    assert sum(p.endswith("fut_fin_txt_2024.zip") for p, _ in server.requests) == 3


def test_connection_refused_names_source_and_error(home, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("GAPWATCH_CFTC_URL", f"http://127.0.0.1:{port}/")
    out = fetch(years=[2024])
    assert not out.ok
    assert out.line().startswith("CFTC: update failed") and "connection refused" in out.line()
    assert not SourceStore("cftc").folder.exists()


@pytest.mark.realdata
def test_new_year_missing_in_january_is_a_note_not_a_failure(filled, server):
    before = store_bytes(filled)
    out = fetch(years=[2024, 2025], today=dt.date(2025, 1, 6))
    assert out.ok, out.line()
    assert any("fut_fin_txt_2025.zip is not published yet" in n for n in out.notes)
    assert store_bytes(filled) == before


@pytest.mark.realdata
def test_new_year_placeholder_in_january_is_a_note(filled, server):
    server.files["/cftc/fut_fin_txt_2025.zip"] = make_fixtures.empty_zip()
    out = fetch(years=[2025], today=dt.date(2025, 1, 6))
    assert out.ok and any("empty placeholder" in n for n in out.notes)
    assert "fut_fin_txt_2025.zip" not in SourceStore("cftc").entries()


@pytest.mark.realdata
def test_delayed_report_is_noted(filled, server):
    out = fetch(today=dt.date(2024, 9, 20))
    assert out.ok
    assert any("looks delayed" in n and "2024-07-23" in n for n in out.notes)


def test_plan_asks_bundle_once_and_recent_years_again():
    today = dt.date(2026, 3, 2)
    stored = {"fin_fut_txt_2006_2016.zip", "fut_fin_txt_2019.zip", "fut_fin_txt_2025.zip"}
    plan = [n for n, _ in cftc.plan_archives(list(range(2006, 2027)), ("futures",), stored, today)]
    assert "fin_fut_txt_2006_2016.zip" not in plan and "fut_fin_txt_2019.zip" not in plan
    assert plan[:2] == ["fut_fin_txt_2017.zip", "fut_fin_txt_2018.zip"]
    assert plan[-2:] == ["fut_fin_txt_2025.zip", "fut_fin_txt_2026.zip"]
    fresh = [n for n, _ in cftc.plan_archives([2010, 2024], ("combined",), set(), today)]
    assert fresh == ["fin_com_txt_2006_2016.zip", "com_fin_txt_2024.zip"]


@pytest.mark.realdata
def test_download_cut_off_midway_is_a_failure_with_store_kept(filled, server):
    before = store_bytes(filled)
    _break(server, {"cut": 1000})
    out = fetch()
    assert not out.ok and "broke off" in out.line() and "tried 3 times" in out.line()
    assert store_bytes(filled) == before


@pytest.mark.realdata
def test_public_ids_are_the_ids_of_the_file_opened_directly(server, home):
    from core.ingest import load_files

    assert fetch(years=[2024]).ok
    public = {s.id for s in cftc.load_history().series}
    direct = {s.id for r in load_files([make_fixtures.TFF / "FinFutYY_2024-01_to_2024-07.txt"])
              for s in r.series}
    assert public == direct


def test_bad_download_kinds():
    with pytest.raises(cftc.BadDownload) as err:
        cftc.parse_archive("x.zip", b"<!DOCTYPE html><html></html>")
    assert err.value.kind == "html"
    with pytest.raises(cftc.BadDownload) as err:
        cftc.parse_archive("x.zip", make_fixtures.zip_member("FinFutYY.txt", b"a,b\n1,2\n"))
    assert err.value.kind == "invalid" and "not a CFTC report" in str(err.value)


@pytest.mark.realdata
def test_legacy_report_opt_in_merges_with_tff_open_interest(server):
    out = fetch(years=[2025], today=dt.date(2025, 3, 20), reports=("legacy",))
    assert out.ok, out.line()
    assert out.updated == ["deacot2025.zip"]
    history = cftc.load_history()
    assert history.file == "Public data: CFTC TFF and Legacy 2025\u20132025"
    # anchors of ../cftc_legacy/SOURCE.md: OI equals the TFF file's, Noncommercial 77188/82364
    assert value_on(history, "cftc:239742:open_interest", "2025-03-11") == 473874
    assert value_on(history, "cftc:239742:noncommercial:net", "2025-03-11") == 77188 - 82364


def test_a_tff_archive_under_a_legacy_name_is_refused(recorded):
    with pytest.raises(cftc.BadDownload, match="not Legacy"):
        cftc.parse_archive("deacot2024.zip", recorded["/cftc/fut_fin_txt_2024.zip"])


@pytest.mark.realdata
def test_a_stored_copy_gone_missing_is_fetched_whole_again(filled, server, recorded):
    (filled.folder / "fut_fin_txt_2024.zip").unlink()
    out = fetch()
    assert out.ok and out.updated == ["fut_fin_txt_2024.zip"]
    assert "If-None-Match" not in server.requests[0][1]
    assert (filled.folder / "fut_fin_txt_2024.zip").read_bytes() == \
        recorded["/cftc/fut_fin_txt_2024.zip"]

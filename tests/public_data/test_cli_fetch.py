"""``main.py fetch`` against the local server, then ``series --public`` and ``report
--public`` reading the store: exit codes and one line per source (INTERFACES.md)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from core import paths

ROOT = Path(__file__).resolve().parents[2]


def run(*args, env=None):
    import os

    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def env(server, home):
    import os

    keys = ("GAPWATCH_HOME", "GAPWATCH_CFTC_URL", "GAPWATCH_FRED_URL", "GAPWATCH_FINRA_URL")
    return {**{k: os.environ[k] for k in keys}, "GAPWATCH_HTTP_BACKOFF": "0.01"}


@pytest.mark.realdata
def test_fetch_all_fills_the_store_and_public_series_list_it(env):
    done = run("fetch", "cftc", "--years", "2024:2024", env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("CFTC: updated 2 file(s) (fut_fin_txt_2024.zip, com_fin_txt_2024.zip)")
    done = run("fetch", "fred", "finra", "--years", "2021:2021", "--symbols", "IWM,SPY", env=env)
    assert done.returncode == 0, done.stderr
    assert [ln.split(":")[0] for ln in done.stdout.splitlines() if not ln.startswith(" ")] == \
        ["FRED", "FINRA"]
    again = run("fetch", "cftc", "--years", "2024:2024", env=env)
    assert again.returncode == 0 and "CFTC: already current" in again.stdout

    listed = run("series", "--public", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    ids = {s["id"] for s in json.loads(listed.stdout)["series"]}
    assert {"cftc:239742:lev_money:net", "cftc-combined:239742:open_interest", "fred:EFFR"} <= ids

    report = run("report", "--public", "--json", "-", "--window", "2024-01-01:2024-07-23", env=env)
    assert report.returncode == 0, report.stderr
    doc = json.loads(report.stdout)
    a = doc["stats"]["cftc:239742:open_interest"]["A"]
    assert a["end_value"] == 482645


def test_no_network_one_line_per_source_and_exit_1(home):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/"
    done = run("fetch", "all", "--years", "2024:2024",
               env={"GAPWATCH_HOME": str(home), "GAPWATCH_CFTC_URL": dead,
                    "GAPWATCH_FRED_URL": dead + "fredgraph.csv", "GAPWATCH_FINRA_URL": dead,
                    "GAPWATCH_HTTP_BACKOFF": "0.01"})
    assert done.returncode == 1
    failed = done.stderr.strip().splitlines()
    assert [ln.split(":")[0] for ln in failed] == ["CFTC", "FRED", "FINRA"]
    assert all("connection refused" in ln for ln in failed)
    assert not (paths.user_data_dir() / "public").exists() or not any((paths.user_data_dir() / "public").rglob("*.zip"))


def test_bad_years_exit_2(home):
    done = run("fetch", "cftc", "--years", "2026:2006", env={"GAPWATCH_HOME": str(home)})
    assert done.returncode == 2 and "--years" in done.stderr


@pytest.mark.realdata
def test_fetch_with_no_source_means_all(env, home, server):
    import make_fixtures

    server.files["/finra/shrt20240131.csv"] = make_fixtures.finra_file(
        "short_interest_settle_2021-01-29.csv", "2021-01-29", relabel="2024-01-31")
    done = run("fetch", "--years", "2024:2024", env=env)
    assert done.returncode == 0, done.stderr
    heads = [ln.split(":")[0] for ln in done.stdout.splitlines() if not ln.startswith(" ")]
    assert heads == ["CFTC", "FRED", "FINRA"]
    assert (paths.user_data_dir() / "public" / "cftc" / "fut_fin_txt_2024.zip").is_file()
    assert (paths.user_data_dir() / "public" / "fred" / "manifest.json").is_file()
    assert (paths.user_data_dir() / "public" / "finra" / "short_interest_rows.csv").is_file()


def test_finra_finding_nothing_at_all_fails(env):
    done = run("fetch", "finra", "--years", "2019:2019", env=env)
    assert done.returncode == 1
    assert "FINRA: update failed: no short-interest file found for any of 24" in done.stderr


def test_unknown_source_exit_2(home):
    done = run("fetch", "bloomberg", env={"GAPWATCH_HOME": str(home)})
    assert done.returncode == 2 and "unknown source 'bloomberg'" in done.stderr

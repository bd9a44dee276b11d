"""Fixtures: an isolated app home, the recorded files and the local server pointed at by
GAPWATCH_CFTC_URL / GAPWATCH_FRED_URL / GAPWATCH_FINRA_URL (never the internet)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_fixtures  # noqa: E402
from local_server import RecordedServer  # noqa: E402


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    monkeypatch.setenv("GAPWATCH_HOME", str(folder))
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    return folder


@pytest.fixture(scope="session")
def recorded() -> dict[str, bytes]:
    if not make_fixtures.available():
        pytest.skip("../shared/data/real is not present")
    cftc = {**make_fixtures.cftc_files(), **make_fixtures.legacy_files()}
    files = {f"/cftc/{n}": b for n, b in cftc.items()}
    files["/fred/fredgraph.csv"] = make_fixtures.fred_csv()
    files.update({f"/finra/{n}": b for n, b in make_fixtures.finra_files().items()})
    return files


@pytest.fixture
def server(recorded, home, monkeypatch):
    srv = RecordedServer(recorded).start()
    monkeypatch.setenv("GAPWATCH_CFTC_URL", srv.url + "/cftc/")
    monkeypatch.setenv("GAPWATCH_FRED_URL", srv.url + "/fred/fredgraph.csv")
    monkeypatch.setenv("GAPWATCH_FINRA_URL", srv.url + "/finra/")
    yield srv
    srv.stop()

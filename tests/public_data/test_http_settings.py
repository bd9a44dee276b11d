"""HTTP settings: proxies from the environment are honoured, base URLs come from the
environment or the settings file, the User-Agent names the app."""

from __future__ import annotations

import json

import pytest

from core import paths
from core.public_data import sources
from core.public_data.http_client import HttpClient, _retry_after


@pytest.mark.realdata
def test_http_proxy_from_the_environment_is_used(server, monkeypatch, recorded):
    # The host does not exist: the download can only succeed through the proxy.
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with HttpClient(timeout=5.0, backoff=0.01) as client:
        dl = client.get("http://cftc.invalid/cftc/fut_fin_txt_2024.zip")
    assert dl.status == "ok" and dl.body == recorded["/cftc/fut_fin_txt_2024.zip"]
    assert server.requests[0][1]["User-Agent"].startswith("Gapwatch/")


def test_base_url_env_then_settings_then_default(home, monkeypatch):
    monkeypatch.delenv("GAPWATCH_CFTC_URL", raising=False)
    assert sources.base_url("cftc") == "https://www.cftc.gov/files/dea/history/"
    paths.user_config_dir().mkdir(parents=True)
    (paths.user_config_dir() / sources.SETTINGS_FILE).write_text(
        json.dumps({"cftc_url": "https://mirror.example/cftc/"}))
    assert sources.file_url("cftc", "fut_fin_txt_2024.zip") == \
        "https://mirror.example/cftc/fut_fin_txt_2024.zip"
    monkeypatch.setenv("GAPWATCH_CFTC_URL", "http://127.0.0.1:9/x")
    assert sources.file_url("cftc", "a.zip") == "http://127.0.0.1:9/x/a.zip"


def test_store_is_under_gapwatch_home(home):
    assert sources.store_root() == paths.user_data_dir() / "public"


def test_retry_after_is_capped_and_tolerant():
    assert _retry_after("2", 0.5) == 2.0
    assert _retry_after("3600", 0.5) == 30.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 0.5) == 0.5
    assert _retry_after(None, 0.5) == 0.5

"""Where each public source lives: base URLs (settings, overridable by environment so
tests and a firm's mirror can point elsewhere) and the store folder of each source."""

from __future__ import annotations

import os
from pathlib import Path

from core.paths import user_data_dir

DEFAULT_URLS = {
    "cftc": "https://www.cftc.gov/files/dea/history/",
    "fred": "https://fred.stlouisfed.org/graph/fredgraph.csv",
    "finra": "https://cdn.finra.org/equity/otcmarket/biweekly/",
}
URL_ENV = {"cftc": "GAPWATCH_CFTC_URL", "fred": "GAPWATCH_FRED_URL", "finra": "GAPWATCH_FINRA_URL"}
LABELS = {"cftc": "CFTC", "fred": "FRED", "finra": "FINRA"}
SOURCES = ("cftc", "fred", "finra")


def base_url(source: str) -> str:
    return os.environ.get(URL_ENV[source]) or DEFAULT_URLS[source]


def file_url(source: str, name: str) -> str:
    """``base`` + ``name`` for the folder-style sources (CFTC, FINRA)."""
    base = base_url(source)
    return base if not name else base.rstrip("/") + "/" + name


def store_root() -> Path:
    return user_data_dir() / "public"

"""Where each public source lives: base URLs and the store folder of each source.

A base URL is, in order: the environment variable (``GAPWATCH_CFTC_URL`` ...), the
setting in ``<config>/public_data.json`` (``{"cftc_url": "https://mirror.example/cftc/"}``:
a firm's mirror), or the public default.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from core.paths import user_config_dir, user_data_dir

DEFAULT_URLS = {
    "cftc": "https://www.cftc.gov/files/dea/history/",
    "fred": "https://fred.stlouisfed.org/graph/fredgraph.csv",
    "finra": "https://cdn.finra.org/equity/otcmarket/biweekly/",
}
URL_ENV = {"cftc": "GAPWATCH_CFTC_URL", "fred": "GAPWATCH_FRED_URL", "finra": "GAPWATCH_FINRA_URL"}
LABELS = {"cftc": "CFTC", "fred": "FRED", "finra": "FINRA"}
SOURCES = ("cftc", "fred", "finra")


SETTINGS_FILE = "public_data.json"


def settings() -> dict:
    try:
        data = json.loads((user_config_dir() / SETTINGS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def base_url(source: str) -> str:
    configured = settings().get(f"{source}_url")
    return (os.environ.get(URL_ENV[source])
            or (configured if isinstance(configured, str) and configured else None)
            or DEFAULT_URLS[source])


def file_url(source: str, name: str) -> str:
    """``base`` + ``name`` for the folder-style sources (CFTC, FINRA)."""
    base = base_url(source)
    return base if not name else base.rstrip("/") + "/" + name


def store_root() -> Path:
    return user_data_dir() / "public"

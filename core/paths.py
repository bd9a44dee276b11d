"""Where things live: bundled resources (also inside a PyInstaller bundle) and the
user's cache and config folders (XDG on Linux, the platform's usual place elsewhere)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "gapwatch"


def app_root() -> Path:
    """Folder holding ``resources/``: the bundle's unpack dir when frozen, else the repo."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


SAMPLE_FILE = "sample_desk_export.xlsx"
FOMC_CALENDAR_FILE = "fomc_meetings.csv"


def sample_path() -> Path:
    return resource_path(SAMPLE_FILE)


def _base_dir(env_var: str, unix_default: str, windows_env: str = "LOCALAPPDATA") -> Path:
    override = os.environ.get("GAPWATCH_HOME")
    if override:
        return Path(override) / unix_default.strip(".").replace("/", "_")
    if sys.platform.startswith("win"):
        return Path(os.environ.get(windows_env, Path.home() / "AppData" / "Local")) / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / ("Caches" if "cache" in unix_default else "Preferences") / APP_NAME
    return Path(os.environ.get(env_var) or (Path.home() / unix_default)) / APP_NAME


def user_cache_dir() -> Path:
    """Parsed-file cache. ``GAPWATCH_HOME`` relocates it (tests use a temp folder)."""
    return _base_dir("XDG_CACHE_HOME", ".cache")


def user_config_dir() -> Path:
    """Per-template sheet mappings, recent files, settings."""
    return _base_dir("XDG_CONFIG_HOME", ".config", "APPDATA")


def user_data_dir() -> Path:
    """Data the app keeps (the public-data store: raw downloads and their manifest).
    ``GAPWATCH_HOME`` relocates it, beside the cache and config folders."""
    override = os.environ.get("GAPWATCH_HOME")
    if override:
        return Path(override) / "data"
    if sys.platform.startswith("win"):
        local = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return local / APP_NAME / "data"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    return Path(os.environ.get("XDG_DATA_HOME") or (Path.home() / ".local" / "share")) / APP_NAME

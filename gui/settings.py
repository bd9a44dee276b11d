"""Where the GUI keeps its settings (QSettings, organisation "Gapwatch").

``GAPWATCH_HOME`` (the same variable core.paths honours) relocates them, so tests and
benchmarks never touch the user's real layout or recent-files list.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "Gapwatch"
APPLICATION = "Gapwatch"
MAX_RECENT = 10


def configure_settings_path() -> None:
    """Point INI-format user settings at $GAPWATCH_HOME/settings when that is set."""
    home = os.environ.get("GAPWATCH_HOME")
    if home:
        folder = Path(home) / "settings"
        folder.mkdir(parents=True, exist_ok=True)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def app_settings() -> QSettings:
    configure_settings_path()
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                     ORGANISATION, APPLICATION)


def recent_files() -> list[str]:
    value = app_settings().value("recent_files", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def add_recent_file(path: str) -> list[str]:
    path = str(Path(path).resolve())
    files = [p for p in recent_files() if p != path]
    files.insert(0, path)
    files = files[:MAX_RECENT]
    app_settings().setValue("recent_files", files)
    return files

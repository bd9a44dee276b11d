"""Vintage-store tests never touch the real data folder: GAPWATCH_HOME points into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "gapwatch_home"
    monkeypatch.setenv("GAPWATCH_HOME", str(home))
    return home

"""Shared fixtures. Qt tests run offscreen; real-data tests skip when ../shared is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
SAMPLE_XLSX = RESOURCES / "sample_desk_export.xlsx"
REAL_DATA = ROOT.parent / "shared" / "data" / "real"


@pytest.fixture
def real_data() -> Path:
    """Folder of real public files (../shared/data/real); skip when a clone has none."""
    if not REAL_DATA.is_dir():
        pytest.skip("../shared/data/real is not present")
    return REAL_DATA


@pytest.fixture
def sample_xlsx() -> Path:
    # the sample is committed (resources/): a missing one is a broken checkout, not a skip
    assert SAMPLE_XLSX.exists(), f"bundled sample missing: {SAMPLE_XLSX}"
    return SAMPLE_XLSX

"""Fixtures for the export tests; the sample objects are built in export_samples.py."""

from __future__ import annotations

import pytest
from export_samples import make_a_only, make_comparison, make_relative, make_series

from core.analytics.results import Comparison, RelativeResult
from core.series import Series


@pytest.fixture
def series_by_id() -> dict[str, Series]:
    return make_series()


@pytest.fixture
def comparison() -> Comparison:
    return make_comparison()


@pytest.fixture
def comparison_a_only() -> Comparison:
    return make_a_only()


@pytest.fixture
def relative() -> list[RelativeResult]:
    return make_relative()

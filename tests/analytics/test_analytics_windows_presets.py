"""Window parsing, month arithmetic and presets."""

from __future__ import annotations

import numpy as np
import pytest
from analytics_cases import make_series

from core.analytics.presets import (
    PRESETS,
    preset_window,
    same_span_before,
    same_span_year_earlier,
    since_low,
    snap,
)
from core.analytics.window import Window, add_months

D = np.datetime64


def test_parse_and_dict():
    w = Window.parse("2025-04-08:2025-07-31")
    assert (w.start, w.end) == (D("2025-04-08"), D("2025-07-31"))
    assert w.to_dict() == {"start": "2025-04-08", "end": "2025-07-31"}
    assert w.span_days == 115  # 23 days of April + 31 + 30 + 31
    with pytest.raises(ValueError, match="before its start"):
        Window.parse("2025-07-31:2025-04-08")
    with pytest.raises(ValueError):
        Window.parse("last year")


def test_month_arithmetic_clamps_to_month_end():
    assert add_months(D("2024-02-29"), -12) == D("2023-02-28")
    assert add_months(D("2024-03-31"), -1) == D("2024-02-29")
    assert add_months(D("2021-01-31"), 36) == D("2024-01-31")
    assert Window.parse("2024-02-29:2024-03-31").shifted(years=-1) == Window.parse(
        "2023-02-28:2023-03-31")


def test_presets():
    first, last = D("2019-01-02"), D("2025-07-31")
    assert PRESETS == ("YTD", "1M", "3M", "6M", "1Y", "3Y", "ALL")
    assert preset_window("YTD", first, last) == Window.parse("2025-01-01:2025-07-31")
    assert preset_window("1M", first, last) == Window.parse("2025-06-30:2025-07-31")
    assert preset_window("1Y", first, last) == Window.parse("2024-07-31:2025-07-31")
    assert preset_window("ALL", first, last) == Window(first, last)
    assert preset_window("3Y", D("2024-01-01"), last).start == D("2024-01-01")  # clamped
    with pytest.raises(ValueError):
        preset_window("2W", first, last)


def test_comparison_windows():
    a = Window.parse("2025-04-08:2025-07-31")
    assert same_span_year_earlier(a) == Window.parse("2024-04-08:2024-07-31")
    b = same_span_before(a, D("2025-01-20"))
    assert b.end == D("2025-01-19") and b.span_days == a.span_days


def test_since_low_takes_the_earliest_minimum():
    s = make_series("x", ["2025-01-02", "2025-02-03", "2025-03-03", "2025-04-01"],
                    [5.0, 2.0, 2.0, 4.0])
    w = since_low(s, Window.parse("2025-01-01:2025-04-30"))
    assert w == Window.parse("2025-02-03:2025-04-30")
    empty = Window.parse("2020-01-01:2020-02-01")
    assert since_low(s, empty) == empty


def test_snap():
    days = np.array(["2025-01-02", "2025-01-06", "2025-01-10"], dtype="datetime64[D]")
    ints = days.astype(np.int64)
    assert snap(ints, D("2025-01-07"), "left") == D("2025-01-06")
    assert snap(ints, D("2025-01-07"), "right") == D("2025-01-10")
    assert snap(ints, D("2025-01-07"), "nearest") == D("2025-01-06")
    assert snap(ints, D("2025-01-09"), "nearest") == D("2025-01-10")
    assert snap(ints, D("2024-12-01"), "left") == D("2025-01-02")  # nothing before: other side
    assert snap(days, D("2025-02-01"), "after") == D("2025-01-10")

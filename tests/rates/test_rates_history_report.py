"""Odds through time as derived series, and the report block read from a catalog."""

from __future__ import annotations

import json

import numpy as np
import pytest
from rates_fakes import contract

from core.catalog import Catalog, LoadResult
from core.rates import (
    FomcCalendar,
    TargetRangeHistory,
    fedwatch,
    fedwatch_history,
    first_meeting_over,
    futures_curve_from_series,
    report_block,
)

CALENDAR = FomcCalendar.from_dates(["2024-09-18", "2024-11-07", "2024-12-18", "2025-01-29"])
RANGES = TargetRangeHistory.from_rows([("2024-09-19", 4.75, 5.00), ("2024-11-08", 4.50, 4.75)])


def _export() -> list:
    """Three dates: two before the November meeting, one the day after it."""
    return [
        contract("FFV24", {"2024-10-01": 95.17, "2024-10-31": 95.16}),  # Oct 31: final
        contract("FFX24", {"2024-10-01": 95.30, "2024-10-02": 95.28, "2024-11-08": 95.33}),
        contract("FFZ24", {"2024-10-01": 95.45, "2024-10-02": 95.40, "2024-11-08": 95.50}),
    ]


def test_history_gives_cumulative_cut_odds_and_implied_rate_per_meeting():
    curve = futures_curve_from_series(_export())
    series = {s.id: s for s in fedwatch_history(curve, CALENDAR, RANGES)}
    assert set(series) == {
        "rates:p_cut_by:2024-11-07",
        "rates:implied_rate:2024-11-07",
        "rates:expected_rate_after:2024-11-07",
        "rates:p_cut_by:2024-12-18",
        "rates:implied_rate:2024-12-18",
        "rates:expected_rate_after:2024-12-18",
    }
    nov = series["rates:p_cut_by:2024-11-07"]
    assert nov.kind == "probability" and nov.name == "P(cut by 2024-11-07 meeting)"
    # Priced on the dates before the decision only (2024-10-31 too: every date of the export).
    assert [str(d) for d in nov.dates] == ["2024-10-01", "2024-10-02", "2024-10-31"]
    # 2024-10-01: (30 * 4.70 - 6 * 4.83) / 24 = 4.6675 -> -0.1625 -> 65% cut (see fedwatch tests)
    assert nov.values[0] == pytest.approx(65.0, abs=1e-9)
    # 2024-10-02: Oct 4.83, Nov avg 4.72: r_end = (141.6 - 28.98) / 24 = 4.6925 -> 55% cut
    assert nov.values[1] == pytest.approx(55.0, abs=1e-9)
    dec = series["rates:p_cut_by:2024-12-18"]
    assert [str(d) for d in dec.dates] == ["2024-10-01", "2024-10-02", "2024-10-31", "2024-11-08"]
    for day, value in zip(dec.dates, dec.values, strict=True):
        direct = fedwatch(curve, CALENDAR, RANGES, day).meeting("2024-12-18").p_lower_than_now
        assert value == pytest.approx(100 * direct, abs=1e-12)
    implied = series["rates:implied_rate:2024-12-18"]
    assert implied.unit == "percent" and np.all(np.isfinite(implied.values))


def test_after_a_cut_the_next_meeting_is_measured_from_the_new_range():
    curve = futures_curve_from_series(_export())
    result = fedwatch(curve, CALENDAR, RANGES, "2024-11-08")
    (dec,) = result.meetings
    assert result.current_range == (4.50, 4.75)
    # Nov 7 (decided): Oct final 4.84, Nov avg 4.67 -> r_end = (140.1 - 29.04) / 24 = 4.6275
    # Dec chained: r_end = (31 * 4.50 - 17 * 4.6275) / 14 = (139.5 - 78.6675) / 14 = 4.345179
    assert dec.method == "chained"
    assert dec.r_start == pytest.approx(111.06 / 24, abs=1e-12)
    assert dec.r_end == pytest.approx(60.8325 / 14, abs=1e-12)
    p_cut = (111.06 / 24 - 60.8325 / 14) / 0.25 - 1  # 1.129643 steps: 12.96% two, 87.04% one
    assert dec.distribution == pytest.approx({"4.00": p_cut, "4.25": 1 - p_cut}, abs=1e-12)


def test_first_meeting_over_a_threshold():
    curve = futures_curve_from_series(_export())
    result = fedwatch(curve, CALENDAR, RANGES, "2024-10-02")
    assert first_meeting_over(result, 0.5).meeting == np.datetime64("2024-11-07")  # 55%
    assert first_meeting_over(result, 0.6).meeting == np.datetime64("2024-12-18")
    assert first_meeting_over(result, 0.999999) is None
    assert first_meeting_over(result, 0.5, direction="hike") is None


def _catalog(series) -> Catalog:
    catalog = Catalog()
    catalog.add(LoadResult("desk_export.xlsx", list(series)))
    return catalog


def test_report_block_from_a_catalog_is_json_ready():
    catalog = _catalog(_export() + [contract("SPX", {"2024-10-01": 5700.0}, sheet="Index")])
    block = report_block(catalog, "2024-10-02", CALENDAR, RANGES)
    json.dumps(block)
    assert block["asof"] == "2024-10-02"
    assert block["current_range"] == [4.75, 5.00]
    assert block["contracts"] == ["FFV24", "FFX24", "FFZ24"]
    nov, dec = block["meetings"]
    assert nov["meeting"] == "2024-11-07"
    assert nov["p_cut"] == pytest.approx(0.55, abs=1e-6)
    assert nov["p_cut"] + nov["p_hold"] + nov["p_hike"] == pytest.approx(1.0, abs=1e-6)
    assert nov["expected_change_bp"] == pytest.approx(-13.75, abs=1e-6)  # 4.6925 - 4.83
    assert nov["implied_rate"] == pytest.approx(4.6925, abs=1e-6)
    assert sum(dec["distribution"].values()) == pytest.approx(1.0, abs=1e-5)
    assert block["sentences"][0].startswith("Nov cut odds 55%")
    assert report_block(catalog, np.datetime64("2024-10-02"), CALENDAR, RANGES) == block


def test_report_block_uses_the_bundled_calendar_and_ranges_by_default():
    catalog = _catalog(_export())
    block = report_block(catalog, "2024-10-02")
    assert [m["meeting"] for m in block["meetings"]] == ["2024-11-07", "2024-12-18"]
    assert block["current_range"] == [4.75, 5.00]


def test_derived_odds_series_added_back_to_the_catalog_are_not_taken_for_contracts():
    curve = futures_curve_from_series(_export())
    derived = fedwatch_history(curve, CALENDAR, RANGES)
    again = futures_curve_from_series([*_export(), *derived])
    assert again.labels == curve.labels and again.messages == []


def test_report_block_is_none_without_fed_funds_futures():
    catalog = _catalog([contract("SPX", {"2024-10-01": 5700.0}, sheet="Index")])
    assert report_block(catalog, "2024-10-02") is None


def test_asof_between_export_dates_uses_the_last_prices_before_it():
    curve = futures_curve_from_series(_export())
    saturday = fedwatch(curve, CALENDAR, RANGES, "2024-10-05").meeting("2024-11-07")
    assert saturday.p_cut == pytest.approx(0.55, abs=1e-12) and not saturday.stale


def test_a_meeting_after_the_range_history_ends_is_noted_not_the_one_that_set_it():
    calendar = FomcCalendar.from_dates(["2025-12-10", "2026-01-28", "2026-03-18"])
    ranges = TargetRangeHistory.from_rows([("2025-12-11", 3.50, 3.75)])
    series = [contract(c, 96.37, day="2025-12-15") for c in ("FFG26", "FFH26", "FFJ26")]
    curve = futures_curve_from_series(series)
    early = fedwatch(curve, calendar, ranges, "2025-12-15")
    assert not any("history ends" in m.text for m in early.messages)
    series = [contract(c, 96.37, day="2026-02-02") for c in ("FFG26", "FFH26", "FFJ26")]
    late = fedwatch(futures_curve_from_series(series), calendar, ranges, "2026-02-02")
    (note,) = [m.text for m in late.messages if "history ends" in m.text]
    assert "2026-01-28" in note and "2025-12-10" not in note
    assert late.current_range == (3.50, 3.75)

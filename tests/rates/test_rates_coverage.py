"""Notes naming where the FOMC calendar and the futures do not cover each other."""

from __future__ import annotations

from rates_fakes import contract

from core.rates import FomcCalendar, TargetRangeHistory, futures_curve_from_series, report_block
from core.rates.coverage import coverage_notes

DAY = "2025-09-01"


def curve_of(*labels: str):
    return futures_curve_from_series([contract(c, 95.8, day=DAY) for c in labels])


def texts(notes) -> list[str]:
    return [n.text for n in notes]


def test_everything_covered_gives_no_note():
    # November's contract only prices October's late decision; no later meeting needed
    calendar = FomcCalendar.from_dates(["2025-07-30", "2025-09-17", "2025-10-29"],
                                       source="cal.csv")
    assert coverage_notes(curve_of("FFQ25", "FFU25", "FFV25", "FFX25"), calendar, DAY) == []


def test_futures_ending_before_a_meeting_name_it_and_count_the_rest():
    calendar = FomcCalendar.from_dates(["2025-09-17", "2025-10-29", "2025-12-10", "2026-01-28"],
                                       source="cal.csv")
    # October 29 is late in its month: it needs November, which the curve lacks
    (note,) = coverage_notes(curve_of("FFQ25", "FFU25", "FFV25"), calendar, DAY)
    assert note.level == "info" and note.file == "cal.csv"
    assert note.text == ("the futures end with FFV25 (Oct 2025): the 2025-10-29 meeting and the "
                         "2 after it in the calendar are not priced (a decision late in the "
                         "month needs the next month's contract)")


def test_futures_past_the_calendars_last_meeting():
    # January 2026 ends 94 days after 2025-10-29: longer than the Fed ever waits
    calendar = FomcCalendar.from_dates(["2025-09-17", "2025-10-29"], source="cal.csv")
    notes = coverage_notes(curve_of("FFQ25", "FFU25", "FFV25", "FFX25", "FFZ25", "FFF26"),
                           calendar, DAY)
    assert texts(notes) == ["the futures run to FFF26 (Jan 2026) but the FOMC calendar ends with "
                            "the 2025-10-29 meeting: meetings after it are not priced; add them "
                            "to the calendar file"]


def test_a_meeting_missing_from_the_calendar_shows_as_a_long_gap():
    # the user deleted the October and December 2025 meetings by mistake
    calendar = FomcCalendar.from_dates(["2025-09-17", "2026-01-28", "2026-03-18"],
                                       source="cal.csv")
    months = ["FFQ25", "FFU25", "FFV25", "FFX25", "FFZ25", "FFF26", "FFG26", "FFH26"]
    (note,) = coverage_notes(curve_of(*months), calendar, DAY)
    # 2025-09-17 -> 2026-01-28 is 133 days = 19 weeks
    assert note.level == "warning"
    assert "between 2025-09-17 and 2026-01-28 (19 weeks" in note.text


def test_the_report_block_carries_the_notes():
    calendar = FomcCalendar.from_dates(["2025-09-17", "2025-10-29"], source="cal.csv")
    ranges = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])
    series = [contract(c, 95.8, day=DAY) for c in ("FFQ25", "FFU25", "FFV25")]
    block = report_block(series, DAY, calendar, ranges)
    assert any("the 2025-10-29 meeting in the calendar is not priced" in m["text"]
               for m in block["messages"])

"""Target range changes after the file's last row, from FRED's DFEDTARL / DFEDTARU."""

from __future__ import annotations

import numpy as np
from rates_fakes import contract

from core.rates import FomcCalendar, TargetRangeHistory, report_block
from core.rates.target_range_fred import with_fred_changes
from core.series import Frequency, Series, SeriesSource

FILE = TargetRangeHistory.from_rows([("2025-10-30", 3.75, 4.00), ("2025-12-11", 3.50, 3.75)])


def fred(code: str, changes: dict[str, float], start="2025-12-01", end="2026-02-10") -> Series:
    """A daily FRED limit: the value of the last change on or before each day."""
    dates = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    keys = np.array(sorted(changes), dtype="datetime64[D]")
    values = np.array([changes[str(keys[np.searchsorted(keys, d, side="right") - 1])]
                       for d in dates])
    return Series(id=f"fred:{code}", name=code, unit="percent", frequency=Frequency.DAILY,
                  source=SeriesSource(f"{code}.csv", "csv", code), dates=dates, values=values)


# FRED (hypothetical for 2026): 3.75-4.00 until Dec 10, 3.50-3.75 from Dec 11, 3.25-3.50
# from Jan 29
LOWER = fred("DFEDTARL", {"2025-12-01": 3.75, "2025-12-11": 3.50, "2026-01-29": 3.25})
UPPER = fred("DFEDTARU", {"2025-12-01": 4.00, "2025-12-11": 3.75, "2026-01-29": 3.50})


def test_changes_after_the_files_last_row_are_added_with_a_note():
    history = with_fred_changes(FILE, [LOWER, UPPER])
    assert [str(d) for d in history.dates] == ["2025-10-30", "2025-12-11", "2026-01-29"]
    assert history.range_at("2026-01-28") == (3.50, 3.75)
    assert history.range_at("2026-02-01") == (3.25, 3.50)
    (note,) = history.messages
    assert note.text == ("target range changes after 2025-12-11 taken from FRED "
                         "DFEDTARL/DFEDTARU: 2026-01-29 3.25-3.50")
    assert note.file == "DFEDTARL.csv"


def test_the_file_wins_where_it_covers_the_date():
    edited = TargetRangeHistory.from_rows([("2025-12-11", 3.25, 3.50)])  # user says -50 bp
    history = with_fred_changes(edited, [LOWER, UPPER])
    assert history.range_at("2025-12-20") == (3.25, 3.50)
    # FRED's Jan 29 move to 3.25-3.50 equals the file's range: no change to add
    assert len(history.dates) == 1 and history.messages == []


def test_without_both_limits_nothing_changes():
    assert with_fred_changes(FILE, [LOWER]) is FILE
    assert with_fred_changes(FILE, []) is FILE
    up_to_date = TargetRangeHistory.from_rows([("2026-01-29", 3.25, 3.50)])
    assert with_fred_changes(up_to_date, [LOWER, UPPER]) is up_to_date


def test_the_report_block_uses_fred_for_todays_range():
    calendar = FomcCalendar.from_dates(["2026-01-28", "2026-03-18", "2026-04-29"])
    day = "2026-02-05"
    futures = [contract(c, 96.70, day=day) for c in ("FFG26", "FFH26", "FFJ26")]
    block = report_block([*futures, LOWER, UPPER], day, calendar, FILE)
    assert block["current_range"] == [3.25, 3.50]
    assert any("taken from FRED" in m["text"] for m in block["messages"])

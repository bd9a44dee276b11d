"""The editable FOMC calendar and target range files: bundled content and bad rows."""

from __future__ import annotations

from collections import Counter

import numpy as np

from core.rates import load_fomc_calendar, load_target_ranges, range_containing
from core.rates.calendar import default_calendar_path, user_calendar_path


def test_bundled_calendar_has_every_meeting_2019_to_2027_and_the_first_of_2028():
    calendar = load_fomc_calendar(default_calendar_path())
    assert calendar.messages == []
    per_year = Counter(int(str(d)[:4]) for d in calendar.dates)
    # Eight scheduled meetings a year; 2020 adds the two unscheduled March meetings
    # and drops the scheduled 17-18 March one (replaced by the 15 March meeting). Of 2028
    # the Fed has published only the 25-26 January meeting (with the 2027 schedule).
    assert per_year == {y: 8 for y in range(2019, 2028)} | {2020: 9, 2028: 1}
    notes = dict(zip((str(d) for d in calendar.dates), calendar.notes, strict=True))
    assert notes["2020-03-03"].startswith("unscheduled")
    assert notes["2020-03-15"].startswith("unscheduled")
    for day in ["2019-07-31", "2022-06-15", "2024-09-18", "2025-09-17", "2026-01-28", "2027-12-08"]:
        assert np.datetime64(day) in calendar.dates
    # the Fed's 2027 schedule (announced 2025-09-05), second days of the meetings
    published_2027 = ["2027-01-27", "2027-03-17", "2027-04-28", "2027-06-09", "2027-07-28",
                      "2027-09-15", "2027-10-27", "2027-12-08"]
    assert [str(d) for d in calendar.dates if str(d).startswith("2027")] == published_2027
    assert str(calendar.dates[-1]) == "2028-01-26"
    assert np.all(np.diff(calendar.dates.astype(np.int64)) > 0)


def test_the_users_edited_calendar_wins_and_later_bundled_meetings_are_added(tmp_path,
                                                                               monkeypatch):
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    user = user_calendar_path()
    user.parent.mkdir(parents=True)
    # the user moved September 2027 and has nothing after 2027-10-27
    user.write_text("decision_date,note\n2027-07-28,scheduled\n2027-09-22,my edit\n"
                    "2027-10-27,scheduled\n", encoding="utf-8")
    calendar = load_fomc_calendar()
    assert calendar.source == str(user)
    assert [str(d) for d in calendar.dates] == ["2027-07-28", "2027-09-22", "2027-10-27",
                                                 "2027-12-08", "2028-01-26"]
    assert calendar.notes[1] == "my edit"
    (note,) = calendar.messages
    assert note.level == "info" and "2027-12-08 .. 2028-01-26 (2)" in note.text
    assert load_fomc_calendar(user).dates[-1] == np.datetime64("2027-10-27")  # explicit path


def test_an_unreadable_user_calendar_falls_back_to_the_bundled_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path))
    user = user_calendar_path()
    user.parent.mkdir(parents=True)
    user.write_text("date;comment\n", encoding="utf-8")
    calendar = load_fomc_calendar()
    assert len(calendar) == len(load_fomc_calendar(default_calendar_path()))
    assert any("bundled FOMC calendar is used" in m.text for m in calendar.messages)
    assert all(m.file == str(user) for m in calendar.messages)


def test_every_target_range_change_follows_a_meeting_in_the_calendar():
    """Two independent files must agree: a change takes effect the day after a decision."""
    calendar = set(load_fomc_calendar().dates.tolist())
    history = load_target_ranges(fetched=False)  # the bundled file, not a fetched FRED copy
    assert history.messages == []
    for day in history.dates[1:]:
        assert (day - np.timedelta64(1, "D")).tolist() in calendar, day


def test_target_range_in_force_at_a_date():
    history = load_target_ranges(fetched=False)  # the bundled file, not a fetched FRED copy
    assert history.range_at("2019-07-31") == (2.25, 2.50)
    assert history.range_at("2019-08-01") == (2.00, 2.25)
    assert history.range_at("2020-03-15") == (1.00, 1.25)
    assert history.range_at("2020-03-16") == (0.00, 0.25)
    assert history.range_at("2023-07-27") == (5.25, 5.50)
    assert history.range_at("2024-09-18") == (5.25, 5.50)
    assert history.range_at("2025-12-11") == (3.50, 3.75)
    assert history.range_at("2018-12-19") is None  # before the file: not covered
    steps = history.upper - history.lower
    assert np.allclose(steps, 0.25)


def test_range_containing_rounds_down_to_the_25bp_grid():
    assert range_containing(4.33) == (4.25, 4.50)
    assert range_containing(0.195) == (0.0, 0.25)
    assert range_containing(4.25) == (4.25, 4.50)
    assert range_containing(-0.05) == (0.0, 0.25)


def test_bad_calendar_rows_become_messages_naming_file_and_cell(tmp_path):
    path = tmp_path / "my_fomc.csv"
    path.write_text(
        "decision_date,note\n"
        "2025-09-17,scheduled\n"
        "2025-13-40,typo\n"
        "\n"
        "2025-10-29,scheduled\n"
        "2025-09-17,again\n"
        "12/10/2025,US style date\n",
        encoding="utf-8",
    )
    calendar = load_fomc_calendar(path)
    assert [str(d) for d in calendar.dates] == ["2025-09-17", "2025-10-29", "2025-12-10"]
    cells = [(m.cell, m.level) for m in calendar.messages]
    assert cells == [("A3", "warning"), ("A6", "warning")]
    assert all(m.file == str(path) for m in calendar.messages)
    assert "2025-13-40" in calendar.messages[0].text


def test_calendar_with_the_wrong_header_is_an_error_not_a_traceback(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("date;comment\n2025-09-17;x\n", encoding="utf-8")
    calendar = load_fomc_calendar(path)
    assert len(calendar) == 0
    (message,) = calendar.messages
    assert (message.level, message.cell) == ("error", "A1")


def test_missing_calendar_file_is_a_message(tmp_path):
    calendar = load_fomc_calendar(tmp_path / "nope.csv")
    assert len(calendar) == 0
    assert calendar.messages[0].level == "error"


def test_bad_target_range_rows_name_the_cell(tmp_path):
    path = tmp_path / "ranges.csv"
    path.write_text(
        "date,lower,upper\n"
        "2024-09-19,4.75,5.00\n"
        "2024-11-08,four,4.75\n"
        "2024-12-19,4.50,4.25\n"
        "2025-09-18,4.00%,4.25%\n",
        encoding="utf-8",
    )
    history = load_target_ranges(path)
    assert [str(d) for d in history.dates] == ["2024-09-19", "2025-09-18"]
    assert [m.cell for m in history.messages] == ["B3", "C4"]
    assert history.range_at("2025-10-01") == (4.00, 4.25)

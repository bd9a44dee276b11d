"""The timing sentence on hand-made curves: each case's meeting odds are chosen first and
the contract prices worked back from them (September from August's price, October, late
in its month, from November's), so the expected cumulative odds are known by hand."""

from __future__ import annotations

import numpy as np
import pytest
from rates_fakes import contract

from core.rates import (
    FomcCalendar,
    TargetRangeHistory,
    fedwatch,
    futures_curve_from_series,
    report_block,
    sentences,
)
from core.rates.fedwatch import FedWatchResult, MeetingOdds
from core.rates.odds_sentence import move_timings

CALENDAR = FomcCalendar.from_dates(["2025-07-30", "2025-09-17", "2025-10-29", "2025-12-10"])
RANGES = TargetRangeHistory.from_rows([("2024-12-19", 4.25, 4.50)])
DAY = "2025-09-01"


def priced(p_sep: float, p_oct: float) -> FedWatchResult:
    """Futures whose September and October moves are ``-p`` steps of 25 bp each (negative
    ``p``: a hike). August averages 4.33; September's end rate 4.33 - 0.25 p_sep; October
    starts there and ends 0.25 p_oct lower."""
    sep_end = 4.33 - 0.25 * p_sep
    oct_end = sep_end - 0.25 * p_oct
    prices = {
        "FFQ25": 100 - 4.33,
        "FFU25": 100 - (16 * 4.33 + 14 * sep_end) / 30,  # 16 days before the 17th of 30
        "FFV25": 100 - (28 * sep_end + 3 * oct_end) / 31,  # 28 days before the 29th of 31
        "FFX25": 100 - oct_end,
    }
    curve = futures_curve_from_series([contract(c, p, day=DAY) for c, p in prices.items()])
    return fedwatch(curve, CALENDAR, RANGES, DAY)


def test_first_cut_near_even_and_a_later_meeting_more_likely_the_seed_sentence():
    result = priced(0.514, 0.51)
    # cumulative: September 51.4%; October 1 - 0.486 * 0.49 = 76.19%
    assert result.meetings[1].p_lower_than_now == pytest.approx(1 - 0.486 * 0.49)
    (timing,) = move_timings(result)
    seed = "Futures price a first cut by September (51%), October more likely (76%)"
    assert timing.sentence == seed
    assert timing.first.meeting == np.datetime64("2025-09-17")
    assert timing.more_likely.meeting == np.datetime64("2025-10-29")
    assert timing.near_even_before is None


def test_first_cut_clearly_priced_stands_alone():
    # September 80% is past near even: no "more likely" meeting is named
    (timing,) = move_timings(priced(0.80, 0.50))
    assert timing.sentence == "Futures price a first cut by September (80%)"
    assert timing.more_likely is None


def test_the_earlier_meeting_near_even_is_named_beside_the_first():
    # September 45% (near even, under half); October 1 - 0.55 * 0.40 = 78%
    (timing,) = move_timings(priced(0.45, 0.60))
    assert timing.sentence == ("Futures price a first cut by October (78%), September near "
                               "even (45%)")
    assert timing.first.probability == pytest.approx(0.78)
    assert timing.near_even_before.probability == pytest.approx(0.45)


def test_no_cut_priced():
    # October 1 - 0.9 * 0.8 = 28%
    (timing,) = move_timings(priced(0.10, 0.20))
    assert timing.direction == "none" and timing.first is None
    assert timing.sentence == "Futures price no cut through October (28%)"


def test_hikes_read_the_same_way():
    # September +55% hike; October 1 - 0.45 * 0.40 = 82%
    (timing,) = move_timings(priced(-0.55, -0.60))
    assert timing.direction == "hike"
    assert timing.sentence == ("Futures price a first hike by September (55%), October more "
                               "likely (82%)")


def test_year_and_day_in_labels_and_both_clauses_together():
    def odds(day: str, p_lower: float) -> MeetingOdds:
        return MeetingOdds(np.datetime64(day), r_start=4.3, r_end=4.2, steps={0: 1.0},
                           distribution={"4.25": 1.0}, p_lower_than_now=p_lower,
                           p_higher_than_now=0.0)

    result = FedWatchResult(np.datetime64("2025-11-20"), (4.25, 4.50), meetings=[
        odds("2025-12-10", 0.45), odds("2026-01-28", 0.55), odds("2026-03-18", 0.70)])
    (timing,) = move_timings(result)
    assert timing.sentence == ("Futures price a first cut by January 2026 (55%), March 2026 more "
                               "likely (70%); December near even (45%)")
    emergency = FedWatchResult(np.datetime64("2020-03-01"), (1.50, 1.75), meetings=[
        odds("2020-03-03", 0.6), odds("2020-03-18", 0.9)])
    assert move_timings(emergency)[0].sentence.startswith("Futures price a first cut by 3 March")


def test_desk_note_and_json_fields():
    result = priced(0.514, 0.51)
    lines = sentences(result)
    assert lines[0].startswith("Sep cut odds 51%")
    assert lines[1] == "Futures price a first cut by September (51%), October more likely (76%)"
    assert not any(line.startswith("First meeting with") for line in lines)
    assert report_block([], DAY, CALENDAR, RANGES, curve=futures_curve_from_series([])) is None
    # September alone: r_end 4.33 - 0.1285, so 0.1285 / 0.25 = 51.4% cut
    sep_avg = (16 * 4.33 + 14 * (4.33 - 0.1285)) / 30
    futures = [contract("FFQ25", 95.67, day=DAY), contract("FFU25", 100 - sep_avg, day=DAY)]
    block = report_block(futures, DAY, CALENDAR, RANGES)
    assert block["first_cut"] == {"meeting": "2025-09-17",
                                  "p_lower_than_now": pytest.approx(0.514)}
    assert block["first_hike"] is None
    (timing,) = block["timing"]
    assert timing["direction"] == "cut" and timing["first"]["label"] == "September"
    assert timing["sentence"] == "Futures price a first cut by September (51%)"
    assert timing["sentence"] in block["sentences"]


def test_no_cut_json_has_null_first_cut():
    result = priced(0.10, 0.20)
    from core.rates.odds_sentence import first_move_fields

    fields = first_move_fields(result)
    assert fields["first_cut"] is None and fields["first_hike"] is None
    through = fields["timing"][0]["through"]
    assert through == {"meeting": "2025-10-29", "probability": pytest.approx(0.28),
                       "label": "October"}
    assert move_timings(FedWatchResult(np.datetime64(DAY), None)) == []

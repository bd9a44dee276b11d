"""Desk-note sentences: present only when their condition holds, with the table's numbers."""

from __future__ import annotations

import numpy as np
from analytics_cases import business_days, make_series

from core.analytics import Window, WindowEngine
from core.analytics.note import desk_note
from core.markets import choose_pairs
from core.series import Frequency

RTY_META = {"asset": "small_cap", "ticker": "RTY"}
SPX_META = {"asset": "large_cap", "ticker": "SPX"}
NDX_META = {"asset": "tech", "ticker": "NDX"}


def _prices():
    days = business_days("2025-01-01", 120)
    # RTY: falls from 100 to a low of 80 on day 60, ends at 100.88 (+26.1% from the low)
    rty = np.concatenate([np.linspace(100, 80, 61), np.linspace(80, 100.88, 60)[1:]])
    spx = np.linspace(200, 248, 120)
    return days, [
        make_series("rty", days, rty, kind="price", name="Russell 2000", meta=RTY_META),
        make_series("spx", days, spx, kind="price", name="S&P 500", meta=SPX_META),
    ]


def test_rally_sentence_uses_the_since_low_returns():
    days, series = _prices()
    e = WindowEngine(series)
    w = Window(days[0], days[-1])
    note = desk_note(e, series, w)
    spx_since_low = 100 * (series[1].values[-1] / series[1].values[60] - 1)
    expected = (f"RTY +26.1% since its {days[60]} low; "
                f"SPX +{spx_since_low:.1f}%")
    assert expected in note
    # RTY 100 -> 100.88 (+0.88%), SPX 200 -> 248 (+24%): 100*(1.0088/1.24 - 1) = -18.6%
    assert f"RTY underperformed SPX by 18.6% over {w}" in note


def test_no_rally_sentence_when_the_rally_is_small():
    days, series = _prices()
    e = WindowEngine(series)
    note = desk_note(e, series, Window(days[0], days[62]))  # 2 days after the low
    assert not any("since its" in line for line in note)


def test_short_interest_highest_since_only_when_a_year_back():
    si = make_series("si", ["2021-11-15", "2022-06-30", "2025-06-30", "2025-07-15"],
                     [16.5, 12.0, 14.0, 16.0], kind="short_interest",
                     name="Russell 2000 short interest", unit="USD bn",
                     frequency=Frequency.TWICE_MONTHLY)
    e = WindowEngine([si])
    note = desk_note(e, [si], Window.parse("2025-07-01:2025-07-31"))
    assert note == ["Russell 2000 short interest USD 16.0bn, highest since 2021-11-15"]
    recent = make_series("si", ["2025-06-30", "2025-07-15"], [17.0, 16.0],
                         kind="short_interest", unit="USD bn")
    e = WindowEngine([recent])
    assert desk_note(e, [recent], Window.parse("2025-07-01:2025-07-31")) == []


def test_positioning_low_in_weeks_with_percentile():
    days = np.datetime64("2023-01-03") + 7 * np.arange(120)
    values = np.linspace(5, 0, 120)
    values[-53] = -5.2  # 52 weeks before the end: the last time it was this low
    values[-1] = -5.1
    s = make_series("cftc:239742:lev_money:net_pct_oi", days, values, kind="positioning",
                    name="Lev-funds net RTY futures", unit="% of OI",
                    frequency=Frequency.WEEKLY, meta={"asset": "small_cap"})
    e = WindowEngine([s])
    note = desk_note(e, [s], Window(days[-10], days[-1]))
    # lookback 36 months holds all 120 weeks... (about 2.3 years): -5.2 and -5.1 are the
    # 2 values <= -5.1 of 120: percentile 100 * 2/120 = 1.7 -> "2"
    assert note == ["Lev-funds net RTY futures −5.1% of OI, lowest in 52 weeks (percentile 2)"]


def test_gap_record_sentence_and_pairs():
    days = np.datetime64("2020-01-07") + 7 * np.arange(200)
    rng = np.random.default_rng(4)
    small = rng.normal(0, 1, 200)
    tech = rng.normal(0, 1, 200)
    tech[-1], small[-1] = 50.0, -50.0  # far beyond anything before: a record gap
    ids = ("cftc:239742:lev_money:net_pct_oi", "cftc:209742:lev_money:net_pct_oi")
    ps = make_series(ids[0], days, small, kind="positioning", unit="% of OI",
                     frequency=Frequency.WEEKLY, meta={"asset": "small_cap"})
    pt = make_series(ids[1], days, tech, kind="positioning", unit="% of OI",
                     frequency=Frequency.WEEKLY, meta={"asset": "tech"})
    days_px, prices = _prices()
    ndx = make_series("ndx", days_px, np.linspace(300, 310, 120), kind="price", meta=NDX_META)
    chosen = choose_pairs([*prices, ndx, ps, pt])
    assert chosen.relative == [("rty", "spx"), ("rty", "ndx")]
    assert chosen.gap == ids
    e = WindowEngine([ps, pt])
    g = e.gap(*ids, Window(days[-5], days[-1]))
    note = desk_note(e, [ps, pt], Window(days[-5], days[-1]))
    assert g.is_record
    assert g.dates[0] == days[1]  # the first z-scores: two observations in the lookback
    assert f"Tech vs small-cap positioning gap {g.gap:.1f}σ, a record (data since " \
           f"{days[1]})" in note


def test_nothing_to_say_gives_no_sentences():
    s = make_series("x", business_days("2025-01-01", 30), np.full(30, 5.0), kind="other")
    e = WindowEngine([s])
    assert desk_note(e, [s], Window.parse("2025-01-01:2025-02-28")) == []


def _highs(n: int) -> list:
    """``n`` untagged short-interest series, each ending at its highest since 2021-11-15."""
    return [make_series(f"mkt{i:03d}", ["2021-11-15", "2022-06-30", "2025-06-30", "2025-07-15"],
                        [16.5 + i, 12.0, 14.0, 16.0 + i], kind="short_interest",
                        name=f"Market {i:03d} SI", unit="USD bn",
                        frequency=Frequency.TWICE_MONTHLY) for i in range(n)]


def test_a_whole_cftc_file_of_markets_leaves_the_note_to_the_desks_markets():
    from core.analytics.note import MAX_UNTAGGED_LEVEL_SERIES as cap

    tagged = make_series("rty_si", ["2021-11-15", "2022-06-30", "2025-06-30", "2025-07-15"],
                         [16.5, 12.0, 14.0, 16.0], kind="short_interest",
                         name="Russell 2000 short interest", unit="USD bn",
                         frequency=Frequency.TWICE_MONTHLY, meta=RTY_META)
    w = Window.parse("2025-07-01:2025-07-31")
    few = [tagged, *_highs(cap)]
    note = desk_note(WindowEngine(few), few, w)
    assert len(note) == cap + 1  # up to the cap: a line for every series that qualifies
    many = [tagged, *_highs(cap + 1)]
    e = WindowEngine(many)
    assert desk_note(e, many, w) == ["Russell 2000 short interest USD 16.0bn, "
                                     "highest since 2021-11-15"]
    focused = desk_note(e, many, w, focus=["mkt007"])
    assert len(focused) == 2
    assert focused[1].startswith("Market 007 SI USD 23.0bn, highest since")

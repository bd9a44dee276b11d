"""A whole CFTC file loaded: the data tree groups series by market (the desk's markets
first, open where something is charted) and has a filter box; the stats table keeps to
the charted series."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import settle
from PySide6.QtCore import Qt

from core.catalog import LoadResult
from core.series import Frequency, Series, SeriesSource
from gui.panels.data_panel import SID_ROLE

WEEKS = np.arange(np.datetime64("2024-01-02"), np.datetime64("2025-01-02"), 7)
MARKETS = {"020601": ("UST BOND", None), "239742": ("E-mini Russell 2000", "small_cap"),
           "001602": ("WHEAT-SRW", None)}


def _cftc_result(file: str = "FinFutYY.txt") -> LoadResult:
    rng = np.random.default_rng(3)
    series = []
    for code, (market, asset) in MARKETS.items():
        for measure in ("Open interest", "Lev. money net % OI"):
            key = "open_interest" if measure.startswith("Open") else "lev_money:net_pct_oi"
            meta = {"market": f"{market} - EXCHANGE", "cftc_code": code}
            if asset:
                meta["asset"] = asset
            unit = "contracts" if key == "open_interest" else "% of OI"
            kind = "open_interest" if key == "open_interest" else "positioning"
            series.append(Series(f"cftc:{code}:{key}", f"{measure}, {market} ({code})", unit,
                                 Frequency.WEEKLY, SeriesSource(file, "csv", f"{code}:{key}"),
                                 WEEKS, rng.normal(0, 1, len(WEEKS)), kind, meta=meta))
    return LoadResult(file, series)


@pytest.fixture
def cftc_window(window):
    window.session.add_result(_cftc_result())
    settle(window)
    return window


def _tree(panel) -> list[tuple[str, list[str]]]:
    top = panel.tree.topLevelItem(0)
    return [(top.child(i).text(0), [top.child(i).child(k).text(0)
                                    for k in range(top.child(i).childCount())])
            for i in range(top.childCount())]


def test_cftc_series_are_grouped_by_market_the_desks_first(cftc_window):
    panel = cftc_window.data_panel
    groups = _tree(panel)
    assert [g for g, _ in groups] == ["E-mini Russell 2000 (239742)", "UST BOND (020601)",
                                      "WHEAT-SRW (001602)"]
    assert groups[0][1] == ["Open interest", "Lev. money net % OI"]
    top = panel.tree.topLevelItem(0)
    checked = set(cftc_window.session.checked)
    for i in range(top.childCount()):  # open exactly where a series is charted
        group = top.child(i)
        holds = any(group.child(k).data(0, SID_ROLE) in checked for k in range(group.childCount()))
        assert group.isExpanded() == holds


def test_filter_hides_what_does_not_match_and_restores_the_groups(cftc_window, qtbot):
    panel = cftc_window.data_panel
    top = panel.tree.topLevelItem(0)
    top.child(0).setExpanded(True)
    top.child(2).setExpanded(False)  # as the user left them
    before = [top.child(i).isExpanded() for i in range(top.childCount())]
    panel.filter.setText("wheat")
    visible = [(top.child(i).text(0), top.child(i).isExpanded()) for i in range(top.childCount())
               if not top.child(i).isHidden()]
    assert visible == [("WHEAT-SRW (001602)", True)]
    panel.filter.setText("% oi")  # matches the unit column and names, any case
    shown = [top.child(i).child(k).data(0, SID_ROLE) for i in range(top.childCount())
             for k in range(top.child(i).childCount()) if not top.child(i).child(k).isHidden()]
    assert shown == ["cftc:239742:lev_money:net_pct_oi", "cftc:020601:lev_money:net_pct_oi",
                     "cftc:001602:lev_money:net_pct_oi"]
    panel.filter.clear()
    assert all(not top.child(i).isHidden() for i in range(top.childCount()))
    assert [top.child(i).isExpanded() for i in range(top.childCount())] == before
    assert before[0] and not before[2]


def test_checking_a_series_in_a_filtered_tree_charts_it(cftc_window):
    panel = cftc_window.data_panel
    panel.filter.setText("wheat")
    top = panel.tree.topLevelItem(0)
    wheat = next(top.child(i) for i in range(top.childCount()) if not top.child(i).isHidden())
    item = wheat.child(1)
    item.setCheckState(0, Qt.CheckState.Checked)
    assert "cftc:001602:lev_money:net_pct_oi" in cftc_window.session.checked


def test_stats_table_keeps_to_the_charted_series_past_the_threshold(window, monkeypatch):
    from gui.models.stats_table_model import SID_ROLE as STATS_SID
    from gui.panels import stats_panel

    monkeypatch.setattr(stats_panel, "CHARTED_ONLY_ABOVE", 4)
    stats = window.stats
    window.session.add_result(_cftc_result())
    settle(window)

    def shown() -> set[str]:
        proxy = stats.proxy
        return {proxy.index(r, 0).data(STATS_SID) for r in range(proxy.rowCount())}

    assert stats.charted_only.isChecked()  # 6 series > 4
    assert shown() == set(window.session.checked) and len(shown()) < 6
    window.session.set_checked(window.session.checked[:1])
    assert shown() == {window.session.checked[0]}
    stats.charted_only.click()  # the user's choice sticks through later loads
    assert len(shown()) == 6
    window.session.add_result(_cftc_result("FinFutYY_2.txt"))
    settle(window)
    assert not stats.charted_only.isChecked()

"""The first view on real files (the TFF reports of 2024 and 2025 with daily index and ETF
prices), as a new user sees it: the window uses the screen, legends name the desk's
futures, the checks tell the small-cap vs tech story, the note leads with it, and the
months between the two reports are a break in every line."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import settle
from PySide6.QtWidgets import QApplication

from core.markets import legend_label
from gui.qt_dates import day_to_seconds

LEV = {"239742": "RTY", "209742": "NDX", "13874A": "ES"}


@pytest.fixture
def real_window(window, real_data):
    tff = real_data / "cftc_tff"
    files = [tff / "FinFutYY_2024-01_to_2024-07.txt", tff / "FinFutYY_2025-01_to_2025-03.xls",
             *sorted((real_data / "prices_daily").glob("*.csv"))]
    window.open_files([str(f) for f in files], sync=True)
    settle(window)
    return window


def test_first_start_takes_most_of_the_screen(window):
    window.place_on_first_start()
    avail = (window.screen() or QApplication.primaryScreen()).availableGeometry()
    assert window.width() >= 0.85 * avail.width() and window.height() >= 0.85 * avail.height()
    assert avail.contains(window.frameGeometry().center())


def test_positioning_checks_and_legends_are_hedge_funds_in_the_desks_futures(real_window):
    s = real_window.session
    positioning = [sid for sid in s.checked if s.series(sid).kind == "positioning"]
    assert positioning == [f"cftc:{code}:lev_money:net_pct_oi" for code in LEV]
    row = real_window.charts.rows["positioning"]
    assert [row.labels[sid] for sid in positioning] == [f"{t} lev. funds" for t in LEV.values()]
    prices = [s.series(sid) for sid in s.checked if s.series(sid).kind == "price"]
    assert prices and all("close" in p.name.lower() for p in prices)
    assert legend_label(s.series("cftc:239742:lev_money:net")) == "RTY lev. funds net"
    assert legend_label(s.series("cftc:13874A:dealer:net_pct_oi")) == "ES dealers"


def test_the_months_between_the_two_reports_break_every_line(real_window):
    hole_start, hole_end = (day_to_seconds(np.datetime64(d)) for d in ("2024-08-01",
                                                                        "2024-12-31"))
    checked = 0
    for key in ("positioning", "gap"):
        for curve in real_window.charts.rows[key].curves.values():
            x, connect = curve.xData, curve.opts["connect"]
            assert isinstance(connect, np.ndarray), key
            spans = np.flatnonzero(connect[:-1].astype(bool))  # segments drawn: i -> i+1
            assert not np.any((x[spans] < hole_start) & (x[spans + 1] > hole_end)), key
            checked += 1
    assert checked >= 4
    # daily prices have no such hole: one unbroken line
    prices = real_window.charts.rows["prices"].curves.values()
    assert all(isinstance(c.opts["connect"], str) for c in prices)


def test_the_note_leads_with_the_small_cap_vs_tech_story(real_window):
    nav = real_window.navigator
    nav.drag_region("A", day_to_seconds(np.datetime64("2024-04-01")),
                    day_to_seconds(np.datetime64("2025-03-11")))
    nav.release_region("A")
    settle(real_window)
    sentences = real_window.note.sentences
    assert len(sentences) > 6
    story = [i for i, line in enumerate(sentences)
             if line.startswith(("Lev-funds net RTY", "Lev-funds net NDX"))]
    assert story and story[0] == 0
    others = [i for i, line in enumerate(sentences)
              if line.startswith(("Dealers", "Asset managers", "Other reportables",
                                  "Non-reportables"))]
    assert others and min(others) > max(story)
    note = real_window.note
    assert note.more.isVisible() and note.more.text() == f"More ({len(sentences) - 6})"
    assert sentences[-1] not in note.text.toPlainText()
    note.more.click()
    assert sentences[-1] in note.text.toPlainText()


def test_a_market_node_charts_all_five_trader_classes(real_window):
    panel = real_window.data_panel
    tree = panel.tree
    nodes = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        nodes += [top.child(k) for k in range(top.childCount())
                  if top.child(k).data(0, 256 + 4) == "239742"]
    assert nodes
    actions = dict(panel.context_actions(nodes[0]))
    actions["Chart all trader classes (net % OI)"]()
    settle(real_window)
    s = real_window.session
    positioning = [sid for sid in s.checked if s.series(sid).kind == "positioning"]
    assert positioning == [f"cftc:239742:{c}:net_pct_oi" for c in
                           ("dealer", "asset_mgr", "lev_money", "other_rept", "nonrept")]
    assert sorted(real_window.charts.rows["positioning"].labels.values()) == sorted(
        f"RTY {c}" for c in ("dealers", "asset mgrs", "lev. funds", "other rept.", "non-rept."))
    assert any(s.series(sid).kind == "price" for sid in s.checked)  # other rows keep theirs
    # the prices loaded are ETFs and ^RUT: NDX's notional needs an index close, and says so
    ndx = [n for i in range(tree.topLevelItemCount()) for n in
           (tree.topLevelItem(i).child(k) for k in range(tree.topLevelItem(i).childCount()))
           if n.data(0, 256 + 4) == "209742"]
    assert "No USD notional" in ndx[0].toolTip(0) and "NDX" in ndx[0].toolTip(0)


def test_the_table_names_cftc_rows_as_the_desk_does(real_window):
    model = real_window.stats.model
    row = model.row_of("cftc:239742:lev_money:net_pct_oi", "A")
    assert model.data(model.index(row, 0)) == "RTY lev. funds net % OI"
    tip = model.data(model.index(row, 0), 3)  # ToolTipRole: the id keeps the code
    assert "239742" in tip

"""The odds pricer the GUI asks on every window rest: it must never price one catalog
with another's curve, and must read an edited FOMC calendar again."""

from __future__ import annotations

import gc

import numpy as np
from rates_fakes import contract

from core.catalog import Catalog, LoadResult
from core.rates import odds_pricer
from core.rates.odds_pricer import OddsPricer, odds_unavailable_reason
from core.rates.rates_block import report_block

DAY = "2024-10-02"


def _futures(nov: float, dec: float, file: str) -> list:
    return [contract("FFV24", {"2024-10-01": 95.17, DAY: 95.17}, file=file),
            contract("FFX24", {"2024-10-01": nov, DAY: nov}, file=file),
            contract("FFZ24", {"2024-10-01": dec, DAY: dec}, file=file)]


def _catalog(series, file: str) -> Catalog:
    catalog = Catalog()
    catalog.add(LoadResult(file, list(series)))
    return catalog


def test_a_new_catalog_is_priced_with_its_own_curve_even_at_a_reused_id():
    pricer = OddsPricer()
    first = _catalog(_futures(95.30, 95.45, "a.xlsx"), "a.xlsx")
    first_block = pricer.block(first, np.datetime64(DAY))
    old_id = id(first)
    del first
    gc.collect()
    # CPython hands a freed object's address to the next object of its size: try for it
    spares, second = [], None
    for _ in range(200):
        candidate = Catalog()
        if id(candidate) == old_id:
            second = candidate
            break
        spares.append(candidate)
    if second is None:
        second = Catalog()
    second.add(LoadResult("b.xlsx", _futures(95.40, 95.55, "b.xlsx")))
    block = pricer.block(second, np.datetime64(DAY))
    assert block == report_block(second, DAY, with_sentences=False)
    nov = block["meetings"][0]
    assert nov["p_cut"] != first_block["meetings"][0]["p_cut"]
    assert block["contracts"] == ["FFV24", "FFX24", "FFZ24"]


def test_a_reloaded_file_in_the_same_catalog_is_priced_afresh():
    pricer = OddsPricer()
    catalog = _catalog(_futures(95.30, 95.45, "a.xlsx"), "a.xlsx")
    before = pricer.block(catalog, np.datetime64(DAY))
    catalog.remove_file("a.xlsx")
    catalog.add(LoadResult("a.xlsx", _futures(95.40, 95.55, "a.xlsx")))
    after = pricer.block(catalog, np.datetime64(DAY))
    assert after == report_block(catalog, DAY, with_sentences=False)
    assert after["meetings"][0]["p_cut"] > before["meetings"][0]["p_cut"]


def test_an_edited_calendar_file_is_read_again(tmp_path, monkeypatch):
    path = tmp_path / "fomc_meetings.csv"
    path.write_text("decision_date,note\n2024-11-07,\n2024-12-18,\n")
    monkeypatch.setattr(odds_pricer, "default_calendar_path", lambda: path)
    pricer = OddsPricer()
    catalog = _catalog(_futures(95.30, 95.45, "a.xlsx"), "a.xlsx")
    meetings = [m["meeting"] for m in pricer.block(catalog, np.datetime64(DAY))["meetings"]]
    assert meetings == ["2024-11-07", "2024-12-18"]
    path.write_text("decision_date,note\n2024-12-18,edited: November dropped\n")
    meetings = [m["meeting"] for m in pricer.block(catalog, np.datetime64(DAY))["meetings"]]
    assert meetings == ["2024-12-18"]


def test_the_reason_for_no_odds_names_what_is_missing():
    empty = Catalog()
    assert "no fed funds futures loaded" in odds_unavailable_reason(empty, None)
    quarterly = [contract("ZQH24", 94.7, file="ZQH24.xlsx", kind="ff_future")]
    text = odds_unavailable_reason(_catalog(quarterly, "ZQH24.xlsx"), None)
    assert "ZQH24.xlsx" in text and "price no FOMC meeting" in text

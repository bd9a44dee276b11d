"""A CFTC TFF file with some columns removed loads what it can -- open interest and the
trader classes whose long AND short are both there -- and names what is missing; no
message ever shows a Python exception name."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from ingest_helpers import by_id, find

from core.ingest import load_file

TXT_2024 = "cftc_tff/FinFutYY_2024-01_to_2024-07.txt"
RTY = "239742"
CLASSES = ("Dealer", "Asset_Mgr", "Lev_Money", "Other_Rept", "NonRept")
IDS = {"Dealer": "dealer", "Asset_Mgr": "asset_mgr", "Lev_Money": "lev_money",
       "Other_Rept": "other_rept", "NonRept": "nonrept"}
EXCEPTION_NAME = re.compile(r"\b[A-Z]\w*(Error|Exception)\b")


def _without(real_data: Path, tmp_path: Path, drop: set[str]) -> Path:
    """The real 2024 TFF text file (its first 100 rows and every E-mini row) with the
    ``drop`` columns removed."""
    src = real_data / TXT_2024
    if not src.exists():
        pytest.skip(f"{src} not available")
    with src.open(newline="", encoding="utf-8") as f:
        table = list(csv.reader(f))
    code = table[0].index("CFTC_Contract_Market_Code")
    table = table[:101] + [r for r in table[101:] if r[code].strip() in (RTY, "209742", "13874A")]
    keep = [i for i, h in enumerate(table[0]) if h.strip() not in drop]
    out = tmp_path / "FinFut_cut.txt"
    with out.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[r[i] for i in keep] for r in table])
    return out


def _no_exception_names(result) -> None:
    for m in result.messages:
        assert not EXCEPTION_NAME.search(m.text), m.text


def test_full_file_has_no_missing_column_message(real_data: Path, tmp_path: Path) -> None:
    result = load_file(_without(real_data, tmp_path, set()), use_cache=False)
    assert not find(result, "columns missing")
    assert f"cftc:{RTY}:lev_money:net_pct_oi" in by_id(result)


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("side", ["Long", "Short"])
def test_one_side_of_a_class_removed(real_data: Path, tmp_path: Path, cls: str, side: str) -> None:
    column = f"{cls}_Positions_{side}_All"
    result = load_file(_without(real_data, tmp_path, {column}), use_cache=False)
    ids = by_id(result)
    _no_exception_names(result)
    assert not [m for m in result.messages if m.level == "error"]
    said = find(result, "columns missing from this CFTC report")
    assert len(said) == 1 and column in said[0].text and "not loaded (long or short missing)" in said[0].text
    assert f"cftc:{RTY}:open_interest" in ids
    assert not [i for i in ids if i.startswith(f"cftc:{RTY}:{IDS[cls]}:")]
    others = [c for c in CLASSES if c != cls]
    for other in others:
        assert f"cftc:{RTY}:{IDS[other]}:net" in ids
        assert f"cftc:{RTY}:{IDS[other]}:net_pct_oi" in ids
    assert "CFTC TFF" in " ".join(m.text for m in result.messages)  # still TFF, not Legacy


def test_spread_removed_keeps_the_class(real_data: Path, tmp_path: Path) -> None:
    result = load_file(_without(real_data, tmp_path, {"Lev_Money_Positions_Spread_All"}), use_cache=False)
    ids = by_id(result)
    said = find(result, "columns missing from this CFTC report")
    assert len(said) == 1 and "Lev_Money_Positions_Spread_All" in said[0].text
    assert "not loaded" not in said[0].text
    assert f"cftc:{RTY}:lev_money:net" in ids and f"cftc:{RTY}:lev_money:spread" not in ids


def test_open_interest_removed(real_data: Path, tmp_path: Path) -> None:
    result = load_file(_without(real_data, tmp_path, {"Open_Interest_All"}), use_cache=False)
    ids = by_id(result)
    _no_exception_names(result)
    said = find(result, "columns missing from this CFTC report")
    assert len(said) == 1 and "Open_Interest_All" in said[0].text
    assert "no net % of open interest" in said[0].text
    assert f"cftc:{RTY}:open_interest" not in ids
    assert f"cftc:{RTY}:lev_money:net" in ids and f"cftc:{RTY}:lev_money:net_pct_oi" not in ids
    (tmp_path / "full").mkdir()
    full = by_id(load_file(_without(real_data, tmp_path / "full", set()), use_cache=False))
    assert (ids[f"cftc:{RTY}:lev_money:net"].values == full[f"cftc:{RTY}:lev_money:net"].values).all()


def test_every_class_removed_keeps_open_interest(real_data: Path, tmp_path: Path) -> None:
    drop = {f"{c}_Positions_{s}_All" for c in CLASSES for s in ("Long", "Short", "Spread")}
    result = load_file(_without(real_data, tmp_path, drop), use_cache=False)
    ids = by_id(result)
    _no_exception_names(result)
    assert f"cftc:{RTY}:open_interest" in ids
    assert not [i for i in ids if i.count(":") == 3]
    said = find(result, "columns missing from this CFTC report")
    assert len(said) == 1 and "loaded open interest" in said[0].text


def test_every_class_and_open_interest_removed(real_data: Path, tmp_path: Path) -> None:
    drop = {f"{c}_Positions_{s}_All" for c in CLASSES for s in ("Long", "Short", "Spread")}
    result = load_file(_without(real_data, tmp_path, drop | {"Open_Interest_All"}), use_cache=False)
    _no_exception_names(result)
    assert not [s for s in result.series if s.id.startswith("cftc:")]
    assert find(result, "neither Open_Interest_All nor the long and short")


def test_report_dates_removed(real_data: Path, tmp_path: Path) -> None:
    drop = {"As_of_Date_In_Form_YYMMDD", "Report_Date_as_YYYY-MM-DD"}
    result = load_file(_without(real_data, tmp_path, drop), use_cache=False)
    _no_exception_names(result)
    assert find(result, "without a report date column")


def test_reader_failures_read_as_words() -> None:
    from core.ingest.guard import describe

    assert describe(KeyError("short")) == "an expected field is missing: 'short'"
    assert not EXCEPTION_NAME.search(describe(ValueError("XlsxError: bad header")))
    assert not EXCEPTION_NAME.search(describe(RuntimeError("")))

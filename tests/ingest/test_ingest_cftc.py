"""CFTC TFF and Legacy reports: anchor values from cftc_tff/SOURCE.md, an independent
pandas computation of net positions, multi-year merge across renames and formats."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_helpers import by_id, find, value_at

from core.ingest import load_file, load_files
from core.series import Frequency, PublicationLag

TFF = "cftc_tff"
XLS_2025 = f"{TFF}/FinFutYY_2025-01_to_2025-03.xls"
XLS_2021 = f"{TFF}/FinFutYY_2021-01_to_2021-08.xls"
TXT_2024 = f"{TFF}/FinFutYY_2024-01_to_2024-07.txt"
TXT_2024_COMBINED = f"{TFF}/FinComYY_2024-01_to_2024-07.txt"
TXT_2020 = f"{TFF}/FinFutYY_2020-01_to_2020-11.txt"
LEGACY = "cftc_legacy/annual_legacy_futonly_2025-01_to_2025-03.txt"


@pytest.mark.parametrize(("rel", "prefix", "day", "code", "oi", "lev", "am"), [
    (XLS_2025, "cftc", "2025-03-11", "239742", 473874, (104927, 89803), (172727, 124697)),
    (XLS_2025, "cftc", "2025-03-11", "209742", 303084, (79012, 74346), (89490, 51022)),
    (XLS_2025, "cftc", "2025-03-11", "13874A", 2282648, (268404, 461956), (1094727, 247942)),
    (XLS_2021, "cftc", "2021-08-24", "239742", 451736, (47700, 133570), (194275, 160669)),
    (XLS_2021, "cftc", "2021-08-24", "209742", 227123, (38426, 71282), (65066, 43356)),
    (TXT_2024, "cftc", "2024-07-23", "239742", 482645, (62244, 125962), (226066, 139313)),
    (TXT_2024_COMBINED, "cftc-combined", "2024-07-23", "239742", 509003, (63286, 128318), (226324, 139350)),
    (TXT_2020, "cftc", "2020-11-24", "239742", 560324, (78368, 135977), (310094, 193952)),
])
def test_tff_anchor_values(real_data: Path, rel, prefix, day, code, oi, lev, am) -> None:
    s = by_id(load_file(real_data / rel))
    base = f"{prefix}:{code}"
    assert value_at(s[f"{base}:open_interest"], day) == oi
    assert value_at(s[f"{base}:lev_money:long"], day) == lev[0]
    assert value_at(s[f"{base}:lev_money:short"], day) == lev[1]
    assert value_at(s[f"{base}:lev_money:net"], day) == lev[0] - lev[1]
    assert value_at(s[f"{base}:lev_money:net_pct_oi"], day) == pytest.approx(100 * (lev[0] - lev[1]) / oi)
    assert value_at(s[f"{base}:asset_mgr:long"], day) == am[0]
    assert value_at(s[f"{base}:asset_mgr:net"], day) == am[0] - am[1]


def test_tff_series_metadata(real_data: Path) -> None:
    r = load_file(real_data / XLS_2025)
    s = by_id(r)
    net = s["cftc:239742:lev_money:net"]
    assert net.name == "Lev. money net, E-mini Russell 2000 (239742)"
    assert net.unit == "contracts" and net.kind == "positioning"
    assert net.frequency == Frequency.WEEKLY and net.publication_lag == PublicationLag(days=3)
    assert net.meta["asset"] == "small_cap" and net.meta["ticker"] == "RTY"
    assert net.meta["market"] == "RUSSELL E-MINI - CHICAGO MERCANTILE EXCHANGE"
    assert s["cftc:239742:lev_money:net_pct_oi"].unit == "% of OI"
    assert s["cftc:209742:lev_money:net"].meta["asset"] == "tech"
    assert s["cftc:13874A:lev_money:net"].meta["asset"] == "large_cap"
    assert "cftc:090741:open_interest" in s  # leading zero kept: code read as text
    assert "asset" not in s["cftc:239747:lev_money:net"].meta
    assert {"cftc:239742:nonrept:long", "cftc:239742:dealer:spread"} <= set(s)
    assert "cftc:239742:nonrept:spread" not in s  # TFF has no non-reportable spreading
    assert len(net) == 10 and np.all(np.diff(net.dates.astype(np.int64)) == 7)
    assert find(r, "newest first")


def test_net_positions_match_independent_pandas(real_data: Path) -> None:
    path = real_data / TXT_2024
    df = pd.read_csv(path, dtype={"CFTC_Contract_Market_Code": str}, na_values=["."], skipinitialspace=True)
    df["code"] = df["CFTC_Contract_Market_Code"].str.strip()
    rty = df[df["code"] == "239742"].sort_values("Report_Date_as_YYYY-MM-DD")
    expected_net = (rty["Lev_Money_Positions_Long_All"] - rty["Lev_Money_Positions_Short_All"]).to_numpy(float)
    expected_pct = 100 * expected_net / rty["Open_Interest_All"].to_numpy(float)
    expected_dates = pd.to_datetime(rty["Report_Date_as_YYYY-MM-DD"]).to_numpy().astype("datetime64[D]")
    s = by_id(load_file(path))
    net, pct = s["cftc:239742:lev_money:net"], s["cftc:239742:lev_money:net_pct_oi"]
    np.testing.assert_array_equal(net.dates, expected_dates)
    np.testing.assert_array_equal(net.values, expected_net)
    np.testing.assert_allclose(pct.values, expected_pct, rtol=1e-12)


def test_years_merge_into_one_history_across_renames_and_formats(real_data: Path) -> None:
    files = [real_data / f for f in (TXT_2024, XLS_2025, TXT_2020, XLS_2021)]
    singles = [by_id(load_file(f)) for f in files]
    results = load_files(files)
    sid = "cftc:239742:lev_money:net"
    merged = [by_id(r)[sid] for r in results]
    assert all(m is merged[0] for m in merged)  # every result holds the same merged series
    m = merged[0]
    assert len(m) == sum(len(s[sid]) for s in singles) == 47 + 34 + 30 + 10
    assert str(m.first_date) == "2020-01-07" and str(m.last_date) == "2025-03-11"
    assert value_at(m, "2020-11-24") == 78368 - 135977
    assert value_at(m, "2021-08-24") == 47700 - 133570
    assert value_at(m, "2025-03-11") == 104927 - 89803
    # old name "E-MINI RUSSELL 2000 INDEX" and new "RUSSELL E-MINI": one series, latest name
    assert m.meta["market"] == "RUSSELL E-MINI - CHICAGO MERCANTILE EXCHANGE"
    assert m.frequency == Frequency.WEEKLY
    assert not [msg for r in results for msg in r.messages if "differ" in msg.text]


def test_overlapping_files_equal_values_merge_silently(real_data: Path) -> None:
    results = load_files([real_data / TXT_2024, real_data / TXT_2024])
    s = by_id(results[0])["cftc:239742:open_interest"]
    assert len(s) == 30
    assert not [m for r in results for m in r.messages if "differ" in m.text]


def _mini_cftc(path: Path, rows: list[tuple[str, str, int, int, int]]) -> Path:
    head = ('"Market_and_Exchange_Names","As_of_Date_In_Form_YYMMDD","Report_Date_as_YYYY-MM-DD",'
            '"CFTC_Contract_Market_Code","Open_Interest_All","Lev_Money_Positions_Long_All",'
            '"Lev_Money_Positions_Short_All","Lev_Money_Positions_Spread_All"')
    lines = [head] + [f'"{n}",{d[2:4]}{d[5:7]}{d[8:]},{d},"239742",{oi},{lo},{sh},0' for n, d, oi, lo, sh in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


def test_differing_overlap_later_file_wins_with_warning(tmp_path: Path) -> None:
    a = _mini_cftc(tmp_path / "a.txt", [("RUSSELL E-MINI - CME", "2024-07-16", 100, 60, 40),
                                        ("RUSSELL E-MINI - CME", "2024-07-09", 100, 50, 40)])
    b = _mini_cftc(tmp_path / "b.txt", [("RUSSELL E-MINI - CME", "2024-07-23", 100, 70, 40),
                                        ("RUSSELL E-MINI - CME", "2024-07-16", 100, 65, 40)])
    results = load_files([a, b])
    net = by_id(results[1])["cftc:239742:lev_money:net"]
    assert [(str(d), v) for d, v in zip(net.dates, net.values, strict=True)] == [
        ("2024-07-09", 10.0), ("2024-07-16", 25.0), ("2024-07-23", 30.0)]
    warn = [m for m in results[1].messages if "differ" in m.text]
    assert len(warn) == 1 and warn[0].level == "warning" and "a.txt" in warn[0].text
    assert "2024-07-16" in warn[0].text


def test_legacy_report_fallback(real_data: Path) -> None:
    r = load_file(real_data / LEGACY)
    s = by_id(r)
    assert value_at(s["cftc:239742:open_interest"], "2025-03-11") == 473874
    assert value_at(s["cftc:239742:noncommercial:long"], "2025-03-11") == 77188
    assert value_at(s["cftc:239742:noncommercial:short"], "2025-03-11") == 82364
    assert value_at(s["cftc:239742:noncommercial:net"], "2025-03-11") == 77188 - 82364
    assert s["cftc:239742:noncommercial:net"].name.startswith("Noncommercial net")
    assert find(r, "not hedge funds")
    tff = by_id(load_file(real_data / XLS_2025))
    assert value_at(tff["cftc:239742:open_interest"], "2025-03-11") == value_at(
        s["cftc:239742:open_interest"], "2025-03-11")

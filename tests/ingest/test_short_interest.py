"""Short-interest snapshots and holdings baskets: ingest, merge across files (with the
conflicting-date warning), USD value at as-of prices, basket sum; each figure checked
against an independent plain-Python/pandas computation or hand-worked numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.ingest import load_file
from core.pipeline import build_catalog

HEADER = ("symbol,exchange,shares_outstanding,public_float,short_interest_date,"
          "shares_sold_short,change_from_last,percent_of_float\n")


def _snapshot(folder: Path, name: str, rows: list[tuple]) -> Path:
    path = folder / name
    body = "".join(f"{s},NYSE,1000.0,900.0,{d},{q},0.0,{p}\n" for s, d, q, p in rows)
    path.write_text(HEADER + body)
    return path


def _prices(folder: Path, symbol: str, rows: list[tuple[str, float]]) -> Path:
    path = folder / f"{symbol}.csv"
    path.write_text("Date,Close\n" + "".join(f"{d},{v}\n" for d, v in rows))
    return path


def _many(n: int, date: str) -> list[tuple]:
    return [(f"S{i:03d}", date, 1000.0 + i, "") for i in range(n)]


def test_snapshot_is_read_not_refused_as_cross_sectional(tmp_path):
    path = _snapshot(tmp_path, "si_2025-07-15.csv",
                     [("IWM", "07/15/25", 100.0, ""), ("AAA", "07/15/25", 5.0, "1.5"),
                      ("BBB", "", "", "")] + _many(60, "07/15/25"))
    result = load_file(path, use_cache=False)
    assert not any("cross-sectional" in m.text for m in result.messages)
    [carrier] = result.series
    assert carrier.id == "si-snapshot:si_2025-07-15:symbols"
    assert carrier.meta["settlement_date"] == "2025-07-15"
    skipped = [m for m in result.messages if "without a settlement date" in m.text]
    assert skipped
    assert skipped[0].cell == "E4"  # the BBB row: its date cell


def test_merge_across_files_later_file_wins_and_the_warning_names_both(tmp_path):
    a = _snapshot(tmp_path, "si_a.csv", [("IWM", "06/30/25", 100.0, ""),
                                         ("IWM", "06/13/25", 90.0, "")] + _many(30, "06/30/25"))
    b = _snapshot(tmp_path, "si_b.csv", [("IWM", "07/15/25", 120.0, ""),
                                         ("IWM", "06/30/25", 105.0, "")] + _many(30, "07/15/25"))
    catalog = build_catalog([a, b], use_cache=False)
    shares = catalog["si:IWM:shares_short"]
    # independently: a dict per date, files applied in load order (later overwrites)
    expected: dict[str, float] = {}
    for rows in ([("2025-06-30", 100.0), ("2025-06-13", 90.0)],
                 [("2025-07-15", 120.0), ("2025-06-30", 105.0)]):
        expected.update(rows)
    assert list(shares.dates.astype(str)) == sorted(expected)
    np.testing.assert_allclose(shares.values, [expected[d] for d in sorted(expected)])
    warnings = [m for m in catalog.messages if "differ from" in m.text]
    assert len(warnings) == 1
    assert warnings[0].file == "si_b.csv"
    assert "si_a.csv" in warnings[0].text
    assert "IWM 2025-06-30: 100 -> 105" in warnings[0].text


def test_three_files_last_wins_and_the_warning_names_every_overridden_file(tmp_path):
    a = _snapshot(tmp_path, "si_a.csv", [("IWM", "06/30/25", 100.0, ""),
                                         ("QQQ", "06/30/25", 7.0, "")] + _many(30, "06/30/25"))
    b = _snapshot(tmp_path, "si_b.csv", [("IWM", "06/30/25", 105.0, ""),
                                         ("QQQ", "06/30/25", 7.0, "")] + _many(30, "07/15/25"))
    c = _snapshot(tmp_path, "si_c.csv", [("IWM", "06/30/25", 110.0, ""),
                                         ("QQQ", "06/30/25", 8.0, ""),
                                         ("IWM", "07/31/25", 130.0, "")] + _many(30, "07/31/25"))
    catalog = build_catalog([a, b, c], use_cache=False)
    # independently: files applied in load order, a later file overwriting a key
    expected: dict[tuple[str, str], float] = {}
    for path in (a, b, c):
        frame = pd.read_csv(path)
        for sym, day, q in zip(frame.symbol, frame.short_interest_date,
                               frame.shares_sold_short, strict=True):
            expected[(sym, str(pd.Timestamp(day).date()))] = q
    for sym in ("IWM", "QQQ"):
        shares = catalog[f"si:{sym}:shares_short"]
        want = sorted((d, q) for (s, d), q in expected.items() if s == sym)
        assert list(shares.dates.astype(str)) == [d for d, _ in want]
        assert shares.values.tolist() == [q for _, q in want]
    assert catalog["si:IWM:shares_short"].values.tolist() == [110.0, 130.0]
    [warning] = [m for m in catalog.messages if "differ from" in m.text]
    assert warning.file == "si_c.csv"
    assert "differ from si_a.csv and si_b.csv" in warning.text
    assert "2 short-interest rows" in warning.text  # IWM and QQQ on 2025-06-30
    assert "IWM 2025-06-30: 100 -> 105 -> 110 shares" in warning.text
    assert "kept si_c.csv's values" in warning.text


def test_an_earlier_file_equal_to_the_kept_value_is_not_named(tmp_path):
    a = _snapshot(tmp_path, "si_a.csv", [("IWM", "06/30/25", 110.0, "")] + _many(30, "06/30/25"))
    b = _snapshot(tmp_path, "si_b.csv", [("IWM", "06/30/25", 105.0, "")] + _many(30, "06/30/25"))
    c = _snapshot(tmp_path, "si_c.csv", [("IWM", "06/30/25", 110.0, "")] + _many(30, "06/30/25"))
    catalog = build_catalog([a, b, c], use_cache=False)
    assert catalog["si:IWM:shares_short"].values.tolist() == [110.0]
    [warning] = [m for m in catalog.messages if "differ from" in m.text]
    assert "differ from si_b.csv on" in warning.text
    assert "si_a.csv" not in warning.text


def test_finra_pipe_file_gives_days_to_cover_and_volume(tmp_path):
    path = tmp_path / "shrt20250715.csv"
    path.write_text(
        "accountingYearMonthNumber|symbolCode|issueName|currentShortPositionQuantity|"
        "averageDailyVolumeQuantity|daysToCoverQuantity|settlementDate\n"
        "20250715|IWM|iShares Russell 2000 ETF|120000000|30000000|4.00|2025-07-15\n"
        "20250715|QQQ|Invesco QQQ|50000000|40000000|1.25|2025-07-15\n")
    catalog = build_catalog([path], use_cache=False)
    assert catalog["si:IWM:shares_short"].values.tolist() == [120000000.0]
    assert catalog["si:IWM:days_to_cover"].values.tolist() == [4.0]
    assert catalog["si:QQQ:avg_daily_volume"].values.tolist() == [40000000.0]
    assert "si:IWM:pct_float" not in catalog  # the file gives no float


def test_short_usd_uses_the_close_on_or_before_settlement(tmp_path):
    snap_a = _snapshot(tmp_path, "si_a.csv", [("IWM", "07/04/25", 2e6, "")] + _many(30, "07/04/25"))
    snap_b = _snapshot(tmp_path, "si_b.csv", [("IWM", "07/15/25", 3e6, "")] + _many(30, "07/15/25"))
    # 2025-07-04 is a holiday: the 07-03 close applies; 07-16's close is never used
    prices = _prices(tmp_path, "IWM", [("2025-07-02", 200.0), ("2025-07-03", 210.0),
                                       ("2025-07-07", 190.0), ("2025-07-15", 220.0),
                                       ("2025-07-16", 999.0)])
    catalog = build_catalog([snap_a, snap_b, prices], use_cache=False)
    usd = catalog["si:IWM:short_usd"]
    np.testing.assert_allclose(usd.values, [2e6 * 210 / 1e9, 3e6 * 220 / 1e9])
    left = pd.DataFrame({"date": pd.to_datetime(["2025-07-04", "2025-07-15"]), "q": [2e6, 3e6]})
    px = pd.read_csv(prices, parse_dates=["Date"]).rename(columns={"Date": "date"})
    joined = pd.merge_asof(left, px, on="date")
    np.testing.assert_allclose(usd.values, joined.q * joined.Close / 1e9)


HOLDINGS = '''\ufeffiShares Russell 2000 ETF
Fund Holdings as of,"Jul 15, 2025"
Shares Outstanding,"278,750,000.00"
\u00a0
Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,Location
"AAA","A CORP","Industrials","Equity","2,000.00","1.0","2,000.00","1,000.00","2.00","United States"
"BRK/B","B CORP","Financials","Equity","3,000.00","1.0","3,000.00","1,000.00","3.00","United States"
"CCC","C CORP","Health Care","Equity","1,500.00","1.0","1,500.00","300.00","5.00","United States"
"-","UNLISTED RIGHT","Health Care","Equity","1.31","0.00","1.31","130,676.00","0.00","-"
"XSD","CASH","Cash","Cash","1,000.00","1.0","1,000.00","1,000.00","1.00","-"
\u00a0
"The content contained herein is owned by BlackRock, \u201clegal\u201d footer."
\u00a92025 BlackRock, Inc. All rights reserved.
'''


def test_basket_sums_members_at_holdings_prices_and_names_the_missing(tmp_path):
    holdings = tmp_path / "IWM_holdings.csv"
    holdings.write_text(HOLDINGS, encoding="utf-8")
    snap = _snapshot(tmp_path, "si.csv", [("AAA", "07/15/25", 1e6, ""),
                                          ("BRK.B", "07/15/25", 2e6, ""),
                                          ("ZZZ", "07/15/25", 5e6, "")] + _many(30, "07/15/25"))
    catalog = build_catalog([holdings, snap], use_cache=False)
    basket = catalog["si-basket:IWM_holdings:short_usd"]
    # hand-worked: AAA 1e6 × 2.00 + BRK/B (= BRK.B) 2e6 × 3.00 = 8e6 USD; CCC has no row
    assert basket.values.tolist() == pytest.approx([8e6 / 1e9])
    assert "at the holdings file's prices (2025-07-15)" in basket.name
    [note] = [m for m in catalog.messages if "basket short interest" in m.text]
    assert "2 of 3 members" in note.text
    assert "1 missing, not counted: CCC" in note.text


SI_DIR = "short_interest"


def test_real_snapshots_give_the_source_md_iwm_history(real_data):
    files = [real_data / SI_DIR / f"short_interest_settle_{d}.csv" for d in ("2021-01-29",
                                                                            "2021-06-30")]
    iwm = real_data / "prices_daily" / "IWM.csv"
    if not all(f.exists() for f in [*files, iwm]):
        pytest.skip("real short-interest snapshots or IWM prices absent")
    catalog = build_catalog([*files, iwm], use_cache=False)
    shares = catalog["si:IWM:shares_short"]
    assert list(shares.dates.astype(str)) == ["2021-01-29", "2021-06-30"]
    assert shares.values.tolist() == [94_130_000, 114_380_000]  # SOURCE.md
    px = pd.read_csv(iwm, parse_dates=["Date"]).set_index("Date")["Close"]
    expected = [q * px[:d].iloc[-1] / 1e9 for q, d in zip(shares.values, ("2021-01-29",
                                                                            "2021-06-30"),
                                                            strict=True)]
    np.testing.assert_allclose(catalog["si:IWM:short_usd"].values, expected)


def test_real_holdings_basket_matches_pandas(real_data):
    holdings = real_data / "messy_formats" / "IWM_holdings.csv"
    snap = real_data / SI_DIR / "short_interest_settle_2021-06-30.csv"
    if not (holdings.exists() and snap.exists()):
        pytest.skip("real holdings or snapshot absent")
    catalog = build_catalog([holdings, snap], use_cache=False)
    basket = catalog["si-basket:IWM_holdings:short_usd"]
    h = pd.read_csv(holdings, skiprows=9, thousands=",", encoding="utf-8-sig",
                    on_bad_lines="skip", engine="python")
    h = h[(h["Asset Class"] == "Equity") & (h["Ticker"] != "-")]
    h = h[pd.to_numeric(h["Price"], errors="coerce").notna()]
    s = pd.read_csv(snap, keep_default_na=False)
    s = s[s["short_interest_date"] == "06/30/21"]
    s = s.assign(key=s["symbol"].str.replace(r"[.\s/-]", "", regex=True),
                 q=pd.to_numeric(s["shares_sold_short"], errors="coerce")).dropna(subset=["q"])
    h = h.assign(key=h["Ticker"].astype(str).str.replace(r"[.\s/-]", "", regex=True))
    joined = h.merge(s[["key", "q"]], on="key")
    expected = (joined["q"] * joined["Price"].astype(float)).sum() / 1e9
    assert basket.dates[-1] == np.datetime64("2021-06-30")
    assert basket.values[-1] == pytest.approx(expected)


def test_carriers_survive_the_parse_cache(tmp_path):
    # the isolated GAPWATCH_HOME fixture holds the cache; the second build reads it
    holdings = tmp_path / "IWM_holdings.csv"
    holdings.write_text(HOLDINGS, encoding="utf-8")
    snap = _snapshot(tmp_path, "si.csv", [("AAA", "07/15/25", 1e6, "2.5"),
                                          ("IWM", "07/15/25", 5e6, "")] + _many(30, "07/15/25"))
    first = build_catalog([holdings, snap])
    assert load_file(snap).from_cache
    assert load_file(holdings).from_cache
    second = build_catalog([holdings, snap])
    for sid in ("si-basket:IWM_holdings:short_usd", "si:IWM:shares_short"):
        np.testing.assert_array_equal(first[sid].values, second[sid].values)
    assert second["si-basket:IWM_holdings:short_usd"].values.tolist() == pytest.approx([2e-3])


def test_a_long_layout_short_interest_history_is_not_taken_for_a_snapshot(tmp_path):
    path = tmp_path / "si_history.csv"
    days = pd.bdate_range("2024-01-01", periods=40).strftime("%Y-%m-%d")
    path.write_text("ticker,settlement_date,short_interest\n" + "".join(
        f"{t},{d},{100 + i}\n" for i, d in enumerate(days) for t in ("IWM", "QQQ")))
    result = load_file(path, use_cache=False)
    assert not any(s.id.startswith("si-snapshot:") for s in result.series)
    assert len(result.series) == 2  # one history per ticker, as before


def test_any_symbol_on_demand(tmp_path):
    from core.analytics.short_interest import series_for_symbol

    snap = _snapshot(tmp_path, "si.csv", [("AGM.A", "07/15/25", 1234.0, "0.5")]
                     + _many(30, "07/15/25"))
    catalog = build_catalog([snap], use_cache=False)
    assert "si:AGM.A:shares_short" not in catalog  # not a desk ETF, no loaded close
    by_id = {s.id: s for s in series_for_symbol(catalog, "agm.a")}
    assert by_id["si:AGM.A:shares_short"].values.tolist() == [1234.0]
    assert by_id["si:AGM.A:pct_float"].values.tolist() == [0.5]


def test_basket_uses_a_members_loaded_close_where_there_is_one(tmp_path):
    holdings = tmp_path / "IWM_holdings.csv"
    holdings.write_text(HOLDINGS, encoding="utf-8")
    snap = _snapshot(tmp_path, "si.csv", [("AAA", "07/15/25", 1e6, ""),
                                          ("BRK.B", "07/15/25", 2e6, "")] + _many(30, "07/15/25"))
    aaa = _prices(tmp_path, "AAA", [("2025-07-14", 4.0), ("2025-07-16", 99.0)])
    catalog = build_catalog([holdings, snap, aaa], use_cache=False)
    basket = catalog["si-basket:IWM_holdings:short_usd"]
    # AAA at its loaded 07-14 close 4.00 (not 07-16's), BRK/B at the holdings price 3.00
    assert basket.values.tolist() == pytest.approx([(1e6 * 4 + 2e6 * 3) / 1e9])
    assert basket.name.endswith(
        "at loaded prices for 1 member, the holdings file's prices (2025-07-15) for 1")


def test_basket_at_members_loaded_prices_as_of_each_settlement_date(tmp_path):
    holdings = tmp_path / "IWM_holdings.csv"
    holdings.write_text(HOLDINGS, encoding="utf-8")
    snap_a = _snapshot(tmp_path, "si_a.csv", [("AAA", "06/30/25", 1e6, ""),
                                              ("BRK.B", "06/30/25", 2e6, ""),
                                              ("CCC", "06/30/25", 4e5, "")]
                       + _many(30, "06/30/25"))
    snap_b = _snapshot(tmp_path, "si_b.csv", [("AAA", "07/15/25", 1.5e6, ""),
                                              ("BRK.B", "07/15/25", 2.5e6, ""),
                                              ("CCC", "07/15/25", 5e5, "")]
                       + _many(30, "07/15/25"))
    # AAA loaded all along; CCC's prices start after the first settlement date (the
    # holdings price applies there); a price after a settlement date is never used
    aaa = _prices(tmp_path, "AAA", [("2025-06-27", 4.0), ("2025-07-01", 77.0),
                                    ("2025-07-14", 4.5), ("2025-07-16", 99.0)])
    ccc = _prices(tmp_path, "CCC", [("2025-07-02", 6.0), ("2025-07-15", 6.5),
                                    ("2025-07-17", 88.0)])
    catalog = build_catalog([holdings, snap_a, snap_b, aaa, ccc], use_cache=False)
    basket = catalog["si-basket:IWM_holdings:short_usd"]

    # independently: merge_asof of each member's loaded close onto the settlement dates,
    # the holdings file's price where none is on or before
    h = pd.DataFrame({"key": ["AAA", "BRKB", "CCC"], "file_price": [2.0, 3.0, 5.0]})
    q = pd.concat([pd.read_csv(p) for p in (snap_a, snap_b)])
    q = q[q.symbol.isin(["AAA", "BRK.B", "CCC"])].assign(
        key=lambda f: f.symbol.str.replace(".", "", regex=False),
        date=lambda f: pd.to_datetime(f.short_interest_date, format="%m/%d/%y"))
    px = pd.concat([pd.read_csv(p, parse_dates=["Date"]).assign(key=p.stem)
                    for p in (aaa, ccc)]).rename(columns={"Date": "date"}).sort_values("date")
    joined = pd.merge_asof(q.sort_values("date"), px, on="date", by="key",
                           direction="backward").merge(h, on="key")
    joined["price"] = joined["Close"].fillna(joined["file_price"])
    expected = (joined.shares_sold_short * joined.price).groupby(joined.date).sum() / 1e9
    assert list(basket.dates.astype(str)) == ["2025-06-30", "2025-07-15"]
    np.testing.assert_allclose(basket.values, expected.to_numpy(), rtol=1e-12)
    # hand-worked too: 06-30 AAA 1e6 x 4.00 + BRK/B 2e6 x 3.00 + CCC 4e5 x 5.00 (file)
    assert basket.values[0] == pytest.approx((4e6 + 6e6 + 2e6) / 1e9)
    assert basket.values[1] == pytest.approx((1.5e6 * 4.5 + 2.5e6 * 3 + 5e5 * 6.5) / 1e9)

    assert basket.name.endswith(
        "at loaded prices for 2 members, the holdings file's prices (2025-07-15) for 1")
    assert basket.meta["method"] == (
        "at loaded prices for 2 members, the holdings file's prices (2025-07-15) for 1")
    notes = {m.text.split("settlement ")[1][:10]: m.text for m in catalog.messages
             if "basket short interest" in m.text}
    assert "at loaded prices for 1 member, the holdings file's prices (2025-07-15) for 2" \
        in notes["2025-06-30"]
    assert "at loaded prices for 2 members, the holdings file's prices (2025-07-15) for 1" \
        in notes["2025-07-15"]

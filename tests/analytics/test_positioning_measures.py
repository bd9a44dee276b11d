"""Derived positioning measures against independent pandas computations and hand-worked
numbers: net notional with as-of index levels, COT index, weekly changes and percentiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from analytics_cases import make_series

from core.analytics.positioning_measures import (
    asof_values,
    cot_index_values,
    load_contract_multipliers,
    notional_missing,
    percentile_in_history,
    positioning_measures,
    trader_class_ids,
    weekly_change,
)
from core.catalog import Catalog, LoadResult
from core.series import Frequency

RTY_CLOSE_META = {"asset": "small_cap", "ticker": "RTY"}


def _net(code="239742", cls="lev_money", dates=None, values=None, measure="net"):
    return make_series(f"cftc:{code}:{cls}:{measure}", dates, values, kind="positioning",
                       frequency=Frequency.WEEKLY, unit="contracts",
                       name=f"Lev. money net, E-mini Russell 2000 ({code})",
                       meta={"cftc_code": code, "trader_class": cls, "measure": measure})


def _catalog(*series):
    c = Catalog()
    c.add(LoadResult(file="f", series=list(series)))
    return c


def test_notional_uses_the_close_on_or_before_the_report_date_hand_worked():
    tuesdays = np.array(["2025-03-04", "2025-03-11", "2025-03-18"], dtype="datetime64[D]")
    net = _net(dates=tuesdays, values=[1000, -2000, 3000])
    # no close on 2025-03-11 (a gap): the 2025-03-10 close (2,000) applies, never 03-12's
    close = make_series("rut:Close", ["2025-03-04", "2025-03-10", "2025-03-12", "2025-03-18"],
                        [2100.0, 2000.0, 9999.0, 2200.0], kind="price", name="^RUT Close",
                        unit="index points", meta=RTY_CLOSE_META)
    series, _ = positioning_measures(_catalog(net, close))
    notional = {s.id: s for s in series}["cftc:239742:lev_money:net_notional_usd"]
    # 1000 × 50 × 2100 = 105.0 mn; −2000 × 50 × 2000 = −200 mn; 3000 × 50 × 2200 = 330 mn
    np.testing.assert_allclose(notional.values, [0.105, -0.2, 0.33])
    assert notional.unit == "USD bn"
    # independently: pandas merge_asof (backward: on or before)
    left = pd.DataFrame({"date": pd.to_datetime(tuesdays), "net": [1000, -2000, 3000]})
    right = pd.DataFrame({"date": pd.to_datetime(close.dates), "px": close.values})
    joined = pd.merge_asof(left, right, on="date", direction="backward")
    np.testing.assert_allclose(notional.values, joined.net * 50 * joined.px / 1e9)


def test_etf_prices_do_not_make_notional_and_the_missing_message_names_the_index():
    net = _net(dates=["2025-03-04", "2025-03-11"], values=[1, 2])
    etf = make_series("iwm:Close", ["2025-03-03", "2025-03-10"], [200.0, 201.0], kind="price",
                      name="IWM Close", meta={**RTY_CLOSE_META, "etf": "IWM"})
    catalog = _catalog(net, etf)
    series, messages = positioning_measures(catalog)
    assert not any(s.id.endswith("net_notional_usd") for s in series)
    missing = notional_missing(catalog)
    assert "239742" in missing and "index RTY" in missing["239742"]
    assert any("index RTY" in m.text for m in messages)


def test_cot_index_matches_a_pandas_time_rolling_window():
    rng = np.random.default_rng(7)
    days = np.datetime64("2015-01-06") + 7 * np.arange(600)
    days = np.delete(days, [40, 41, 300])  # missing weeks: the window is by date, not count
    values = np.round(np.cumsum(rng.normal(0, 5000, len(days))))
    other = np.round(np.cumsum(rng.normal(0, 10, 200)))
    other_days = np.datetime64("2019-01-01") + 7 * np.arange(200)
    lookback = 156
    flat_days = np.concatenate([days, other_days]).astype(np.int64)
    flat_values = np.concatenate([values, other])
    group = np.repeat([0, 1], [len(days), len(other_days)])
    got = cot_index_values(flat_days, flat_values, group, 7 * lookback)
    for d, v, part in ((days, values, got[: len(days)]), (other_days, other, got[len(days):])):
        s = pd.Series(v, index=pd.to_datetime(d))
        roll = s.rolling(f"{7 * lookback}D")  # pandas: (t − window, t]
        lo, hi = roll.min(), roll.max()
        expected = (100 * (s - lo) / (hi - lo)).where(hi > lo)
        np.testing.assert_allclose(part, expected.to_numpy(), equal_nan=True)


def test_cot_index_hand_worked():
    # net 10, 30, 20 over a 2-week window (t − 14 days, t]: week 3 sees 30 and 20 → 0
    days = (np.datetime64("2025-01-07") + 7 * np.arange(3)).astype(np.int64)
    got = cot_index_values(days, np.array([10.0, 30.0, 20.0]), np.zeros(3, int), 14)
    np.testing.assert_allclose(got, [np.nan, 100.0, 0.0], equal_nan=True)


def test_weekly_change_skips_gaps_longer_than_a_report_week():
    dates = np.array(["2025-01-07", "2025-01-14", "2025-01-28", "2025-02-03"],
                     dtype="datetime64[D]")  # 01-21 missing; 02-03 a Monday (holiday week)
    d, ch = weekly_change(dates, np.array([100.0, 80.0, 50.0, 65.0]))
    assert list(d.astype(str)) == ["2025-01-14", "2025-02-03"]
    np.testing.assert_allclose(ch, [-20.0, 15.0])
    s = pd.Series([100.0, 80.0, 50.0, 65.0], index=pd.to_datetime(dates))
    gap = s.index.to_series().diff().dt.days
    expected = s.diff()[(gap >= 4) & (gap <= 10)]
    np.testing.assert_allclose(ch, expected.to_numpy())


def test_change_percentile_over_history_matches_pandas_expanding_rank():
    rng = np.random.default_rng(3)
    x = np.round(rng.normal(0, 100, 300))
    s = pd.Series(x)
    for i in (0, 10, 150, 299):
        expected = 100 * (s[: i + 1] <= s[i]).mean()
        assert percentile_in_history(x, i) == pytest.approx(expected)
    # hand-worked: −5 is the smallest of 4 → 25
    assert percentile_in_history(np.array([1.0, 3.0, 2.0, -5.0]), 3) == 25.0


def test_derived_ids_names_and_the_five_classes():
    dates = np.datetime64("2025-01-07") + 7 * np.arange(5)
    pct = _net(dates=dates, values=[1.0, 2.0, 1.5, 0.5, 3.0], measure="net_pct_oi")
    pct.name = "Lev. money net % OI, E-mini Russell 2000 (239742)"
    series, _ = positioning_measures(_catalog(_net(dates=dates, values=[5, 4, 3, 2, 1]), pct))
    by_id = {s.id: s for s in series}
    assert set(by_id) == {"cftc:239742:lev_money:cot_index", "cftc:239742:lev_money:net_change_1w",
                          "cftc:239742:lev_money:net_pct_oi_change_1w"}
    assert by_id["cftc:239742:lev_money:net_pct_oi_change_1w"].name == \
        "Lev. money net % OI change 1w, E-mini Russell 2000 (239742)"
    np.testing.assert_allclose(by_id["cftc:239742:lev_money:net_change_1w"].values, [-1] * 4)
    assert trader_class_ids("239742") == [
        "cftc:239742:dealer:net_pct_oi", "cftc:239742:asset_mgr:net_pct_oi",
        "cftc:239742:lev_money:net_pct_oi", "cftc:239742:other_rept:net_pct_oi",
        "cftc:239742:nonrept:net_pct_oi"]


def test_bad_multiplier_row_is_a_message_naming_the_cell(tmp_path):
    path = tmp_path / "mult.csv"
    path.write_text("cftc_code,name,multiplier,index_ticker\n239742,RTY,fifty,RTY\n"
                    "209742,NDX,20,NDX\n")
    specs, messages = load_contract_multipliers(path)
    assert list(specs) == ["209742"] and specs["209742"].multiplier == 20
    assert messages and messages[0].cell == "C2"


def test_bundled_multipliers_hold_the_desk_contracts():
    specs, messages = load_contract_multipliers()
    assert not messages
    assert {c: (s.multiplier, s.index_ticker) for c, s in specs.items()
            if c in ("239742", "209742", "13874A", "239747", "209747", "13874U")} == {
        "239742": (50, "RTY"), "209742": (20, "NDX"), "13874A": (50, "SPX"),
        "239747": (5, "RTY"), "209747": (2, "NDX"), "13874U": (5, "SPX")}


def test_real_tff_and_russell_close_give_the_source_md_notional(real_data):
    from core.pipeline import build_catalog

    tff = real_data / "cftc_tff" / "FinFutYY_2025-01_to_2025-03.xls"
    rut = real_data / "prices_daily" / "^RUT.csv"
    if not (tff.exists() and rut.exists()):
        pytest.skip("real TFF 2025 or ^RUT file absent")
    catalog = build_catalog([tff, rut], use_cache=False)  # no cache written either
    notional = catalog["cftc:239742:lev_money:net_notional_usd"]
    prices = pd.read_csv(rut, parse_dates=["Date"]).set_index("Date")["Close"]
    level = prices[:"2025-03-11"].iloc[-1]
    # SOURCE.md anchor: 2025-03-11 lev money long 104927, short 89803
    assert notional.dates[-1] == np.datetime64("2025-03-11")
    assert notional.values[-1] == pytest.approx((104927 - 89803) * 50 * level / 1e9)
    change = catalog["cftc:239742:lev_money:net_change_1w"]
    net = catalog["cftc:239742:lev_money:net"]
    assert change.values[-1] == net.values[-1] - net.values[-2]
    assert "cftc:209742:lev_money:cot_index" in catalog


def test_asof_values_before_the_first_price_is_nan():
    got = asof_values(np.array(["2025-01-02", "2025-01-06"], dtype="datetime64[D]"),
                      np.array([1.0, 2.0]),
                      np.array(["2025-01-01", "2025-01-03", "2025-01-06"], dtype="datetime64[D]"))
    np.testing.assert_allclose(got, [np.nan, 1.0, 2.0], equal_nan=True)


def test_cot_lookback_follows_the_report_lookback(tmp_path, monkeypatch):
    from core.analytics.positioning_measures import cot_lookback_weeks
    from core.headless_report import compute_report

    monkeypatch.setenv("GAPWATCH_HOME", str(tmp_path / "home"))  # no real parse cache
    assert cot_lookback_weeks(3.0) == 156 and cot_lookback_weeks(1.5) == 78
    tff = tmp_path / "tff.csv"
    rows = ["Market_and_Exchange_Names,As_of_Date_In_Form_YYMMDD,CFTC_Contract_Market_Code,"
            "Open_Interest_All,Lev_Money_Positions_Long_All,Lev_Money_Positions_Short_All"]
    days = np.datetime64("2024-01-02") + 7 * np.arange(60)
    net = np.r_[np.arange(30), np.arange(30)[::-1]]
    for d, n in zip(days, net, strict=True):
        rows.append(f"RUSSELL E-MINI - CME,{str(d)[2:].replace('-', '')},239742,1000,{100 + n},100")
    tff.write_text("\n".join(rows) + "\n")
    report = compute_report([str(tff)], lookback="26w")
    ids = [s["id"] for s in report.report["series"]]
    assert "cftc:239742:lev_money:cot_index" in ids
    cot = report.catalog["cftc:239742:lev_money:cot_index"]
    assert cot.meta["lookback_weeks"] == cot_lookback_weeks(26 / 52)
    # by pandas over (t − 26 weeks, t]
    s = pd.Series(net.astype(float), index=pd.to_datetime(days))
    roll = s.rolling(f"{7 * 26}D")
    expected = (100 * (s - roll.min()) / (roll.max() - roll.min())).dropna()
    np.testing.assert_allclose(cot.values, expected.to_numpy())


def test_real_tff_years_cot_index_and_weekly_change_match_pandas(real_data):
    from core.pipeline import build_catalog

    names = ("FinFutYY_2020-01_to_2020-11.txt", "FinFutYY_2021-01_to_2021-08.xls",
             "FinFutYY_2024-01_to_2024-07.txt", "FinFutYY_2025-01_to_2025-03.xls")
    files = [real_data / "cftc_tff" / n for n in names]
    if not all(f.exists() for f in files):
        pytest.skip("real TFF files absent")
    catalog = build_catalog(files, use_cache=False)
    for code in ("239742", "209742", "13874A"):
        net = catalog[f"cftc:{code}:lev_money:net"]
        s = pd.Series(net.values, index=pd.to_datetime(net.dates))
        roll = s.rolling(f"{7 * 156}D")
        expected = (100 * (s - roll.min()) / (roll.max() - roll.min())).dropna()
        cot = catalog[f"cftc:{code}:lev_money:cot_index"]
        np.testing.assert_allclose(cot.values, expected.to_numpy())
        assert list(cot.dates) == list(expected.index.to_numpy().astype("datetime64[D]"))
        gap = s.index.to_series().diff().dt.days
        change = s.diff()[(gap >= 4) & (gap <= 10)]
        np.testing.assert_allclose(catalog[f"cftc:{code}:lev_money:net_change_1w"].values,
                                   change.to_numpy())
    # SOURCE.md anchor 2021-08-24: RTY lev money 47,700 long / 133,570 short
    net = catalog["cftc:239742:lev_money:net"]
    assert net.values[list(net.dates.astype(str)).index("2021-08-24")] == 47700 - 133570

"""Dated weekly exports of one template: one series id each, one merged history (later
export wins, revisions reported like a reload), a new column adds a series, a renamed
sheet is another template, and ids saved before templates existed migrate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ingest_helpers import by_id, find, value_at, write_xlsx

from core.ingest import load_file, load_files, migrate_series_id, migrate_series_ids, template_of
from core.ingest.templates import TemplateName, split_stem

START = dt.date(2025, 1, 7)  # a Tuesday


@pytest.mark.parametrize(("stem", "template", "day"), [
    ("desk_positioning_2025-07-29", "desk_positioning", "2025-07-29"),
    ("desk_positioning_20250729", "desk_positioning", "2025-07-29"),
    ("desk_positioning 29Jul2025", "desk_positioning", "2025-07-29"),
    ("desk_positioning-29-Jul-2025", "desk_positioning", "2025-07-29"),
    ("desk_positioning_Jul 29, 2025", "desk_positioning", "2025-07-29"),
    ("desk_positioning_07-29-2025", "desk_positioning", "2025-07-29"),
    ("2025-07-29_desk_positioning", "desk_positioning", "2025-07-29"),
    ("Tobin Q 2026-02-13 19_56_32", "Tobin Q", "2026-02-13"),
    ("Time_And_Sales___20231004_12_53_54", "Time_And_Sales", "2023-10-04"),
    ("FinFutYY_2024-01_to_2024-07", "FinFutYY_2024-01_to_2024-07", None),
    ("desk positioning (2025-07-29)", "desk positioning", "2025-07-29"),
    ("sample_desk_export", "sample_desk_export", None),
    ("20250729", "20250729", None),
    ("desk_2025-13-45", "desk_2025-13-45", None),
])
def test_template_name(stem: str, template: str, day: str | None) -> None:
    got = split_stem(stem)
    assert got.name == template and template_of(stem) == template
    assert (None if got.date is None else got.date.isoformat()) == day


@pytest.mark.parametrize("stem", [
    "desk_positioning_2025-07-29 (1)",
    "desk_positioning_2025-07-29(2)",
    "desk_positioning_2025-07-29 - Copy",
    "desk_positioning_2025-07-29 - Copy (3)",
    "desk_positioning_2025-07-29 copy",
    "desk_positioning_2025-07-29 Copy 2",
    "desk_positioning_2025-07-29 (1) - Copy",
    "desk_positioning (2025-07-29) (1)",
])
def test_download_duplicate_is_the_same_template(stem: str) -> None:
    """A re-downloaded export merges with the original: same template name, same date."""
    assert split_stem(stem) == split_stem("desk_positioning_2025-07-29")
    assert template_of(stem) == "desk_positioning"


@pytest.mark.parametrize("stem", [
    "FinFutYY_2024-01_to_2024-07",
    "FinFutYY_2024-01_to_2024-07 (1)",
    "report (draft)",
    "report (1)",
    "sample_desk_export - Copy",
    "Annual report (2025)",
])
def test_duplicate_suffix_without_a_date_stays(stem: str) -> None:
    """No export date to anchor on: "(1)" or "- Copy" may be part of the name the user gave."""
    assert split_stem(stem) == TemplateName(stem, None)


def test_id_migration() -> None:
    assert migrate_series_id("desk_positioning_2025-07-22:Positions:RTY") == "desk_positioning:Positions:RTY"
    assert migrate_series_id("sample_desk_export:Prices:SPX") == "sample_desk_export:Prices:SPX"
    assert migrate_series_id("cftc:239742:lev_money:net") == "cftc:239742:lev_money:net"
    assert migrate_series_id("desk:Sheet: with colon:A") == "desk:Sheet: with colon:A"
    assert migrate_series_ids(["d_2025-07-22:S:A", "d_2025-07-29:S:A", "d:S:B"]) == ["d:S:A", "d:S:B"]


def _export(folder: Path, day: str, weeks: int, revise: dict[int, float] | None = None,
            extra_column: bool = False, sheet: str = "Positions") -> Path:
    """One weekly desk export: ``weeks`` Tuesdays from START; RTY = 2000 + week,
    Lev net = -5000 - 10 * week (``revise``: week -> new RTY value)."""
    header = ["Date", "RTY", "Lev net"] + (["NDX"] if extra_column else [])
    rows: list[list] = [["Desk positioning"], header]
    for w in range(weeks):
        rty = (revise or {}).get(w, 2000.0 + w)
        row = [START + dt.timedelta(weeks=w), rty, -5000.0 - 10 * w]
        rows.append(row + ([18000.0 + w] if extra_column else []))
    return write_xlsx(folder / f"desk_positioning_{day}.xlsx", {sheet: rows})


def test_one_export_alone_has_template_ids(tmp_path: Path) -> None:
    ids = set(by_id(load_file(_export(tmp_path, "2025-07-22", 10))))
    assert ids == {"desk_positioning:Positions:RTY", "desk_positioning:Positions:Lev net"}


def test_two_exports_merge_later_wins_revisions_reported(tmp_path: Path) -> None:
    old = _export(tmp_path, "2025-07-22", 28)
    new = _export(tmp_path, "2025-07-29", 30, revise={26: 2100.0, 27: 2101.5})
    results = load_files([new, old])  # the order given does not matter: the names' dates do
    rty_in_each = [by_id(r)["desk_positioning:Positions:RTY"] for r in results]
    rty = rty_in_each[0]
    assert rty is rty_in_each[1]  # one history, in both results
    assert len(rty) == 30 and value_at(rty, str(START + dt.timedelta(weeks=26))) == 2100.0
    assert value_at(rty, str(START)) == 2000.0
    assert rty.meta["files"] == [str(old), str(new)]
    said = find(results[0], "continues desk_positioning_2025-07-22.xlsx")
    assert len(said) == 1 and said[0].level == "warning"
    text = said[0].text
    assert "2 new dates" in text and "2 past values revised" in text
    assert f"desk_positioning:Positions:RTY {START + dt.timedelta(weeks=26)}: 2026 -> 2100" in text
    assert not find(results[1], "continues")


def test_re_downloaded_export_merges_with_the_earlier_one(tmp_path: Path) -> None:
    old = _export(tmp_path, "2025-07-22", 28)
    download = tmp_path / "desk_positioning_2025-07-29 (1).xlsx"
    new = _export(tmp_path, "2025-07-29", 30).rename(download)
    results = load_files([old, new])
    rty = by_id(results[1])["desk_positioning:Positions:RTY"]
    assert rty is by_id(results[0])["desk_positioning:Positions:RTY"]
    assert len(rty) == 30
    assert rty.meta["files"] == [str(old), str(new)]


def test_merge_returns_reload_style_changes(tmp_path: Path) -> None:
    from core.ingest import merge_histories

    old = load_file(_export(tmp_path, "2025-07-22", 28))
    new = load_file(_export(tmp_path, "2025-07-29", 30, revise={27: 1.0}))
    changes = merge_histories([old, new])
    assert list(changes) == [new.file]
    by_sid = {c.series_id: c for c in changes[new.file]}
    rty = by_sid["desk_positioning:Positions:RTY"]
    assert len(rty.dates_added) == 2 and [(str(d), o, n) for d, o, n in rty.revisions] == [
        (str(START + dt.timedelta(weeks=27)), 2027.0, 1.0)]
    assert "2 dates added" in rty.describe()
    assert not by_sid["desk_positioning:Positions:Lev net"].revisions


def test_three_exports_and_a_new_column(tmp_path: Path) -> None:
    paths = [_export(tmp_path, "2025-07-15", 27), _export(tmp_path, "2025-07-22", 28),
             _export(tmp_path, "2025-07-29", 29, extra_column=True)]
    results = load_files(paths)
    merged = by_id(results[2])
    assert len(merged["desk_positioning:Positions:RTY"]) == 29
    assert merged["desk_positioning:Positions:RTY"].meta["files"] == [str(p) for p in paths]
    ndx = merged["desk_positioning:Positions:NDX"]
    assert len(ndx) == 29 and "files" not in ndx.meta
    said = find(results[2], "continues desk_positioning_2025-07-22.xlsx")
    assert len(said) == 1 and "1 new series (desk_positioning:Positions:NDX)" in said[0].text
    assert said[0].level == "info" and "no past values revised" in said[0].text
    assert find(results[1], "continues desk_positioning_2025-07-15.xlsx")


def test_overlap_with_equal_values_is_silent_about_revisions(tmp_path: Path) -> None:
    results = load_files([_export(tmp_path, "2025-07-22", 28), _export(tmp_path, "2025-07-29", 28)])
    said = find(results[1], "continues")
    assert len(said) == 1 and "no new dates" in said[0].text and "no past values revised" in said[0].text


def test_renamed_sheet_is_not_the_same_template(tmp_path: Path) -> None:
    old = _export(tmp_path, "2025-07-22", 28)
    new = _export(tmp_path, "2025-07-29", 30, sheet="Positioning")
    results = load_files([old, new])
    assert set(by_id(results[1])) == {"desk_positioning:Positioning:RTY", "desk_positioning:Positioning:Lev net"}
    old_ids = set(by_id(results[0]))
    assert old_ids == {"desk_positioning_2025-07-22:Positions:RTY", "desk_positioning_2025-07-22:Positions:Lev net"}
    said = find(results[0], "not the same template as desk_positioning_2025-07-29.xlsx")
    assert len(said) == 1 and "sheets differ: this file has 'Positions', " \
        "desk_positioning_2025-07-29.xlsx has 'Positioning'" in said[0].text
    assert not find(results[1], "continues")


def test_renamed_column_is_not_the_same_template(tmp_path: Path) -> None:
    old = _export(tmp_path, "2025-07-22", 28)
    new = tmp_path / "desk_positioning_2025-07-29.xlsx"
    write_xlsx(new, {"Positions": [["Date", "RTY close", "Lev net"]] + [
        [START + dt.timedelta(weeks=w), 1.0 + w, 2.0 + w] for w in range(30)]})
    results = load_files([old, new])
    assert "desk_positioning_2025-07-22:Positions:RTY" in by_id(results[0])
    assert "desk_positioning:Positions:RTY close" in by_id(results[1])
    assert find(results[0], "the columns of sheet 'Positions' differ")


def test_workspace_from_before_finds_its_series(tmp_path: Path) -> None:
    """A workspace saved when ids carried the file stem: migrated ids name series in
    next week's file."""
    saved_checked = ["desk_positioning_2025-07-22:Positions:RTY", "cftc:239742:lev_money:net_pct_oi"]
    result = load_file(_export(tmp_path, "2025-07-29", 30))
    known = set(by_id(result))
    assert [sid for sid in migrate_series_ids(saved_checked) if sid in known] == [
        "desk_positioning:Positions:RTY"]


def test_catalog_holds_one_series_per_template_column(tmp_path: Path) -> None:
    from core.ingest import catalog_from_files

    catalog = catalog_from_files([_export(tmp_path, "2025-07-22", 28), _export(tmp_path, "2025-07-29", 30)])
    assert sorted(catalog.ids) == ["desk_positioning:Positions:Lev net", "desk_positioning:Positions:RTY"]
    assert len(catalog["desk_positioning:Positions:RTY"]) == 30


def test_a_name_the_user_gives_the_template(tmp_path: Path) -> None:
    from core.ingest import TemplateNames

    old, new = _export(tmp_path, "2025-07-22", 28), _export(tmp_path, "2025-07-29", 30)
    assert "desk_positioning:Positions:RTY" in by_id(load_file(new))  # cached under the old name
    TemplateNames().rename("desk_positioning", "Positioning desk")
    results = load_files([old, new])  # the rename reaches cached results too
    merged = by_id(results[1])
    assert set(merged) == {"Positioning desk:Positions:RTY", "Positioning desk:Positions:Lev net"}
    assert len(merged["Positioning desk:Positions:RTY"]) == 30
    assert find(results[1], "(template 'Positioning desk')")
    assert migrate_series_id("desk_positioning_2025-07-15:Positions:RTY") == "Positioning desk:Positions:RTY"
    with pytest.raises(ValueError, match="must not be blank nor contain ':'"):
        TemplateNames().rename("desk_positioning", "a:b")
    TemplateNames().rename("desk_positioning", None)
    assert "desk_positioning:Positions:RTY" in by_id(load_file(new))

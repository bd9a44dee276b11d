"""Parsed-file cache, user mappings and saved templates, reload diffs."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pytest
from ingest_helpers import as_pairs, by_id, find, write_xlsx

from core import paths
from core.ingest import (
    FileMapping,
    SheetMapping,
    TemplateStore,
    diff_results,
    load_file,
    template_signature,
)
from core.ingest import loader as loader_module

D = dt.date


def _simple(path: Path, rows: list[list]) -> Path:
    return write_xlsx(path, {"S": [["Date", "X", "Y"], *rows]})


def test_reopen_is_served_from_cache_with_identical_series(tmp_path: Path, isolated_home: Path) -> None:
    p = _simple(tmp_path / "c.xlsx", [[D(2024, 1, 2), 1.0, 5.0], [D(2024, 1, 3), 2.0, "x"]])
    first = load_file(p)
    assert not first.from_cache
    again = load_file(p)
    assert again.from_cache and again.fingerprint == first.fingerprint
    assert [s.id for s in again.series] == [s.id for s in first.series]
    for a, b in zip(first.series, again.series, strict=True):
        assert as_pairs(a) == as_pairs(b)
        assert (a.name, a.unit, a.kind, a.frequency, a.meta, a.publication_lag, a.source) == \
               (b.name, b.unit, b.kind, b.frequency, b.meta, b.publication_lag, b.source)
    assert again.messages == first.messages
    # the cache lives under GAPWATCH_HOME, never the real home
    assert paths.user_cache_dir().is_relative_to(isolated_home)
    assert any(paths.user_cache_dir().rglob("*.npz"))


def test_changed_file_is_reparsed_and_diffed(tmp_path: Path) -> None:
    p = _simple(tmp_path / "c.xlsx", [[D(2024, 1, 2), 1.0, 5.0], [D(2024, 1, 3), 2.0, 6.0]])
    old = load_file(p)
    _simple(p, [[D(2024, 1, 3), 2.5, 6.0], [D(2024, 1, 4), 3.0, 7.0]])
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 10**9))
    new = load_file(p)
    assert not new.from_cache
    assert as_pairs(by_id(new)["c:S:X"]) == [("2024-01-03", 2.5), ("2024-01-04", 3.0)]
    changes = {c.series_id: c for c in diff_results(old, new)}
    x = changes["c:S:X"]
    assert x.status == "changed"
    assert [str(d) for d in x.dates_added] == ["2024-01-04"]
    assert [str(d) for d in x.dates_removed] == ["2024-01-02"]
    assert [(str(d), o, n) for d, o, n in x.revisions] == [("2024-01-03", 2.0, 2.5)]
    y = changes["c:S:Y"]
    assert y.revisions == [] and [str(d) for d in y.dates_added] == ["2024-01-04"]
    assert "revised" in x.describe()


def test_diff_lists_added_and_removed_series_and_nothing_when_equal(tmp_path: Path) -> None:
    a = load_file(write_xlsx(tmp_path / "a.xlsx", {"S": [["Date", "X"], [D(2024, 1, 2), 1.0]]}))
    b = load_file(write_xlsx(tmp_path / "a2.xlsx", {"S": [["Date", "X"], [D(2024, 1, 2), 1.0]]}))
    assert diff_results(a, a) == []
    statuses = sorted((c.series_id, c.status) for c in diff_results(a, b))
    assert statuses == [("a2:S:X", "added"), ("a:S:X", "removed")]


def test_parser_version_change_invalidates_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = _simple(tmp_path / "v.xlsx", [[D(2024, 1, 2), 1.0, 2.0]])
    load_file(p)
    assert load_file(p).from_cache
    monkeypatch.setattr(loader_module, "PARSER_VERSION", "ingest-test-next")
    assert not load_file(p).from_cache


def test_use_cache_false_neither_reads_nor_writes(tmp_path: Path) -> None:
    p = _simple(tmp_path / "n.xlsx", [[D(2024, 1, 2), 1.0, 2.0]])
    assert not load_file(p, use_cache=False).from_cache
    assert not load_file(p).from_cache  # nothing was cached by the first call


def test_mapping_header_row_date_column_order_and_skip(tmp_path: Path) -> None:
    rows = [["Trade date", "Settle date", "Close", "Junk"],
            ["(dd/mm)", "(dd/mm)", "(index)", "(n)"],
            ["01/02/2024", "03/02/2024", 10.0, 1.0],
            ["02/02/2024", "05/02/2024", 11.0, 2.0]]
    p = write_xlsx(tmp_path / "m.xlsx", {"S": rows})
    auto = load_file(p)
    # automatic: stacked header, first date column, ambiguous -> US order (warned)
    assert "m:S:Close (index)" in by_id(auto)
    assert as_pairs(by_id(auto)["m:S:Close (index)"])[0] == ("2024-01-02", 10.0)
    assert find(auto, "cannot be told")
    mapping = FileMapping({"S": SheetMapping(header_row=1, date_column="B", date_order="DMY",
                                             skip_columns=["D"])})
    mapped = load_file(p, mapping=mapping)
    assert set(by_id(mapped)) == {"m:S:Close"}
    assert as_pairs(by_id(mapped)["m:S:Close"]) == [("2024-02-03", 10.0), ("2024-02-05", 11.0)]
    assert not find(mapped, "cannot be told")


def test_sheet_mapping_validates_its_fields() -> None:
    with pytest.raises(ValueError):
        SheetMapping(date_order="YDM")
    with pytest.raises(ValueError):
        SheetMapping(header_row=0)
    with pytest.raises(ValueError):
        SheetMapping(date_column="1")
    m = FileMapping({"S": SheetMapping(header_row=3, date_column="b", skip_columns=["c", "AA"])})
    again = FileMapping.from_dict(m.to_dict())
    assert again.sheets["S"].date_column == "B" and again.sheets["S"].skip_col0 == {2, 26}


def test_saved_template_is_applied_automatically(tmp_path: Path, isolated_home: Path) -> None:
    rows = [["Date", "A"], ["01/02/2024", 1.0], ["03/04/2024", 2.0]]
    p = write_xlsx(tmp_path / "jan.xlsx", {"S": rows})
    mapping = FileMapping({"S": SheetMapping(date_order="DMY")})
    store = TemplateStore()
    saved = store.save(mapping, template_signature(p, mapping))
    assert saved.is_relative_to(isolated_home) and saved.suffix == ".json"
    assert load_file(p, use_cache=True) is not None
    # next month's export with the same layout: the mapping applies without being passed
    q = write_xlsx(tmp_path / "feb.xlsx", {"S": [["Date", "A"], ["01/03/2024", 5.0], ["02/03/2024", 6.0]]})
    r = load_file(q)
    assert as_pairs(by_id(r)["feb:S:A"]) == [("2024-03-01", 5.0), ("2024-03-02", 6.0)]
    assert find(r, "applied the saved sheet mapping")
    # a different layout is not matched
    other = write_xlsx(tmp_path / "other.xlsx", {"S": [["Date", "B"], ["01/03/2024", 5.0]]})
    assert not find(load_file(other), "applied the saved sheet mapping")


def test_new_template_invalidates_cached_parse(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "t.xlsx", {"S": [["Date", "A"], ["01/02/2024", 1.0], ["03/04/2024", 2.0]]})
    before = load_file(p)
    assert by_id(before)["t:S:A"].dates[0] == np.datetime64("2024-01-02")
    mapping = FileMapping({"S": SheetMapping(date_order="DMY")})
    TemplateStore().save(mapping, template_signature(p, mapping))
    after = load_file(p)
    assert not after.from_cache
    assert by_id(after)["t:S:A"].dates[0] == np.datetime64("2024-02-01")

"""The load message about a sheet's day/month order says where the order came from:
the values (a first field above 12, or D.M.Y dots), or the sheet mapping the user set
(passed in, or its saved template) -- never the detection's reason for an order the
values could not tell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from ingest_helpers import by_id, find, write_xlsx

from core.ingest import FileMapping, SheetMapping, TemplateStore, load_file, template_signature
from core.ingest.date_cells import parse_dates

AUTO_REASON = "a first field above 12"
FROM_MAPPING = "the date order set in the sheet mapping"
# no field above 12: the values cannot tell day/month from month/day
AMBIGUOUS = [["Date", "A"], ["01/02/2024", 1.0], ["03/04/2024", 2.0], ["05/06/2024", 3.0]]


def order_messages(result) -> list[str]:
    return [m.text for m in result.messages if "dates read as" in m.text]


def test_order_from_a_passed_mapping_says_so(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "desk.xlsx", {"S": AMBIGUOUS})
    r = load_file(p, mapping=FileMapping({"S": SheetMapping(date_order="DMY")}))
    assert by_id(r)["desk:S:A"].dates[0] == np.datetime64("2024-02-01")
    texts = order_messages(r)
    assert len(texts) == 1
    assert texts[0].startswith("dates read as day/month/year") and FROM_MAPPING in texts[0]
    assert not find(r, AUTO_REASON) and not find(r, "cannot be told")
    (msg,) = [m for m in r.messages if FROM_MAPPING in m.text]
    assert (msg.level, msg.sheet, msg.cell) == ("info", "S", "A")


def test_order_from_a_saved_template_says_so(tmp_path: Path) -> None:
    first = write_xlsx(tmp_path / "jan.xlsx", {"S": AMBIGUOUS})
    mapping = FileMapping({"S": SheetMapping(date_order="DMY")})
    TemplateStore().save(mapping, template_signature(first, mapping))
    nxt = write_xlsx(tmp_path / "feb.xlsx", {"S": AMBIGUOUS})
    r = load_file(nxt)  # no mapping passed: the template of this layout applies
    assert find(r, "applied the saved sheet mapping")
    assert by_id(r)["feb:S:A"].dates[0] == np.datetime64("2024-02-01")
    assert any(FROM_MAPPING in t for t in order_messages(r))
    assert not find(r, AUTO_REASON)


def test_us_order_from_the_mapping_is_said_too(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "us.xlsx", {"S": AMBIGUOUS})
    r = load_file(p, mapping=FileMapping({"S": SheetMapping(date_order="MDY")}))
    assert by_id(r)["us:S:A"].dates[0] == np.datetime64("2024-01-02")
    texts = order_messages(r)
    assert len(texts) == 1 and texts[0].startswith("dates read as month/day/year")
    assert FROM_MAPPING in texts[0]
    assert not find(r, "cannot be told")  # the user chose: no warning to set it


def test_detected_orders_keep_their_reasons(tmp_path: Path) -> None:
    big_first = write_xlsx(tmp_path / "eu.xlsx", {"S": [["Date", "A"], ["25/01/2024", 1.0],
                                                        ["03/04/2024", 2.0]]})
    r = load_file(big_first)
    assert [t for t in order_messages(r) if AUTO_REASON in t]
    assert not find(r, FROM_MAPPING)
    unknown = write_xlsx(tmp_path / "amb.xlsx", {"S": AMBIGUOUS})
    r = load_file(unknown)
    assert find(r, "cannot be told") and not find(r, FROM_MAPPING)


def test_parse_dates_records_whether_the_order_was_given() -> None:
    cells = np.array(["01/02/2024", "03/04/2024"], dtype=object)
    assert parse_dates(cells, order="DMY").order_given
    assert parse_dates(cells, order="MDY").order_given
    detected = parse_dates(np.array(["25/01/2024", "03/04/2024"], dtype=object))
    assert detected.order == "DMY" and not detected.order_given
    # an order for a column without slashed dates was not used: nothing to report
    iso = parse_dates(np.array(["2024-01-02"], dtype=object), order="DMY")
    assert iso.order is None and not iso.order_given

"""Cell values and number formats per kind of figure (core.export.formats, cells)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from core.export.cells import clean_text
from core.export.formats import cell_value, number_format, value_format


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("USD bn", '#,##0.0 "bn"'),
        ("contracts", "#,##0"),
        ("price", "#,##0.00##"),
        ("index points", "#,##0.00"),
        ("% of open interest", "#,##0.00"),
        ("USD", "#,##0"),
        ("", "#,##0.00"),
    ],
)
def test_value_format_follows_the_unit(unit: str, expected: str) -> None:
    assert value_format(unit) == expected


def test_number_formats_by_kind() -> None:
    assert number_format("pct", "index points") == "0.0%"
    assert number_format("pct", "index points", diff=True) == "+0.0%;-0.0%;0.0%"
    assert number_format("date", "USD bn") == "yyyy-mm-dd"
    assert number_format("z", "contracts") == "0.00"
    assert number_format("percentile", "contracts") == "0"
    assert number_format("count", "contracts") == "#,##0"
    assert number_format("value", "contracts", diff=True) == "+#,##0;-#,##0;#,##0"


def test_cell_values() -> None:
    assert cell_value("pct", 26.1) == pytest.approx(0.261)
    assert cell_value("pct", -5.0) == pytest.approx(-0.05)
    assert cell_value("date", 0.0) == dt.date(1970, 1, 1)
    assert cell_value("date", 20300.0) == dt.date(2025, 7, 31)  # 55 × 365 + 14 leap days + 211
    assert cell_value("value", 16.0) == 16.0
    assert cell_value("z", math.nan) is None
    assert cell_value("date", math.nan) is None
    assert cell_value("value", math.inf) is None


def test_clean_text_drops_xml_illegal_characters_and_caps_length() -> None:
    assert clean_text("a\x00b\x07c\td\re\nf") == "a\ufffdb\ufffdc\td\re\nf"
    assert len(clean_text("x" * 40_000)) == 32_767
    assert clean_text(3.5) == "3.5"

"""Contract month from header text: tickers, month names, one-digit years."""

from __future__ import annotations

import pytest

from core.rates import contract_label, parse_contract_month


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("FFN5", "2025-03-01", (2025, 7)),
        ("FFQ25", None, (2025, 8)),
        ("ZQU24", None, (2024, 9)),
        ("ZQH2024", None, (2024, 3)),
        ("FFQ5 Comdty", "2015-06-30", (2015, 8)),
        ("ffq5", "2015-06-30", (2015, 8)),
        ("FF Jul-25", None, (2025, 7)),
        ("Jul 2025", None, (2025, 7)),
        ("July 2025", None, (2025, 7)),
        ("Sept 2015", None, (2015, 9)),
        ("DEC 24", None, (2024, 12)),
        ("Jun24", None, (2024, 6)),
        ("2025-07", None, (2025, 7)),
        ("Fed Funds 2025/11", None, (2025, 11)),
    ],
)
def test_contract_month_is_read_from_tickers_and_month_names(text, reference, expected):
    assert parse_contract_month(text, reference) == expected


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # One-digit year: the decade putting the year nearest the reference date.
        ("FFH0", "2019-12-01", (2020, 3)),  # 2020 is 1 year away, 2010 is 9
        ("FFZ9", "2021-02-01", (2019, 12)),  # 2019 is 2 years back, 2029 is 8 ahead
        ("FFZ9", "2024-06-01", (2029, 12)),  # tie (5 either way): the later decade
        ("FFQ5", "2016-01-15", (2015, 8)),
    ],
)
def test_one_digit_year_resolves_to_nearest_decade(text, reference, expected):
    assert parse_contract_month(text, reference) == expected


@pytest.mark.parametrize(
    "text",
    ["FF1 Comdty", "Close", "Market cap 2025", "Effective rate", "2025-07-15", "", None, "FFQ"],
)
def test_text_without_a_contract_month_gives_none(text):
    assert parse_contract_month(text, "2025-01-01") is None


def test_contract_label_round_trips_through_the_parser():
    for month in [(2015, 8), (2024, 12), (2030, 1)]:
        assert parse_contract_month(contract_label(month)) == month

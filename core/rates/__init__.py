"""Rate-cut odds from fed funds futures, CME FedWatch method (DOMAIN.md).

Flow: series (from ingestion) -> ``futures_curve_from_series`` -> ``fedwatch`` at one
date, or ``fedwatch_history`` for derived series over every date of the export;
``report_block`` packs one date for ``main.py report --json``.
"""

from core.rates.calendar import FomcCalendar, load_fomc_calendar
from core.rates.contracts import contract_label, parse_contract_month
from core.rates.curve import (
    STALE_BUSINESS_DAYS,
    ContractQuote,
    FuturesCurve,
    futures_curve_from_series,
)
from core.rates.fedwatch import FedWatchResult, MeetingOdds, fedwatch
from core.rates.odds import step_split
from core.rates.odds_series import fedwatch_history, first_meeting_over
from core.rates.rates_block import report_block, sentences
from core.rates.target_range import TargetRangeHistory, load_target_ranges, range_containing

__all__ = [
    "STALE_BUSINESS_DAYS",
    "ContractQuote",
    "FedWatchResult",
    "FomcCalendar",
    "FuturesCurve",
    "MeetingOdds",
    "TargetRangeHistory",
    "contract_label",
    "fedwatch",
    "fedwatch_history",
    "first_meeting_over",
    "futures_curve_from_series",
    "load_fomc_calendar",
    "load_target_ranges",
    "parse_contract_month",
    "range_containing",
    "report_block",
    "sentences",
    "step_split",
]

"""Rate-cut odds from fed funds futures, CME FedWatch method (DOMAIN.md).

Flow: series (from ingestion) -> ``futures_curve_from_series`` -> ``fedwatch`` at one
date, or ``fedwatch_history`` for derived series over every date of the export;
``report_block`` packs one date for ``main.py report --json``; ``fedwatch_matrix`` /
``matrix_from_block`` give the meetings x ranges table, ``move_timings`` the "first cut by
September" sentence, ``odds_over_time`` the series ids of the odds-over-time row.
"""

from core.rates.calendar import FomcCalendar, load_fomc_calendar
from core.rates.contracts import contract_label, parse_contract_month
from core.rates.coverage import coverage_notes
from core.rates.curve import (
    STALE_BUSINESS_DAYS,
    ContractQuote,
    FuturesCurve,
    futures_curve_from_series,
)
from core.rates.fedwatch import FedWatchResult, MeetingOdds, fedwatch
from core.rates.fedwatch_matrix import (
    FedWatchMatrix,
    MatrixComparison,
    compare_matrices,
    fedwatch_matrix,
    matrix_from_block,
)
from core.rates.odds import step_split
from core.rates.odds_over_time import MeetingOddsSeries, meetings_with_odds, odds_over_time
from core.rates.odds_sentence import MoveTiming, move_timings
from core.rates.odds_series import fedwatch_history, first_meeting_over
from core.rates.rates_block import report_block, sentences
from core.rates.target_range import TargetRangeHistory, load_target_ranges, range_containing

__all__ = [
    "STALE_BUSINESS_DAYS",
    "ContractQuote",
    "FedWatchMatrix",
    "FedWatchResult",
    "FomcCalendar",
    "FuturesCurve",
    "MatrixComparison",
    "MeetingOdds",
    "MeetingOddsSeries",
    "MoveTiming",
    "TargetRangeHistory",
    "compare_matrices",
    "contract_label",
    "coverage_notes",
    "fedwatch",
    "fedwatch_history",
    "fedwatch_matrix",
    "first_meeting_over",
    "futures_curve_from_series",
    "load_fomc_calendar",
    "load_target_ranges",
    "matrix_from_block",
    "meetings_with_odds",
    "move_timings",
    "odds_over_time",
    "parse_contract_month",
    "range_containing",
    "report_block",
    "sentences",
    "step_split",
]

"""The fed funds futures curve: a dates x contract-months price matrix built from series.

Ingestion turns each contract column (``FFQ5``, ``FF Jul-25``, ``ZQU24 Close`` ...) into a
Series; this module recognises which series are contracts, which month each delivers,
and aligns them as of each date (the contract's last price on or before the date, never a
later one). A price more than ``STALE_BUSINESS_DAYS`` business days old is flagged stale,
unless it is the contract's final price (dated on or after its last business day).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np

from core.messages import Message
from core.rates.calendar import Month, days_in_month
from core.rates.contracts import contract_label, has_ticker, mentions_fed_funds
from core.rates.contracts import parse_contract_month as _parse
from core.series import Series

STALE_BUSINESS_DAYS = 5
# A column about a contract that is not its price (OHLC extremes, volume, interest ...).
_NOT_A_PRICE = re.compile(
    r"open|high|low|volume|interest|symbol|bid|ask|change|implied|\b(?:vol|oi|chg)\b",
    re.IGNORECASE,
)
_PRICE_RANGE = (50.0, 101.0)  # 100 - price is a rate in percent: anything else is not a price


@dataclass(frozen=True, slots=True)
class ContractQuote:
    """One contract's price as of a date."""

    month: Month
    price: float
    price_date: np.datetime64
    stale: bool

    @property
    def implied_rate(self) -> float:
        return 100.0 - self.price


@dataclass
class FuturesCurve:
    """Contract months (sorted) with their raw observations and the as-of matrix."""

    months: list[Month]
    contract_dates: list[np.ndarray]
    contract_prices: list[np.ndarray]
    source_ids: list[str] = field(default_factory=list)
    file: str = ""
    sheet: str | None = None
    messages: list[Message] = field(default_factory=list)
    dates: np.ndarray = field(init=False)
    prices: np.ndarray = field(init=False)
    stale: np.ndarray = field(init=False)
    price_dates: np.ndarray = field(init=False)  # date of each as-of price (NaT: none yet)

    def __post_init__(self) -> None:
        order = sorted(range(len(self.months)), key=lambda i: self.months[i])
        self.months = [self.months[i] for i in order]
        self.contract_dates = [np.asarray(self.contract_dates[i], "datetime64[D]") for i in order]
        self.contract_prices = [np.asarray(self.contract_prices[i], np.float64) for i in order]
        if self.source_ids:
            self.source_ids = [self.source_ids[i] for i in order]
        if self.contract_dates:
            self.dates = np.unique(np.concatenate(self.contract_dates))
        else:
            self.dates = np.array([], dtype="datetime64[D]")
        shape = (len(self.dates), len(self.months))
        self.prices = np.full(shape, np.nan)
        self.stale = np.zeros(shape, dtype=bool)
        self.price_dates = np.full(shape, np.datetime64("NaT"), dtype="datetime64[D]")
        for j in range(len(self.months)):
            price, stale, when = self._align(j, self.dates)
            self.prices[:, j] = price
            self.stale[:, j] = stale
            self.price_dates[:, j] = when

    def __len__(self) -> int:
        return len(self.months)

    @property
    def labels(self) -> list[str]:
        return [contract_label(m) for m in self.months]

    def quotes_at(self, day: np.datetime64 | str) -> dict[Month, ContractQuote]:
        """Every contract with a price on or before ``day``, keyed by month."""
        when = np.datetime64(day, "D")
        i = int(np.searchsorted(self.dates, when))
        if i < len(self.dates) and self.dates[i] == when:  # a row of the matrix
            price, stale, dated = self.prices[i], self.stale[i], self.price_dates[i]
        else:
            columns = [self._align(j, np.array([when])) for j in range(len(self.months))]
            price = np.array([c[0][0] for c in columns])
            stale = np.array([c[1][0] for c in columns], dtype=bool)
            dated = np.array([c[2][0] for c in columns], dtype="datetime64[D]")
        return {
            month: ContractQuote(month, float(price[j]), dated[j], bool(stale[j]))
            for j, month in enumerate(self.months)
            if np.isfinite(price[j])
        }

    def _align(self, j: int, when: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As-of price of contract ``j`` at each date in ``when``, its stale flag and date."""
        dates, prices = self.contract_dates[j], self.contract_prices[j]
        idx = np.searchsorted(dates, when, side="right") - 1
        have = idx >= 0
        price = np.full(len(when), np.nan)
        stale = np.zeros(len(when), dtype=bool)
        dated = np.full(len(when), np.datetime64("NaT"), dtype="datetime64[D]")
        if not have.any():
            return price, stale, dated
        price[have] = prices[idx[have]]
        last = dates[idx[have]]
        dated[have] = last
        age = np.busday_count(last, when[have])
        final = last >= _last_business_day(self.months[j])
        stale[have] = (age > STALE_BUSINESS_DAYS) & ~final
        return price, stale, dated


def _last_business_day(month: Month) -> np.datetime64:
    end = np.datetime64(f"{month[0]:04d}-{month[1]:02d}-{days_in_month(month):02d}", "D")
    return np.busday_offset(end, 0, roll="backward")


def futures_curve_from_series(series_list: Iterable[Series]) -> FuturesCurve:
    """Pick the fed funds futures contracts out of ``series_list`` and build the curve.

    A series is a contract when its header or name carries an FF/ZQ ticker with a
    month code, when its kind is ``ff_future`` or its header/sheet/file says fed funds
    and its header names a month, or when it is the price column (Close, Settle ...)
    of a file or sheet named after one contract (``ZQH24.xlsx``).
    """
    messages: list[Message] = []
    chosen: dict[Month, Series] = {}
    for s in series_list:
        month = _contract_month_of(s)
        if month is None:
            continue
        finite = s.values[np.isfinite(s.values)]
        if not len(finite):
            continue
        median = float(np.median(finite))
        if not _PRICE_RANGE[0] < median <= _PRICE_RANGE[1]:
            messages.append(_message(s, "warning",
                f"'{_header(s)}' looks like a fed funds contract but its values "
                f"(median {median:g}) are not prices near 100; not used"))  # fmt: skip
            continue
        previous = chosen.get(month)
        if previous is not None:
            keep, drop = (s, previous) if len(s) > len(previous) else (previous, s)
            messages.append(_message(drop, "info",
                f"{contract_label(month)} appears twice; using '{_header(keep)}' "
                f"from {keep.source.file}"))  # fmt: skip
            chosen[month] = keep
        else:
            chosen[month] = s
    months = list(chosen)
    dates, prices = [], []
    for month in months:
        s = chosen[month]
        ok = np.isfinite(s.values)
        dates.append(s.dates[ok])
        prices.append(s.values[ok])
    first = next(iter(chosen.values()), None)
    return FuturesCurve(
        months, dates, prices,
        source_ids=[chosen[m].id for m in months],
        file=first.source.file if first else "",
        sheet=first.source.sheet if first else None,
        messages=messages,
    )  # fmt: skip


def _contract_month_of(s: Series) -> Month | None:
    if s.meta.get("derived") == "fedwatch":
        return None  # our own odds series, fed back through the catalog
    column = s.source.column or ""
    reference = s.last_date
    own_texts = [t for t in (column, s.name) if t]
    if _NOT_A_PRICE.search(_strip_tickers(" ".join(own_texts))):
        return None
    for text in own_texts:
        if has_ticker(text):
            return _parse(text, reference)
    stem = PurePath(s.source.file).stem if s.source.file else ""
    context_texts = [*own_texts, s.source.sheet or "", stem]
    if s.kind == "ff_future" or any(mentions_fed_funds(t) for t in context_texts):
        for text in own_texts:
            month = _parse(text, reference)
            if month is not None:
                return month
    for text in (s.source.sheet or "", stem):
        if has_ticker(text):
            return _parse(text, reference)
    return None


def _strip_tickers(text: str) -> str:
    return re.sub(r"(?i)(?:FF|ZQ)[FGHJKMNQUVXZ]\d{1,4}|comdty", " ", text)


def _header(s: Series) -> str:
    return s.source.column or s.name


def _message(s: Series, level: str, text: str) -> Message:
    return Message(level, s.source.file, s.source.sheet, None, text)  # type: ignore[arg-type]

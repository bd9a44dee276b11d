"""A deliberately plain pandas implementation of every window figure (DOMAIN.md).

No code is shared with core.analytics: pandas slicing, .min()/.idxmin(), .cummax(),
.shift(), .std(), DateOffset month arithmetic — the obvious way, one series and one
window at a time. Tests compare the fast engine against it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

NAMES = (
    "start_date", "start_value", "end_date", "end_value", "change", "return_pct", "min",
    "min_date", "max", "max_date", "rally_from_low_pct", "off_high_pct", "max_drawdown_pct",
    "vol_ann_pct", "percentile", "zscore", "highest_since", "lowest_since", "count",
    "lookback_mean", "lookback_std",
)


def to_pandas(dates: np.ndarray, values: np.ndarray) -> pd.Series:
    """The series as pandas sees it: NaN observations dropped."""
    index = pd.DatetimeIndex(pd.to_datetime(np.asarray(dates).astype("datetime64[D]").astype(str)))
    return pd.Series(np.asarray(values, dtype=float), index=index).dropna()


def _day(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d")


def reference_figures(s: pd.Series, start: str, end: str, *, periods_per_year: float,
                      lookback_months: int = 36) -> dict:
    out: dict = dict.fromkeys(NAMES)
    w = s.loc[pd.Timestamp(start) : pd.Timestamp(end)]
    out["count"] = len(w)
    if len(w) == 0:
        return out
    first, last = w.iloc[0], w.iloc[-1]
    end_date = w.index[-1]
    out["start_date"], out["start_value"] = _day(w.index[0]), first
    out["end_date"], out["end_value"] = _day(end_date), last
    out["change"] = last - first
    out["min"], out["min_date"] = w.min(), _day(w.idxmin())  # idxmin: first occurrence
    out["max"], out["max_date"] = w.max(), _day(w.idxmax())
    if (w > 0).all():
        out["return_pct"] = 100 * (last / first - 1)
        out["rally_from_low_pct"] = 100 * (last / w.min() - 1)
        out["off_high_pct"] = 100 * (last / w.max() - 1)
        out["max_drawdown_pct"] = (100 * (w / w.cummax() - 1)).min()
        log_returns = np.log(w / w.shift(1)).dropna()
        if len(log_returns) >= 2:
            out["vol_ann_pct"] = log_returns.std(ddof=1) * math.sqrt(periods_per_year) * 100
    edge = end_date - pd.DateOffset(months=lookback_months)
    lb = s[(s.index > edge) & (s.index <= end_date)]
    out["percentile"] = 100 * (lb <= last).sum() / len(lb)
    out["lookback_mean"] = lb.mean()
    if len(lb) >= 2:
        out["lookback_std"] = lb.std(ddof=1)
        if lb.nunique() > 1:
            out["zscore"] = (last - lb.mean()) / lb.std(ddof=1)
    before = s[s.index < end_date]
    higher = before[before >= last]
    lower = before[before <= last]
    out["highest_since"] = _day(higher.index[-1]) if len(higher) else None
    out["lowest_since"] = _day(lower.index[-1]) if len(lower) else None
    return out

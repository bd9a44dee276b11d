"""Synthetic fed funds futures settlements for scripts/make_sample.py.

Each contract month settles on the average daily effective rate of its month, so a
price on date t is 100 minus the day-weighted average of (a) the realised effective rate
for days up to t and (b) the rate the market expects after each later FOMC meeting.
Expectations come from hand-written "narratives" (what the curve priced on a few dates,
as lower-bound levels after given meetings), blended linearly between narrative dates,
pulled towards the actual decision as a meeting nears, plus a small smooth shock that
grows with the horizon. Future moves take effect on the decision day itself, CME's
FedWatch convention (m = d - 1 days at the old rate), so the FedWatch inversion in
DOMAIN.md recovers them.
"""

from __future__ import annotations

import numpy as np

Day = np.datetime64
EFFR_SPREAD = 0.08  # effective rate = target lower bound + 8 bp
LISTED_MONTHS = 18  # contracts quoted: the current month and the 17 after it
FIRST_DATE, LAST_DATE = "2023-01-03", "2025-07-31"
FIRST_CONTRACT, LAST_CONTRACT = "2023-01", "2026-12"

MEETINGS = np.array([
    "2022-12-14",
    "2023-02-01", "2023-03-22", "2023-05-03", "2023-06-14", "2023-07-26", "2023-09-20",
    "2023-11-01", "2023-12-13",
    "2024-01-31", "2024-03-20", "2024-05-01", "2024-06-12", "2024-07-31", "2024-09-18",
    "2024-11-07", "2024-12-18",
    "2025-01-29", "2025-03-19", "2025-05-07", "2025-06-18", "2025-07-30", "2025-09-17",
    "2025-10-29", "2025-12-10",
    "2026-01-28", "2026-03-18", "2026-04-29", "2026-06-17", "2026-07-29", "2026-09-16",
    "2026-10-28", "2026-12-09",
], dtype="datetime64[D]")  # fmt: skip

# Target lower bound from each effective date (the day after the decision).
TARGET_LOWER = [("2022-12-15", 4.25), ("2023-02-02", 4.50), ("2023-03-23", 4.75),
                ("2023-05-04", 5.00), ("2023-07-27", 5.25), ("2024-09-19", 4.75),
                ("2024-11-08", 4.50), ("2024-12-19", 4.25)]  # fmt: skip

# What the curve priced on each date: expected lower bound after the given meetings
# (linear in between, flat after the last point).
NARRATIVES: list[tuple[str, list[tuple[str, float]]]] = [
    ("2023-01-03", [("2023-02-01", 4.50), ("2023-03-22", 4.70), ("2023-05-03", 4.85),
                    ("2023-06-14", 4.90), ("2023-09-20", 4.80), ("2023-12-13", 4.50),
                    ("2024-06-12", 3.75), ("2024-12-18", 3.25)]),
    ("2023-03-08", [("2023-03-22", 4.88), ("2023-05-03", 5.12), ("2023-06-14", 5.32),
                    ("2023-09-20", 5.42), ("2023-12-13", 5.35), ("2024-06-12", 4.85),
                    ("2024-12-18", 4.25)]),
    ("2023-03-17", [("2023-03-22", 4.70), ("2023-05-03", 4.72), ("2023-06-14", 4.65),
                    ("2023-09-20", 4.40), ("2023-12-13", 4.00), ("2024-06-12", 3.40),
                    ("2024-12-18", 3.10)]),
    ("2023-05-31", [("2023-06-14", 5.05), ("2023-07-26", 5.15), ("2023-09-20", 5.18),
                    ("2023-12-13", 5.05), ("2024-06-12", 4.60), ("2024-12-18", 4.05)]),
    ("2023-08-31", [("2023-09-20", 5.27), ("2023-11-01", 5.32), ("2023-12-13", 5.35),
                    ("2024-03-20", 5.25), ("2024-06-12", 5.00), ("2024-12-18", 4.45)]),
    ("2023-10-19", [("2023-11-01", 5.27), ("2023-12-13", 5.32), ("2024-03-20", 5.30),
                    ("2024-06-12", 5.15), ("2024-12-18", 4.80), ("2025-06-18", 4.35)]),
    ("2023-12-27", [("2024-01-31", 5.18), ("2024-03-20", 4.95), ("2024-05-01", 4.75),
                    ("2024-06-12", 4.55), ("2024-09-18", 4.20), ("2024-12-18", 3.80),
                    ("2025-06-18", 3.40)]),
    ("2024-02-15", [("2024-03-20", 5.20), ("2024-05-01", 5.10), ("2024-06-12", 4.95),
                    ("2024-12-18", 4.40), ("2025-06-18", 3.95), ("2025-12-10", 3.75)]),
    ("2024-04-30", [("2024-06-12", 5.23), ("2024-07-31", 5.17), ("2024-09-18", 5.05),
                    ("2024-11-07", 4.98), ("2024-12-18", 4.90), ("2025-06-18", 4.55),
                    ("2025-12-10", 4.30)]),
    ("2024-07-03", [("2024-07-31", 5.22), ("2024-09-18", 5.02), ("2024-11-07", 4.88),
                    ("2024-12-18", 4.70), ("2025-06-18", 4.20), ("2025-12-10", 3.90)]),
    ("2024-08-05", [("2024-09-18", 4.85), ("2024-11-07", 4.45), ("2024-12-18", 4.10),
                    ("2025-03-19", 3.70), ("2025-06-18", 3.40), ("2026-01-28", 3.10)]),
    ("2024-09-17", [("2024-09-18", 4.88), ("2024-11-07", 4.55), ("2024-12-18", 4.25),
                    ("2025-03-19", 3.85), ("2025-06-18", 3.55), ("2025-12-10", 3.20),
                    ("2026-03-18", 3.10)]),
    ("2024-10-31", [("2024-11-07", 4.52), ("2024-12-18", 4.35), ("2025-03-19", 4.05),
                    ("2025-06-18", 3.80), ("2025-12-10", 3.55), ("2026-03-18", 3.45)]),
    ("2024-12-31", [("2025-01-29", 4.23), ("2025-03-19", 4.15), ("2025-05-07", 4.08),
                    ("2025-06-18", 4.00), ("2025-12-10", 3.85), ("2026-06-17", 3.75)]),
    ("2025-02-28", [("2025-03-19", 4.24), ("2025-05-07", 4.15), ("2025-06-18", 3.98),
                    ("2025-07-30", 3.90), ("2025-12-10", 3.55), ("2026-06-17", 3.40)]),
    ("2025-04-08", [("2025-05-07", 4.08), ("2025-06-18", 3.85), ("2025-07-30", 3.68),
                    ("2025-09-17", 3.52), ("2025-12-10", 3.25), ("2026-06-17", 3.10),
                    ("2026-12-09", 3.05)]),
    ("2025-05-30", [("2025-06-18", 4.24), ("2025-07-30", 4.18), ("2025-09-17", 4.02),
                    ("2025-10-29", 3.93), ("2025-12-10", 3.80), ("2026-06-17", 3.55),
                    ("2026-12-09", 3.45)]),
    ("2025-06-30", [("2025-07-30", 4.20), ("2025-09-17", 3.98), ("2025-10-29", 3.86),
                    ("2025-12-10", 3.73), ("2026-03-18", 3.55), ("2026-06-17", 3.42),
                    ("2026-12-09", 3.30)]),
    ("2025-07-31", [("2025-09-17", 4.12), ("2025-10-29", 3.99), ("2025-12-10", 3.87),
                    ("2026-01-28", 3.80), ("2026-03-18", 3.72), ("2026-06-17", 3.58),
                    ("2026-12-09", 3.42)]),
]
CONVERGENCE_DAYS = 10.0  # a known decision is priced fully within about two weeks
SHOCK_SIGMA = 0.012  # daily shock to far expectations, percentage points
SHOCK_HORIZON_DAYS = 150.0  # the shock reaches full size this far out


def target_lower(day: np.datetime64) -> float:
    """Actual target lower bound in force on ``day``."""
    value = TARGET_LOWER[0][1]
    for start, level in TARGET_LOWER:
        if Day(start, "D") <= day:
            value = level
    return value


def _narrative_levels(anchor_day: np.datetime64, points: list[tuple[str, float]]) -> np.ndarray:
    """Expected lower bound after every meeting, as priced on ``anchor_day``.

    Meetings already held by then are at their actual outcome (the narrative knows them).
    """
    xs = [anchor_day.astype(int)] + [Day(d, "D").astype(int) for d, _ in points]
    ys = [target_lower(anchor_day + 1)] + [v for _, v in points]
    out = np.interp(MEETINGS.astype(int), xs, ys)
    held = anchor_day >= MEETINGS
    out[held] = [target_lower(d + 1) for d in MEETINGS[held]]
    return out


def _smooth_shock(rng: np.random.Generator, dates: np.ndarray) -> np.ndarray:
    """A random walk pinned to zero on every narrative date (Brownian bridge pieces)."""
    walk = np.concatenate([[0.0], np.cumsum(SHOCK_SIGMA * rng.standard_normal(len(dates) - 1))])
    pins = [int(np.searchsorted(dates, Day(d, "D"))) for d, _ in NARRATIVES]
    out = np.zeros(len(dates))
    for i0, i1 in zip(pins, pins[1:], strict=False):
        frac = np.arange(i1 - i0 + 1) / (i1 - i0)
        seg = walk[i0 : i1 + 1]
        out[i0 : i1 + 1] = seg - seg[0] - frac * (seg[-1] - seg[0])
    return out


def expected_lower_bounds(rng: np.random.Generator, dates: np.ndarray) -> np.ndarray:
    """``[date, meeting]`` expected lower bound after each meeting, as priced on each date."""
    anchors = [Day(d, "D") for d, _ in NARRATIVES]
    levels = np.array([_narrative_levels(a, points)
                       for a, (_, points) in zip(anchors, NARRATIVES, strict=True)])
    anchor_ints = np.array([a.astype(int) for a in anchors])
    actual_after = np.array([target_lower(d + 1) if d < Day(LAST_DATE, "D") else np.nan
                             for d in MEETINGS])
    shock = _smooth_shock(rng, dates)
    out = np.empty((len(dates), len(MEETINGS)))
    for i, day in enumerate(dates):
        k = min(int(np.searchsorted(anchor_ints, day.astype(int), side="right")) - 1,
                len(anchors) - 2)
        w = (day - anchors[k]).astype(int) / (anchors[k + 1] - anchors[k]).astype(int)
        expected = (1 - w) * levels[k] + w * levels[k + 1]
        horizon = (MEETINGS - day).astype(int).astype(float)
        pull = np.exp(-np.maximum(horizon, 0) / CONVERGENCE_DAYS)
        pull[np.isnan(actual_after)] = 0.0  # decisions after the sample's end are unknown
        expected = expected + pull * (np.nan_to_num(actual_after) - expected)
        expected += shock[i] * np.clip(horizon / SHOCK_HORIZON_DAYS, 0.0, 1.0)
        out[i] = expected
    return out


def fed_funds_table(rng: np.random.Generator) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Dates, column labels ("FF Sep-25") and prices (NaN where a contract is not quoted)."""
    days = np.arange(Day("2022-12-01", "D"), Day("2027-01-01", "D"))
    dates = days[(days >= Day(FIRST_DATE, "D")) & (days <= Day(LAST_DATE, "D"))]
    dates = dates[np.is_busday(dates)]
    realised_lb = np.array([target_lower(d) for d in days])
    months = np.arange(Day(FIRST_CONTRACT, "M"), Day(LAST_CONTRACT, "M") + 1)
    month_of_day = days.astype("datetime64[M]")
    month_start = np.searchsorted(month_of_day, months)
    month_len = np.diff(np.append(month_start, len(days)))
    expected = expected_lower_bounds(rng, dates)
    prices = np.full((len(dates), len(months)), np.nan)
    for i, t in enumerate(dates):
        future = t < MEETINGS
        level = np.full(len(days), target_lower(t + 1))
        for meeting, value in zip(MEETINGS[future], expected[i, future], strict=True):
            level[days >= meeting] = value
        rate = np.where(days <= t, realised_lb, level) + EFFR_SPREAD
        averages = np.add.reduceat(rate, month_start[: len(months)])[: len(months)] / month_len
        listed = (months >= t.astype("datetime64[M]")) & (
            months < t.astype("datetime64[M]") + LISTED_MONTHS)
        # CME ticks: 0.0025 in the expiring (current) month, 0.005 further out.
        tick = np.where(months == t.astype("datetime64[M]"), 0.0025, 0.005)
        quoted = np.round((100 - averages) / tick) * tick
        prices[i, listed] = np.round(quoted[listed], 4)
    labels = [f"FF {m.astype(object).strftime('%b-%y')}" for m in months]
    return dates, labels, prices

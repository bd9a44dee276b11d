"""Step arithmetic of the FedWatch method: a meeting's move split into 25 bp steps, and
the chained distribution of the target range after successive meetings."""

from __future__ import annotations

import math

STEP = 0.25  # percent
_TOLERANCE = 1e-9  # steps closer than this to a whole number are that number (float noise)


def step_split(change: float) -> dict[int, float]:
    """Probabilities of whole 25 bp step counts for an expected change in percent.

    The change lies between two step counts; the nearer one gets the larger share, linearly:
    ``-0.15 -> {-1: 0.6, 0: 0.4}``, ``-0.60 -> {-3: 0.4, -2: 0.6}``, ``0.5 -> {2: 1.0}``.
    """
    steps = change / STEP
    nearest = round(steps)
    if abs(steps - nearest) < _TOLERANCE:
        return {int(nearest): 1.0}
    below = math.floor(steps)
    upper_share = steps - below
    return {below: 1.0 - upper_share, below + 1: upper_share}


def chain(
    distribution: dict[int, float], steps: dict[int, float]
) -> tuple[dict[int, float], bool]:
    """Convolve a distribution of lower bounds (in quarter points) with a meeting's steps.

    The lower bound cannot go below zero: mass that would is put at zero. Returns the new
    distribution and whether any clipping happened.
    """
    out: dict[int, float] = {}
    clipped = False
    for quarter, p in distribution.items():
        for step, ps in steps.items():
            target = quarter + step
            if target < 0:
                target, clipped = 0, True
            out[target] = out.get(target, 0.0) + p * ps
    return dict(sorted(out.items())), clipped


def quarter_key(quarter: int) -> str:
    """Lower bound in percent as text: ``17 -> "4.25"``."""
    return f"{quarter * STEP:.2f}"


def quarters(rate: float) -> int:
    """A 25 bp-grid rate in quarter points: ``4.25 -> 17``."""
    return round(rate / STEP)

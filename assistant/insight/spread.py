"""Honest summaries of a handful of numbers: no mean until there are enough of them.

A mother comparing routines on two sessions each would be misled by two means; so a group
says "not enough sessions yet" below `MIN_FOR_SPREAD`, and two groups are only called
different when both are big enough and the gap is at least two standard errors (Welch).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MIN_FOR_SPREAD = 3
"""Fewest values for a mean and a spread."""
MIN_TO_COMPARE = 5
"""Fewest values in each group before saying whether two groups differ."""
CLEAR_T = 2.0
"""A gap of this many standard errors counts as a clear difference (about 95 %)."""

Verdict = Literal["more", "less", "similar", "not enough"]
"""How one group compares with another."""


@dataclass(frozen=True)
class Spread:
    """A group of values: its count always; mean, spread and range only once there are enough."""

    count: int
    """How many values there are."""
    mean: float | None = None
    """Their mean; None below `MIN_FOR_SPREAD` values."""
    sd: float | None = None
    """Sample standard deviation (n - 1); None below `MIN_FOR_SPREAD` values."""
    low: float | None = None
    """Smallest value; None below `MIN_FOR_SPREAD` values."""
    high: float | None = None
    """Largest value; None below `MIN_FOR_SPREAD` values."""

    @property
    def enough(self) -> bool:
        """Whether there are enough values to say anything beyond the count."""
        return self.mean is not None


def spread(values: Sequence[float], minimum: int = MIN_FOR_SPREAD) -> Spread:
    """Summarise `values`, holding back everything but the count below `minimum` of them."""
    if len(values) < max(minimum, 2):
        return Spread(count=len(values))
    return Spread(
        count=len(values),
        mean=statistics.fmean(values),
        sd=statistics.stdev(values),
        low=min(values),
        high=max(values),
    )


def compare(group: Spread, others: Spread) -> Verdict:
    """`more`/`less` when `group` clearly differs from `others`, else `similar` (or too few)."""
    if (
        min(group.count, others.count) < MIN_TO_COMPARE
        or group.mean is None
        or group.sd is None
        or others.mean is None
        or others.sd is None
    ):
        return "not enough"
    gap = group.mean - others.mean
    error = math.sqrt(group.sd**2 / group.count + others.sd**2 / others.count)
    if (error == 0 and gap != 0) or (error > 0 and abs(gap) / error >= CLEAR_T):
        return "more" if gap > 0 else "less"
    return "similar"

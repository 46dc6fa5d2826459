"""Her days: totals per calendar day (her clock) and the 7-day trend.

A day with no session is shown as such, never as a day of zero milk; and the trend leaves
today out, because a day still under way would always look like a drop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

from assistant.insight.spread import Spread, Verdict, compare, spread
from assistant.insight.yields import SessionYield, local_day

TREND_DAYS = 7
"""Days in each half of the trend: the last full week against the one before."""


@dataclass(frozen=True)
class DayTotal:
    """One calendar day of sessions, in millilitres."""

    day: date
    """The day on her clock."""
    sessions: int
    """Sessions started that day."""
    logged: int
    """Of those, sessions with a yield logged."""
    left_ml: float
    """Left breast, summed over the day."""
    right_ml: float
    """Right breast, summed over the day."""
    unsided_ml: float
    """Logged without a side, summed over the day."""
    total_ml: float
    """Everything logged that day."""


@dataclass(frozen=True)
class Trend:
    """The last `TREND_DAYS` full days against the `TREND_DAYS` before them (logged days only)."""

    recent: Spread
    """Daily totals of the recent days that have a yield logged."""
    previous: Spread
    """Daily totals of the days before those."""
    verdict: Verdict
    """Whether recent days are clearly `more`, `less`, `similar`, or there is `not enough`."""

    @property
    def change(self) -> float | None:
        """Recent mean over previous mean, minus one (0.06 = up 6 %); None if either is unknown."""
        if self.recent.mean is None or not self.previous.mean:
            return None
        return self.recent.mean / self.previous.mean - 1


def daily_totals(
    sessions: Iterable[SessionYield], first: date, last: date, tz: tzinfo | None
) -> list[DayTotal]:
    """One row per day from `first` to `last` inclusive, days without sessions included."""
    by_day: dict[date, list[SessionYield]] = {}
    for item in sessions:
        day = local_day(item.started_at, tz)
        if first <= day <= last:
            by_day.setdefault(day, []).append(item)
    count = (last - first).days + 1
    return [
        _day(first + timedelta(days=i), by_day.get(first + timedelta(days=i), []))
        for i in range(count)
    ]


def _day(day: date, items: list[SessionYield]) -> DayTotal:
    return DayTotal(
        day=day,
        sessions=len(items),
        logged=sum(item.logged for item in items),
        left_ml=round(sum(item.left_ml for item in items), 2),
        right_ml=round(sum(item.right_ml for item in items), 2),
        unsided_ml=round(sum(item.unsided_ml for item in items), 2),
        total_ml=round(sum(item.total_ml for item in items), 2),
    )


def trend(sessions: Iterable[SessionYield], today: date, tz: tzinfo | None) -> Trend:
    """The last full `TREND_DAYS` days (today left out) against the ones before them."""
    yesterday = today - timedelta(days=1)
    days = daily_totals(sessions, yesterday - timedelta(days=2 * TREND_DAYS - 1), yesterday, tz)
    previous, recent = _logged(days[:TREND_DAYS]), _logged(days[TREND_DAYS:])
    return Trend(
        recent=spread(recent), previous=spread(previous), verdict=_verdict(recent, previous)
    )


def _logged(days: Sequence[DayTotal]) -> list[float]:
    return [day.total_ml for day in days if day.logged]


def _verdict(recent: list[float], previous: list[float]) -> Verdict:
    return compare(spread(recent), spread(previous))

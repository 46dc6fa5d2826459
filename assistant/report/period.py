"""One stretch of her log, ready to draw: the days, the sessions in them, her unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from assistant.errors import ReportError
from assistant.insight.daily import DayTotal, daily_totals
from assistant.insight.yields import SessionYield, local, local_day
from assistant.units import DASH, Unit

MAX_REPORT_DAYS = 31
"""Longest period a PDF report covers: one day a row still fits one page."""


@dataclass(frozen=True)
class Period:
    """Her log from `first` to `last` (days on her clock, both included)."""

    first: date
    """First day shown."""
    last: date
    """Last day shown."""
    days: list[DayTotal]
    """One row per day, days without sessions included."""
    sessions: list[SessionYield]
    """Sessions started in the period, oldest first."""
    unit: Unit
    """Her unit for every number shown."""
    tz: tzinfo | None
    """Her time zone; None: the system's."""

    @property
    def label(self) -> str:
        """ "3 May - 16 May 2024" (with an en dash): the period as a person writes it."""
        end = f"{self.last.day} {self.last:%b %Y}"
        if self.first == self.last:
            return end
        if self.first.year != self.last.year:
            return f"{self.first.day} {self.first:%b %Y} {DASH} {end}"
        return f"{self.first.day} {self.first:%b} {DASH} {end}"

    def wall_clock(self, moment: datetime) -> datetime:
        """`moment` as a naive datetime on her clock, which is how matplotlib should draw it."""
        return local(moment, self.tz).replace(tzinfo=None)


def period_of(
    sessions: Sequence[SessionYield], first: date, last: date, unit: Unit, tz: tzinfo | None
) -> Period:
    """The period's days and sessions; ReportError when not one session falls in it.

    A log that began after `first` starts the period at its first day, so a newcomer's chart
    is not mostly empty days.
    """
    inside = [item for item in sessions if first <= local_day(item.started_at, tz) <= last]
    if not inside:
        label = Period(first, last, [], [], unit, tz).label
        raise ReportError(f"No sessions were logged in {label}, so there is nothing to show.")
    first = max(first, min(local_day(item.started_at, tz) for item in inside))
    days = daily_totals(inside, first, last, tz)
    return Period(first, last, days, sorted(inside, key=lambda i: i.started_at), unit, tz)

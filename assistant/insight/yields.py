"""A session reduced to what insight needs: when, which routine, and how much from each side."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from assistant.session.amounts import entry_total
from assistant.store.records import SessionRecord


@dataclass(frozen=True)
class SessionYield:
    """One session's yield, split by side, in millilitres."""

    id: int
    """The session's id in the store."""
    routine: str
    """Routine name, e.g. `mss`."""
    started_at: datetime
    """When it began (timezone-aware)."""
    ended_at: datetime | None
    """When it ended; None if it never closed."""
    left_ml: float
    """Milk logged for the left breast."""
    right_ml: float
    """Milk logged for the right breast."""
    unsided_ml: float
    """Milk logged as a total with no side (or the part of a total beyond its sides)."""
    total_ml: float
    """The session total exactly as `history --json` gives it."""
    logged: bool
    """Whether any yield entry counts; a session with none is "not logged", not zero."""
    notes: str = ""
    """Her notes on the session, for the report's reader."""

    @property
    def minutes(self) -> float | None:
        """How long the session ran, in minutes; None if it never closed."""
        if self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 60


def session_yield(record: SessionRecord) -> SessionYield:
    """Split a record's counted entries by side; an entry's `total` beyond its sides is unsided."""
    left = right = unsided = 0.0
    for entry in record.counted:
        sides = entry.amounts_ml.get("left", 0.0), entry.amounts_ml.get("right", 0.0)
        left, right = left + sides[0], right + sides[1]
        unsided += max(0.0, entry_total(entry.amounts_ml) - sum(sides))
    return SessionYield(
        id=record.id,
        routine=record.routine,
        started_at=record.started_at,
        ended_at=record.ended_at,
        left_ml=round(left, 2),
        right_ml=round(right, 2),
        unsided_ml=round(unsided, 2),
        total_ml=record.total_ml,
        logged=bool(record.counted),
        notes=record.notes,
    )


def session_yields(records: Iterable[SessionRecord]) -> list[SessionYield]:
    """The pumping sessions' yields: a warm-up before pumping is no session of milk."""
    return [session_yield(record) for record in records if record.pumping]


def local(moment: datetime, tz: tzinfo | None) -> datetime:
    """`moment` on her wall clock: in `tz`, or in the system's zone when `tz` is None."""
    return moment.astimezone(tz)


def local_day(moment: datetime, tz: tzinfo | None) -> date:
    """The calendar day `moment` falls on for her (days are hers, not UTC's)."""
    return local(moment, tz).date()


def start_of(day: date, tz: tzinfo | None) -> datetime:
    """Midnight at the start of `day` on her clock, as an aware datetime."""
    midnight = datetime.combine(day, time())
    return midnight.astimezone() if tz is None else midnight.replace(tzinfo=tz)


def since_midnight(moment: datetime, tz: tzinfo | None) -> timedelta:
    """How far into her day `moment` is (for "by this time of day")."""
    on_her_clock = local(moment, tz)
    return on_her_clock - on_her_clock.replace(hour=0, minute=0, second=0, microsecond=0)

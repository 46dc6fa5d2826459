"""Her sessions grouped: by routine, by time of day, and left against right.

Only sessions with a yield logged count towards a mean: a session with nothing logged is
unknown, not zero.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta, tzinfo

from assistant.insight.spread import MIN_FOR_SPREAD, Spread, Verdict, compare, spread
from assistant.insight.yields import SessionYield, since_midnight

TIMES_OF_DAY = (("night", 0, 6), ("morning", 6, 12), ("afternoon", 12, 18), ("evening", 18, 24))
"""Name and hours [from, to) of each part of her day."""
EVEN_SHARE = 0.10
"""Left within this of half the sided milk counts as "about even"."""


@dataclass(frozen=True)
class Group:
    """Session totals of one group, and how they compare with every other session."""

    name: str
    """Routine name, or part of the day."""
    sessions: Spread
    """Totals of the group's logged sessions, in millilitres."""
    versus_rest: Verdict
    """`more`/`less` when clearly unlike all other sessions; else `similar` or `not enough`."""


@dataclass(frozen=True)
class Balance:
    """Left against right, over the sessions where she said which side."""

    left_ml: float
    """Left milk over those sessions."""
    right_ml: float
    """Right milk over those sessions."""
    sided_sessions: int
    """Sessions with at least one side logged."""
    unsided_sessions: int
    """Logged sessions with only a total (they cannot count here)."""

    @property
    def left_share(self) -> float | None:
        """Left's share of sided milk (0.5 = even); None with too few sided sessions."""
        both = self.left_ml + self.right_ml
        if self.sided_sessions < MIN_FOR_SPREAD or both == 0:
            return None
        return self.left_ml / both

    @property
    def even(self) -> bool | None:
        """Whether left and right are within `EVEN_SHARE` of half; None when unknown."""
        share = self.left_share
        return None if share is None else abs(share - 0.5) <= EVEN_SHARE


def by_routine(sessions: Iterable[SessionYield]) -> list[Group]:
    """One group per routine she used, most used first."""
    logged = [item for item in sessions if item.logged]
    groups = _groups(logged, lambda item: item.routine, sorted({i.routine for i in logged}))
    return sorted(groups, key=lambda group: (-group.sessions.count, group.name))


def by_time_of_day(sessions: Iterable[SessionYield], tz: tzinfo | None) -> list[Group]:
    """One group per part of the day (night, morning, afternoon, evening), in that order."""
    logged = [item for item in sessions if item.logged]
    return _groups(
        logged, lambda item: part_of_day(item, tz), [name for name, _, _ in TIMES_OF_DAY]
    )


def part_of_day(item: SessionYield, tz: tzinfo | None) -> str:
    """`night`, `morning`, `afternoon` or `evening`, by when on her clock the session began."""
    hour = since_midnight(item.started_at, tz) / timedelta(hours=1)
    return next(name for name, start, end in TIMES_OF_DAY if start <= hour < end)


def balance(sessions: Iterable[SessionYield]) -> Balance:
    """Left and right summed over sessions where a side was said."""
    logged = [item for item in sessions if item.logged]
    sided = [item for item in logged if item.left_ml or item.right_ml]
    return Balance(
        left_ml=round(sum(item.left_ml for item in sided), 2),
        right_ml=round(sum(item.right_ml for item in sided), 2),
        sided_sessions=len(sided),
        unsided_sessions=len(logged) - len(sided),
    )


def _groups(
    logged: Sequence[SessionYield], key: Callable[[SessionYield], str], names: Sequence[str]
) -> list[Group]:
    """Each named group's totals, compared with the totals of every session outside it."""
    result = []
    for name in names:
        inside = spread([item.total_ml for item in logged if key(item) == name])
        outside = spread([item.total_ml for item in logged if key(item) != name])
        result.append(Group(name, inside, compare(inside, outside)))
    return result

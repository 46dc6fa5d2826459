"""Time for the session, passed in so nothing else reads the wall clock.

Session time is seconds since the session began. The real clock follows a monotonic
timer; the virtual clock only moves when its driver (a commands file or the position in
a recording) moves it, so a twenty-minute session runs in a fraction of a second and
every test is deterministic.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where session time comes from."""

    started_at: datetime
    """Wall-clock moment (timezone-aware) that session time 0.0 corresponds to."""

    def now(self) -> float:
        """Seconds since the session began."""
        ...


def wall_time(clock: Clock, t: float) -> datetime:
    """The wall-clock moment of session time `t`, for what is stored and shown."""
    return clock.started_at + timedelta(seconds=t)


class RealClock:
    """Session time from a monotonic timer, immune to wall-clock jumps."""

    def __init__(self) -> None:
        self.started_at = datetime.now(UTC)
        self._origin = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._origin


class VirtualClock:
    """Session time that only moves when told: driven by a script or an audio position."""

    def __init__(self, started_at: datetime | None = None) -> None:
        self.started_at = started_at or datetime.now(UTC)
        self._t = 0.0

    def now(self) -> float:
        return self._t

    def advance_to(self, t: float) -> None:
        """Move time forward to `t`; time never runs backwards."""
        self._t = max(self._t, t)

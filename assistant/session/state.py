"""The whole state of a session, as one immutable value.

Everything the machine needs to decide what happens next is here; nothing is hidden in
objects, threads or timers, so any moment of a session can be rebuilt and tested.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.commands import AmountKey
from assistant.session.recap import Recap
from assistant.units import Unit

Phase = Literal["idle", "running", "paused", "confirming", "asking_yield", "offering", "finished"]
PendingKind = Literal["stop", "log", "which"]


class Pending(BaseModel):
    """A question waiting for yes or no, or (`which`) for one of two amounts."""

    model_config = ConfigDict(frozen=True)

    kind: PendingKind
    question: str
    """Asked again on "repeat" and on any other command."""
    amounts_ml: dict[AmountKey, float] | None = None
    """The amount to log on "yes" (for `kind == "log"`)."""
    options: tuple[dict[AmountKey, float], ...] = ()
    """For `kind == "which"`: the amounts she may have said, the likelier first."""
    asked_at: float
    """Session time of the question, for the time-out that reads silence as "no"."""


class Entry(BaseModel):
    """One logged yield, kept after undo so the read-back and the store agree."""

    model_config = ConfigDict(frozen=True)

    number: int
    amounts_ml: dict[AmountKey, float]
    total_ml: float
    undone: bool = False
    at: float = 0.0
    """Session time it was logged."""


class SessionState(BaseModel):
    """Where the session is. Replaced, never mutated."""

    model_config = ConfigDict(frozen=True)

    phase: Phase = "idle"
    index: int = 0
    """Current segment of the plan."""
    elapsed_s: float = 0.0
    """Seconds spent in the current segment (paused time excluded)."""
    last_t: float = 0.0
    """Session time of the last event seen; time only moves forward."""
    phase_since: float = 0.0
    """Session time the current phase began (for pause, question and yield time-outs)."""
    resume_phase: Phase | None = None
    """Where "resume" or an answered question returns to."""
    pending: Pending | None = None
    entries: tuple[Entry, ...] = ()
    rate_wpm: int = 165
    volume: float = 0.9
    last_said: str = ""
    """Said again on "repeat"."""
    last_heard: str = ""
    """The last command's words, for the screen."""
    nudged: bool = False
    """Whether the one gentle reminder for the current wait has been given."""
    completed: bool = False
    """Whether every step of the routine ran (as opposed to stopping early)."""
    unit: Unit = "ml"
    """Her unit for what is said aloud; amounts in the state stay in millilitres."""
    recap: Recap | None = None
    """Her log before this session (from a `Briefing`); None: say nothing about other days."""

    @property
    def logged(self) -> tuple[Entry, ...]:
        """Entries that still count (not undone)."""
        return tuple(e for e in self.entries if not e.undone)

    @property
    def logged_ml(self) -> float:
        """What the entries that still count add up to."""
        return sum(e.total_ml for e in self.logged)


def initial_state(
    rate_wpm: int = 165, volume: float = 0.9, unit: Unit = "ml", recap: Recap | None = None
) -> SessionState:
    """A session that has not started yet, with her voice settings, unit and (if known) recap."""
    return SessionState(rate_wpm=rate_wpm, volume=volume, unit=unit, recap=recap)

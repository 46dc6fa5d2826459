"""What the state machine asks the outside world to do. Effects are data; the runner acts.

Keeping them as data is what lets the machine stay pure and lets tests read exactly what a
session would have said, logged and stored.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.commands import AmountKey

HowEnded = Literal["done", "skipped", "went_back", "stopped"]


class _Effect(BaseModel):
    model_config = ConfigDict(frozen=True)


class Say(_Effect):
    """Speak a sentence aloud (and show it)."""

    type: Literal["say"] = "say"
    text: str
    """The sentence, in plain words (numbers already spelled for speech where it matters)."""
    interrupt: bool = False
    """True when this answers her command: stop any stale cue and say this at once."""


class SetVoice(_Effect):
    """Change how the speaker talks."""

    type: Literal["voice"] = "voice"
    rate_wpm: int
    """Speaking rate in words per minute."""
    volume: float
    """Loudness from 0.0 (silent) to 1.0 (full)."""


class GateMic(_Effect):
    """Tell the listener what is worth hearing now."""

    type: Literal["gate_mic"] = "gate_mic"
    listen_for: Literal["commands", "yes_no", "amount", "nothing"]
    """`yes_no` while a confirmation is pending; `amount` while she is asked which amount she
    said (it may be said alone); `nothing` once the session is over."""


class StepEntered(_Effect):
    """A step (one side of it, one repetition of it) has begun."""

    type: Literal["step_entered"] = "step_entered"
    index: int
    """Position in the session's plan, from 0."""
    step_id: str
    title: str
    side: Literal["both", "left", "right"]
    cycle: int
    """Which pass through the routine, from 1."""
    duration_s: float


class StepEnded(_Effect):
    """The current step is over, and how."""

    type: Literal["step_ended"] = "step_ended"
    index: int
    how: HowEnded


class YieldLogged(_Effect):
    """A confirmed yield entry; once the store has it, it must survive any crash."""

    type: Literal["yield_logged"] = "yield_logged"
    entry: int
    """Number of the entry within the session, from 1; undo refers to it."""
    amounts_ml: dict[AmountKey, float]
    total_ml: float
    """What the entry adds to the session's total."""


class YieldUndone(_Effect):
    """An earlier entry was taken back (kept in the store, marked undone)."""

    type: Literal["yield_undone"] = "yield_undone"
    entry: int


class SessionEnded(_Effect):
    """The session is over; the store closes it."""

    type: Literal["session_ended"] = "session_ended"
    outcome: Literal["completed", "stopped_early"]
    """`completed` when every step ran; `stopped_early` when she stopped before the end."""


class NextRoutine(_Effect):
    """She chose the pumping routine offered at the end of one before pumping: it begins now,
    as a session of its own."""

    type: Literal["next_routine"] = "next_routine"
    routine: str
    pumping: bool


Effect = (
    Say
    | SetVoice
    | GateMic
    | StepEntered
    | StepEnded
    | YieldLogged
    | YieldUndone
    | SessionEnded
    | NextRoutine
)

"""What the screen shows, derived from the state: a pure projection, not an effect.

The countdown changes on every tick, so rather than emitting "update screen" effects the
view asks for a snapshot after each event; the machine stays free of display concerns.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from assistant.session import replies
from assistant.session.plan import Plan
from assistant.session.state import Phase, SessionState
from assistant.units import Unit


class Snapshot(BaseModel):
    """One frame of the live view."""

    model_config = ConfigDict(frozen=True)

    routine: str
    phase: Phase
    step: str
    """E.g. "Step 2 of 5: Massage, left breast, round 1 of 2."."""
    step_left_s: float
    step_duration_s: float
    routine_left_s: float
    last_heard: str
    last_said: str
    logged_ml: float
    """Total logged this session (undone entries excluded), in millilitres."""
    unit: Unit = "ml"
    """Her unit, for showing `logged_ml`."""
    question: str | None
    """The pending yes/no question, if any."""


def snapshot(plan: Plan, state: SessionState) -> Snapshot:
    index = min(state.index, len(plan.segments) - 1)
    segment = plan.segments[index]
    in_routine = state.phase in ("running", "paused") or (
        state.phase == "confirming" and state.resume_phase in ("running", "paused")
    )
    step_left = segment.duration_s - state.elapsed_s if in_routine else 0.0
    return Snapshot(
        routine=plan.routine.title,
        phase=state.phase,
        step=replies.status(plan, segment) if in_routine else _phase_label(state.phase),
        step_left_s=max(0.0, step_left),
        step_duration_s=segment.duration_s if in_routine else 0.0,
        routine_left_s=step_left + plan.seconds_after(index) if in_routine else 0.0,
        last_heard=state.last_heard,
        last_said=state.last_said,
        logged_ml=round(state.logged_ml, 2),
        unit=state.unit,
        question=state.pending.question if state.pending else None,
    )


def _phase_label(phase: Phase) -> str:
    return {
        "idle": "Ready to start.",
        "asking_yield": "Routine done: how much did you get?",
        "offering": "Ready to pump: say start.",
        "finished": "Session saved.",
    }.get(phase, "")

"""A routine unrolled into the timed segments a session walks through.

Cycles, per-breast passes, per-side steps and repetitions all become one flat list, so the
state machine only ever needs an index and a countdown, and "next"/"back" are +1/-1.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.routines.model import Reminder, Routine, Step

SegmentSide = Literal["both", "left", "right"]


class Segment(BaseModel):
    """One timed stretch of one step, on one side, in one cycle."""

    model_config = ConfigDict(frozen=True)

    index: int
    """Position in the plan, from 0."""
    step_id: str
    title: str
    cue: str
    """The step's own instruction, as written in the routine."""
    again: str = ""
    """The step's short instruction for a repetition after the first (`Step.again`)."""
    duration_s: float
    side: SegmentSide
    cycle: int
    """Which pass through the routine, from 1."""
    repetition: int
    """Which repetition of the step, from 1."""
    repetitions: int
    reminders: tuple[Reminder, ...]
    step_number: int
    """Position of the step within the routine, from 1 (for "step 2 of 4")."""


class Plan(BaseModel):
    """Everything the state machine needs to know about the routine, fixed for a session."""

    model_config = ConfigDict(frozen=True)

    routine: Routine
    cycles: int
    segments: tuple[Segment, ...]
    then: Plan | None = None
    """The pumping routine offered when a routine before pumping ends (`Routine.leads_to`)."""

    @property
    def total_s(self) -> float:
        """Length of the whole session's routine in seconds."""
        return sum(s.duration_s for s in self.segments)

    def seconds_after(self, index: int) -> float:
        """Seconds in all the segments after `index`."""
        return sum(s.duration_s for s in self.segments[index + 1 :])


def build_plan(routine: Routine, cycles: int | None = None, then: Plan | None = None) -> Plan:
    """Unroll `routine`: cycles, then breasts (when the routine is per-breast), then steps."""
    count = cycles if cycles is not None else routine.cycles
    passes = [(cycle, routine.steps, 1) for cycle in range(1, count + 1)]
    if routine.final_steps:
        passes.append((count, routine.final_steps, len(routine.steps) + 1))
    segments: list[Segment] = []
    for cycle, steps, first_number in passes:
        for routine_side in _routine_sides(routine):
            for number, step in enumerate(steps, start=first_number):
                for repetition in range(1, step.repetitions + 1):
                    for side in _step_sides(step, routine_side):
                        segments.append(
                            _segment(step, len(segments), side, cycle, repetition, number)
                        )
    return Plan(routine=routine, cycles=count, segments=tuple(segments), then=then)


def _segment(
    step: Step, index: int, side: SegmentSide, cycle: int, repetition: int, number: int
) -> Segment:
    return Segment(
        index=index,
        step_id=step.id,
        title=step.title,
        cue=step.cue,
        again=step.again,
        duration_s=step.duration_s,
        side=side,
        cycle=cycle,
        repetition=repetition,
        repetitions=step.repetitions,
        reminders=step.reminders,
        step_number=number,
    )


def _routine_sides(routine: Routine) -> tuple[SegmentSide, ...]:
    return ("left", "right") if routine.sides == "each" else ("both",)


def _step_sides(step: Step, routine_side: SegmentSide) -> tuple[SegmentSide, ...]:
    if routine_side != "both":
        return (routine_side,)
    if step.side == "each":
        return ("left", "right")
    return (step.side,)

"""The shape of a routine file, checked when it loads so a bad file never starts a session."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

Side = Literal["both", "each", "left", "right"]
"""`both`: both breasts at once; `each`: left then right, one after the other."""

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _no_control_characters(text: str) -> str:
    # Words are spoken and shown: an escape or NUL would reach the terminal or the speech
    # engine as a command, not as words.
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text):
        raise ValueError("must be words without control characters (such as \\u001b or \\t)")
    return text


Words = Annotated[str, AfterValidator(_no_control_characters)]
"""Text that is spoken or shown."""

MAX_STEPS = 30
"""Steps in a list (`steps`, `final_steps`): the built-ins have 1 to 5. With the other limits
it keeps a session's plan to thousands of segments, not millions."""
MAX_REMINDERS = 10
"""Reminders in one step."""
MAX_HOURS = 4
"""The longest a routine may last at its own rounds: a session is 20 to 40 minutes, and a
scripted run ticks through every second of it."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Source(_Strict):
    """Where a routine's facts come from; every routine credits at least one."""

    title: Words = Field(min_length=1)
    """Title of the source document."""
    credit: Words = Field(min_length=1)
    """Who recommends the technique, as a reader would cite it."""
    document: Words | None = Field(default=None, min_length=1)
    """The source file under shared/seeds/ the facts were taken from; None for published
    guidance cited by its title alone (a clinical protocol the routine keeps to)."""


class Reminder(_Strict):
    """A cue spoken part-way through a step, in addition to the automatic ones."""

    after_s: float = Field(gt=0)
    """Seconds into the step (each side counts from its own start)."""
    text: Words = Field(min_length=1)
    """What is said, in our own words."""


class Step(_Strict):
    """One instruction held for a while: what to do, on which side, for how long."""

    id: str = Field(pattern=SLUG)
    """Short unique name within the routine, used in the log."""
    title: Words = Field(min_length=1, max_length=40)
    """A few words for the screen and for "where am I"."""
    cue: Words = Field(min_length=1)
    """Spoken when the step begins: what to do, said kindly and briefly."""
    duration_s: int = Field(ge=5, le=3600)
    """How long the step lasts, per side when `side` is `each`."""
    side: Side = "both"
    """Which breast the step is for."""
    repetitions: int = Field(default=1, ge=1, le=20)
    """How many times in a row the step is done before moving on."""
    again: Words = ""
    """Said instead of `cue` for the second and later repetitions in a row: she has just heard
    the whole instruction. Empty: the title and the count alone ("New position, 2 of 3.")."""
    reminders: tuple[Reminder, ...] = Field(default=(), max_length=MAX_REMINDERS)
    """Extra cues during the step."""

    @model_validator(mode="after")
    def _reminders_fall_inside_the_step(self) -> Step:
        for reminder in self.reminders:
            if reminder.after_s >= self.duration_s:
                raise ValueError(
                    f"reminder at {reminder.after_s:g} s is not inside the "
                    f"{self.duration_s} s step '{self.id}'"
                )
        return self


class Routine(_Strict):
    """A massage routine as data: steps, how often they repeat, safety cues and sources."""

    name: str = Field(pattern=SLUG)
    """What she types or says to choose it, e.g. `mss`."""
    title: Words = Field(min_length=1)
    """Human name, e.g. "Massage-Stroke-Shake"."""
    summary: Words = Field(min_length=1)
    """One line for `pumpcoach routines`."""
    when: Words = ""
    """When the routine is meant to be used (before pumping, while pumping, for a blocked duct)."""
    sides: Literal["both", "each"] = "both"
    """`each`: the whole step list is done for the left breast, then again for the right."""
    cycles: int = Field(default=1, ge=1, le=10)
    """How many times the whole routine repeats by default (overridable at start)."""
    safety: tuple[Words, ...] = Field(min_length=1)
    """Safety cues from the sources, spoken at the start and on request."""
    sources: tuple[Source, ...] = Field(min_length=1)
    """Credits for the facts the routine is built from."""
    steps: tuple[Step, ...] = Field(min_length=1, max_length=MAX_STEPS)
    """The instructions, in order; repeated `cycles` times."""
    final_steps: tuple[Step, ...] = Field(default=(), max_length=MAX_STEPS)
    """Done once, after the last cycle (e.g. a last stretch of pumping)."""
    leads_to: str | None = Field(default=None, pattern=SLUG)
    """The pumping routine offered when this one ends (`mss`). A routine that leads to another
    prepares for pumping: it asks for no milk, and is no pumping session in her figures."""

    @model_validator(mode="after")
    def _step_ids_are_unique(self) -> Routine:
        seen: set[str] = set()
        for step in self.all_steps:
            if step.id in seen:
                raise ValueError(f"step id '{step.id}' is used twice")
            seen.add(step.id)
        return self

    @model_validator(mode="after")
    def _lasts_a_session_not_a_day(self) -> Routine:
        if self.total_s > MAX_HOURS * 3600:
            raise ValueError(
                f"the routine lasts {self.total_s / 3600:.1f} hours at its {self.cycles} "
                f"round(s); a routine may last at most {MAX_HOURS} hours"
            )
        return self

    @property
    def pumping(self) -> bool:
        return self.leads_to is None

    @property
    def all_steps(self) -> tuple[Step, ...]:
        """Every distinct step, the cycled ones first."""
        return self.steps + self.final_steps

    @property
    def total_s(self) -> int:
        """Length of the routine at its default cycles, in seconds."""
        per_side = 2 if self.sides == "each" else 1
        return per_side * (self.cycles * _length(self.steps) + _length(self.final_steps))


def _length(steps: tuple[Step, ...]) -> int:
    return sum(s.duration_s * s.repetitions * (2 if s.side == "each" else 1) for s in steps)

"""What the state machine hears: spoken or typed commands, and clock ticks.

These are the shapes other tools rely on (see DESIGN.md): intent names and `amounts_ml`
keyed by `left`, `right` or `total`, in millilitres.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.session.recap import Recap

Intent = Literal[
    "next",
    "back",
    "pause",
    "resume",
    "repeat",
    "stop",
    "time_left",
    "status",
    "help",
    "louder",
    "quieter",
    "slower",
    "faster",
    "log",
    "undo",
    "yes",
    "no",
    "start",
]

AmountKey = Literal["left", "right", "total"]


class Command(BaseModel):
    """One understood command, whatever its source (keyboard, file or recognizer)."""

    model_config = ConfigDict(frozen=True)

    intent: Intent
    """What she asked for; one of the contract's intent names."""
    amounts_ml: dict[AmountKey, float] | None = None
    """For `log` only: millilitres per side, or `total`; None for every other intent."""
    text: str = ""
    """The words as heard or typed, for the screen and the event log."""
    runner_up_ml: dict[AmountKey, float] | None = None
    """For `log` only: other amounts the recognizer found nearly as likely ("sixteen" for
    "sixty"); the coach then asks which she said. None when it could tell."""
    over_coach: bool = False
    """She said it while the coach was talking (she interrupted it), for the screen and the
    event log; the machine treats it like any other command."""


class CommandEvent(BaseModel):
    """A command arriving at session time `t`."""

    model_config = ConfigDict(frozen=True)

    type: Literal["command"] = "command"
    t: float
    """Session seconds at which the command was decided."""
    command: Command


class Tick(BaseModel):
    """The clock moved; timers and reminders are checked against `t`."""

    model_config = ConfigDict(frozen=True)

    type: Literal["tick"] = "tick"
    t: float
    """Session seconds now."""


class Briefing(BaseModel):
    """What her log says before the session starts, for the summary at its end (pure data)."""

    model_config = ConfigDict(frozen=True)

    type: Literal["briefing"] = "briefing"
    t: float
    """Session seconds when the briefing arrived (before the routine starts)."""
    recap: Recap
    """Her day so far and her recent days, worked out by the edge from the store."""


Event = CommandEvent | Tick | Briefing

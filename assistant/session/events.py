"""What the state machine hears: commands (`assistant.commands`) at a moment, clock ticks,
and a briefing on her record."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from assistant.commands import Command
from assistant.session.recap import Recap


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

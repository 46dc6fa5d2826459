"""What she can ask for, understood: the intent names and amounts other tools rely on (see
DESIGN.md), `amounts_ml` keyed by `left`, `right` or `total`, in millilitres.

On the ground floor: the grammar produces these, the session acts on them, and neither needs
the other to say what a command is.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

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

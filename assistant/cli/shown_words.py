"""Commands and amounts as words on her screen: "time left", "log left 40, right 35 ml (75 in
all)", never an intent name or a Python dict."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.commands import AmountKey, Command
from assistant.session.amounts import entry_total
from assistant.units import Unit, number


def amounts_text(amounts: Mapping[AmountKey, float], total_ml: float, unit: Unit) -> str:
    """ "left 40, right 35 ml (75 in all)", "90 ml", or "nothing logged"."""
    if not amounts:
        return "nothing logged"
    sides = [f"{key} {number(amounts[key], unit)}" for key in ("left", "right") if key in amounts]
    if not sides:
        return f"{number(total_ml, unit)} {unit}"
    return f"{', '.join(sides)} {unit} ({number(total_ml, unit)} in all)"


def command_text(command: Command, unit: Unit) -> str:
    """ "time left", "log 65 ml", "log left 40, right 35 ml (75 in all)"."""
    if command.amounts_ml:
        return f"log {amounts_text(command.amounts_ml, entry_total(command.amounts_ml), unit)}"
    return command.intent.replace("_", " ")

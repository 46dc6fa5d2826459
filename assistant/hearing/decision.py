"""The one decision: is the likeliest command close enough to what Whisper itself heard?

The likeliest command in the grammar is taken when it is at most `margin` (natural log) less
likely than Whisper's free reading of the same audio: a command she said is nearly what
Whisper would write anyway, while chatter is far from every command. A log is read back only
when no reading with other amounts comes within `ask_margin` of it; otherwise that runner-up
goes with it, and the coach asks which she said.
"""

from __future__ import annotations

from assistant.grammar import parse
from assistant.hearing.grammar_search import Found
from assistant.hearing.recognizer import Hypothesis


def decide(found: Found, margin: float, ask_margin: float) -> Hypothesis:
    """A command (confidence 1), or Whisper's own reading (confidence 0: not one)."""
    if not found.commands:
        return Hypothesis(found.free.text, 0.0, float("inf"))
    best = found.commands[0]
    shortfall = found.free.log_prob - best.log_prob
    if shortfall > margin:
        return Hypothesis(found.free.text, 0.0, shortfall)
    amounts = _amounts(best.text)
    runner_up = next(
        (
            other.text
            for other in found.commands[1:]
            if best.log_prob - other.log_prob <= ask_margin
            and _amounts(other.text) not in (None, amounts)
        ),
        "",
    )
    return Hypothesis(best.text, 1.0, shortfall, runner_up if amounts is not None else "")


def _amounts(text: str) -> dict[str, float] | None:
    """A log's amounts; None for any other command."""
    command = parse(text)
    if command is None or command.amounts_ml is None:
        return None
    return {str(key): ml for key, ml in command.amounts_ml.items()}

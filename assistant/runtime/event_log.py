"""Session events as JSON lines (`--events-json`), and as a readable transcript.

The JSON shape is a contract other tools rely on: one object a line, each with `t` and
`type`; fields are only ever added.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from assistant.commands import Command
from assistant.runtime.observer import BaseObserver
from assistant.session.effects import Effect, Say, SetVoice

EVENT_NAMES = {"say": "cue", "gate_mic": "mic", "voice": "voice"}
"""Effect types renamed for readers of the log; the rest keep their own names."""


def effect_event(t: float, effect: Effect) -> dict[str, Any]:
    data = effect.model_dump(mode="json")
    data["type"] = EVENT_NAMES.get(effect.type, effect.type)
    return {"t": round(t, 3), **data}


def input_event(t: float, text: str, command: Command | None) -> dict[str, Any]:
    if command is None:
        return {"t": round(t, 3), "type": "unrecognized", "text": text}
    event: dict[str, Any] = {"t": round(t, 3), "type": "command", "intent": command.intent}
    if command.amounts_ml is not None:
        event["amounts_ml"] = command.amounts_ml
    event["text"] = text
    if command.over_coach:
        event["over_coach"] = True  # she interrupted the coach
    return event


class JsonEventLog(BaseObserver):
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def emit(self, event: dict[str, Any]) -> None:
        self._stream.write(json.dumps(event) + "\n")
        self._stream.flush()

    def on_input(self, t: float, text: str, command: Command | None) -> None:
        self.emit(input_event(t, text, command))

    def on_effect(self, t: float, effect: Effect) -> None:
        self.emit(effect_event(t, effect))


class Transcript(BaseObserver):
    """A human-readable log of a scripted session: what was said and what was heard."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def on_input(self, t: float, text: str, command: Command | None) -> None:
        note = "" if command is not None else "   (not a command)"
        if command is not None and command.over_coach:
            note = "   (over the coach)"
        self._stream.write(f"{clock_label(t)}  you: {text}{note}\n")

    def on_effect(self, t: float, effect: Effect) -> None:
        if isinstance(effect, Say):
            self._stream.write(f"{clock_label(t)}  coach: {effect.text}\n")
        elif isinstance(effect, SetVoice):
            self._stream.write(
                f"{clock_label(t)}  (voice {effect.rate_wpm} wpm, volume {effect.volume:g})\n"
            )
        elif effect.type in ("yield_logged", "yield_undone"):
            self._stream.write(f"{clock_label(t)}  [{effect.type.replace('_', ' ')}]\n")


def clock_label(t: float) -> str:
    minutes, seconds = divmod(int(t), 60)
    return f"{minutes:2d}:{seconds:02d}"

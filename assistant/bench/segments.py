"""The endpointer on its own: where it finds utterances in a recording, for its tests and
its tuning script (`scripts/tune_endpointer.py`), which both need the same picture."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.audio.mix import Signal
from assistant.audio.source import Frame
from assistant.audio.voices import OTHERS, WOMEN, speak
from assistant.hearing.endpointer import Endpointer, SpeechStart
from assistant.settings import RecognitionSettings

VOICES = WOMEN + OTHERS
Span = tuple[float, float]


@dataclass(frozen=True)
class Segment:
    """One utterance as the endpointer saw it, in source seconds."""

    start: float
    end: float
    decided: float
    dropped: bool
    """Cut for running too long (chatter), not handed on."""


def segments(
    frames: Iterable[Frame], settings: RecognitionSettings, skip: Sequence[Span] = ()
) -> list[Segment]:
    """Every utterance the endpointer finds; frames inside `skip` are never pushed (the
    endpointer is reset there, as the listener does when the mic gate shuts)."""
    endpointer = Endpointer(settings)
    found: list[Segment] = []
    start: float | None = None
    for frame in frames:
        if any(a <= frame.t < b for a, b in skip):
            endpointer.reset()
            start = None
            continue
        for event in endpointer.push(frame):
            if isinstance(event, SpeechStart):
                start = event.t
            elif start is not None:
                found.append(Segment(start, event.t, event.decided_t, event.dropped))
                start = None
    return found


@functools.cache
def said(text: str, voice: int) -> Signal:
    """`text` in one of `VOICES` (`speak` trims it to where the words are)."""
    return speak(text, VOICES[voice]).samples.astype(np.float64)

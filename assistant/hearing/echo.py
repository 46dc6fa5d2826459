"""The one interface an echo canceller implements: take the coach's own voice out of what the
microphone heard.

The coach knows the exact waveform of every cue it plays. Given that as the reference, a
canceller removes the cue as it comes back through the room, so that she can be heard while
the coach talks (barge-in) and the coach never hears itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

from assistant.audio.pcm import FRAME_S, Samples
from assistant.audio.source import Frame


class EchoCanceller(Protocol):
    def cancel(self, heard: Samples, played: Samples) -> Samples:
        """One frame from the microphone (16 kHz), with the echo of `played` taken out:
        what the speaker sent out over the same frame, zeros when the coach is silent."""
        ...


Played = Callable[[float, int], Samples]
"""What the speaker sent out from a moment (session seconds), so many samples of it at 16 kHz."""


CLIPPED = 32000
"""A sample this far from zero (int16) is the microphone overloaded."""
LEARN_S = 10.0
"""Seconds of the coach's voice the canceller hears before she may talk over it: until then
its echo is not yet far enough down, and the microphone is shut while the coach talks."""


class EchoRemoval:
    """The listener's first stage: each frame, less the echo of what the speaker played."""

    def __init__(self, canceller: EchoCanceller, played: Played, learn_s: float = LEARN_S):
        self._canceller = canceller
        self._played = played
        self._to_learn = round(learn_s / FRAME_S)

    @property
    def learnt(self) -> bool:
        """Whether the canceller has heard enough of the coach to keep her echo out."""
        return self._to_learn <= 0

    def remove(self, frame: Frame) -> tuple[Frame, Samples, bool]:
        """The frame without the echo, what the speaker played over it, and whether the
        microphone overloaded (clipped) in it."""
        played = self._played(frame.t, len(frame.samples))
        if self._to_learn > 0 and played.any():
            self._to_learn -= 1
        clipped = bool(np.abs(frame.samples.astype(np.int32)).max(initial=0) >= CLIPPED)
        return Frame(self._canceller.cancel(frame.samples, played), frame.t), played, clipped

    def shut_while(self, sounding: Callable[[float], bool]) -> Callable[[float], bool]:
        """For the mic gate: the coach counts as talking only until the room is learnt."""
        return lambda t: not self.learnt and sounding(t)

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

from assistant.audio.pcm import Samples
from assistant.audio.source import Frame
from assistant.hearing.echo_delay import DelayTracker


class EchoCanceller(Protocol):
    def cancel(self, heard: Samples, played: Samples) -> Samples:
        """One frame from the microphone (16 kHz), with the echo of `played` taken out:
        what the speaker sent out over the same frame, zeros when the coach is silent."""
        ...


Played = Callable[[float, int], Samples]
"""What the speaker sent out from a moment (session seconds), so many samples of it at 16 kHz."""


CLIPPED = 32000
"""A sample this far from zero (int16) is the microphone overloaded."""


class EchoRemoval:
    """The listener's first stage: each frame, less the echo of what the speaker played."""

    def __init__(self, canceller: EchoCanceller, played: Played) -> None:
        self._canceller = canceller
        self._reference = DelayTracker(played)

    def remove(self, frame: Frame) -> tuple[Frame, Samples, bool]:
        """The frame without the echo, what the speaker played over it (lined up with its
        echo), and whether the microphone overloaded (clipped) in it."""
        played = self._reference.reference(frame)
        clipped = bool(np.abs(frame.samples.astype(np.int32)).max(initial=0) >= CLIPPED)
        return Frame(self._canceller.cancel(frame.samples, played), frame.t), played, clipped

"""The one interface an echo canceller implements: take the coach's own voice out of what the
microphone heard.

The coach knows the exact waveform of every cue it plays. Given that as the reference, a
canceller removes the cue as it comes back through the room, so that she can be heard while
the coach talks (barge-in) and the coach never hears itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from assistant.audio.pcm import Samples
from assistant.audio.source import Frame


class EchoCanceller(Protocol):
    def cancel(self, heard: Samples, played: Samples) -> Samples:
        """One frame from the microphone (16 kHz), with the echo of `played` taken out:
        what the speaker sent out over the same frame, zeros when the coach is silent."""
        ...


Played = Callable[[float, int], Samples]
"""What the speaker sent out from a moment (session seconds), so many samples of it at 16 kHz."""


@dataclass(frozen=True)
class EchoRemoval:
    """The listener's first stage: each frame, less the echo of what the speaker played."""

    canceller: EchoCanceller
    played: Played

    def remove(self, frame: Frame) -> Frame:
        played = self.played(frame.t, len(frame.samples))
        return Frame(self.canceller.cancel(frame.samples, played), frame.t)

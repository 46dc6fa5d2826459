"""The one interface an echo canceller implements: take the coach's own voice out of what the
microphone heard.

The coach knows the exact waveform of every cue it plays. Given that as the reference, a
canceller removes the cue as it comes back through the room, so that she can be heard while
the coach talks (barge-in) and the coach never hears itself.
"""

from __future__ import annotations

from typing import Protocol

from assistant.audio.pcm import Samples


class EchoCanceller(Protocol):
    def cancel(self, heard: Samples, played: Samples) -> Samples:
        """One frame from the microphone (16 kHz), with the echo of `played` taken out:
        what the speaker sent out over the same frame, zeros when the coach is silent."""
        ...

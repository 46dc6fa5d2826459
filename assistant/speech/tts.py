"""What every text-to-speech engine offers the speakers: text in, samples out.

The engines (pyttsx3, festival, flite) sit behind this one interface, so a speaker never
knows which voice it speaks with; `coach_voices` chooses one at the edge.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from assistant.audio.pcm import Audio


class TextToSpeech(Protocol):
    """Speech for a text, rendered whole (nothing is played here). Used from one thread."""

    def synthesize(self, text: str, rate_wpm: int, volume: float) -> Audio:
        """`text` at `rate_wpm` words per minute and `volume` (0.0-1.0); AudioError if the
        engine fails."""
        ...

    def close(self) -> None:
        """Stop the engine's process or thread and remove its scratch files."""
        ...


def at_volume(audio: Audio, volume: float) -> Audio:
    """`audio` scaled to `volume` (engines that have no volume of their own)."""
    scaled = np.round(audio.samples.astype(np.float64) * volume).astype(np.int16)
    return Audio(scaled, audio.sample_rate)


def silence(rate: int) -> Audio:
    return Audio(np.zeros(0, dtype=np.int16), rate)

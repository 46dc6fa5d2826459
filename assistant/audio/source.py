"""Where heard audio comes from: a microphone or a recording, behind one interface."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Audio, Samples


@dataclass(frozen=True)
class Frame:
    """20 ms of 16 kHz mono audio and where it sits in time."""

    samples: Samples
    """FRAME_SAMPLES int16 samples (the last frame of a file is zero-padded)."""
    t: float
    """Seconds from the start of the source to the start of this frame."""


class AudioSource(Protocol):
    """Frames in time order; a file source ends, a microphone runs until closed."""

    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...


def frames_of(audio: Audio) -> Iterator[Frame]:
    """16 kHz audio cut into frames; the last partial frame is padded with silence."""
    samples = audio.resampled(SAMPLE_RATE).samples
    for index, start in enumerate(range(0, len(samples), FRAME_SAMPLES)):
        chunk = samples[start : start + FRAME_SAMPLES]
        if len(chunk) < FRAME_SAMPLES:
            chunk = np.concatenate([chunk, np.zeros(FRAME_SAMPLES - len(chunk), dtype=np.int16)])
        yield Frame(chunk, index * FRAME_S)

"""Where heard audio comes from: a microphone or a recording, behind one interface."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from assistant.audio.pcm import Samples


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


"""What the live speaker sent out, on the audio device's clock: the echo canceller's reference.

The output callback hands over each block with the moment it will reach the speaker
(PortAudio's DAC time). The first block is placed there; every later one follows it by sample
count, since the device plays them back to back. If the output stalls (an underrun), the
count no longer matches the device's clock and the log is placed again.
"""

from __future__ import annotations

import threading

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Samples

KEEP_S = 10.0
"""How much of the speaker's past is kept (the canceller asks for the last 20 ms or so)."""
REPLACE_S = 0.05
"""A block this far from where the count puts it starts the log again."""


class PlayedLog:
    """Blocks in from the audio thread (`record`), frames out to the listener (`played`)."""

    def __init__(self, keep_s: float = KEEP_S) -> None:
        self._ring = np.zeros(round(keep_s * SAMPLE_RATE), dtype=np.int16)
        self._origin: float | None = None
        """Device time of the first sample written since the log was (re)placed."""
        self._written = 0
        self._lock = threading.Lock()

    def record(self, block: Samples, sounds_at: float) -> None:
        """A block of 16 kHz samples that reaches the speaker at `sounds_at` (device time)."""
        with self._lock:
            expected = None if self._origin is None else self._origin + self._written / SAMPLE_RATE
            if expected is None or abs(sounds_at - expected) > REPLACE_S:
                self._ring[:] = 0
                self._origin, self._written = sounds_at, 0
            at = np.arange(self._written, self._written + len(block)) % len(self._ring)
            self._ring[at] = block
            self._written += len(block)

    def played(self, t: float, samples: int) -> Samples:
        """`samples` of what sounded from device time `t` (zeros where nothing is known)."""
        out = np.zeros(samples, dtype=np.int16)
        with self._lock:
            if self._origin is None:
                return out
            first = round((t - self._origin) * SAMPLE_RATE)
            wanted = np.arange(first, first + samples)
            known = (wanted >= max(0, self._written - len(self._ring))) & (wanted < self._written)
            out[known] = self._ring[wanted[known] % len(self._ring)]
        return out

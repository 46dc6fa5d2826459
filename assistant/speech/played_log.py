"""What the live speaker sent out, on the audio device's clock: the echo canceller's reference.

The output callback hands over each block with the moment it will reach the speaker
(PortAudio's DAC time). Blocks follow each other by sample count, since the device plays them
back to back; the times reported for single blocks jitter by a millisecond or so. When the
output stalls (an underrun: the machine was busy and the device played silence), the count
no longer matches the device's clock. The next block then opens a new stretch at its own
time, and the stretches before it are kept, because their echo is still arriving.
"""

from __future__ import annotations

import bisect
import threading

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Samples

KEEP_S = 10.0
"""How much of the speaker's past is kept (the canceller and its delay tracker look back
about a second)."""
REPLACE_S = 0.005
"""A block this far from where the count puts it opens a new stretch."""


class PlayedLog:
    """Blocks in from the audio thread (`record`), frames out to the listener (`played`)."""

    def __init__(self, keep_s: float = KEEP_S) -> None:
        self._ring = np.zeros(round(keep_s * SAMPLE_RATE), dtype=np.int16)
        self._written = 0
        self._starts: list[float] = []
        """Device time at which each stretch begins ..."""
        self._firsts: list[int] = []
        """... and the index in the log of its first sample."""
        self._lock = threading.Lock()

    def record(self, block: Samples, sounds_at: float) -> None:
        """A block of 16 kHz samples that reaches the speaker at `sounds_at` (device time)."""
        with self._lock:
            if not self._starts or abs(sounds_at - self._time_of(self._written)) > REPLACE_S:
                self._starts.append(sounds_at)
                self._firsts.append(self._written)
                self._forget()
            at = np.arange(self._written, self._written + len(block)) % len(self._ring)
            self._ring[at] = block
            self._written += len(block)

    def played(self, t: float, samples: int) -> Samples:
        """`samples` of what sounded from device time `t` (zeros where nothing is known)."""
        out = np.zeros(samples, dtype=np.int16)
        with self._lock:
            first = max(0, bisect.bisect_right(self._starts, t) - 1)
            for k in range(first, len(self._starts)):
                offset = round((self._starts[k] - t) * SAMPLE_RATE)
                if offset >= samples:
                    break
                end = self._firsts[k + 1] if k + 1 < len(self._starts) else self._written
                begin = max(self._firsts[k], self._written - len(self._ring))
                at_t = self._firsts[k] - offset  # the log's index of the sample sounding at t
                kept = np.arange(max(begin, at_t), min(end, at_t + samples))
                out[kept - at_t] = self._ring[kept % len(self._ring)]
        return out

    def _time_of(self, index: int) -> float:
        """Device time of sample `index` of the log, by its stretch."""
        return self._starts[-1] + (index - self._firsts[-1]) / SAMPLE_RATE

    def _forget(self) -> None:
        """Drop stretches whose samples have all left the ring."""
        oldest = self._written - len(self._ring)
        while len(self._firsts) > 1 and self._firsts[1] <= oldest:
            del self._starts[0], self._firsts[0]

"""Any sample rate to 16 kHz, a block at a time, so a long recording never sits in memory.

The same sound as `Audio.resampled` gives for the whole file at once (windowed-sinc low-pass
when going down, then linear interpolation): each block is filtered with the input just
before and after it, so the joins between blocks are where no one can hear them.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import SAMPLE_RATE, Samples, lowpass_taps, to_int16

Signal = npt.NDArray[np.float64]


class Resampler:
    """Push blocks at `rate_in`; get int16 samples at 16 kHz back; `flush` at the end."""

    def __init__(self, rate_in: int) -> None:
        self._step = rate_in / SAMPLE_RATE
        self._taps = lowpass_taps(0.45 * SAMPLE_RATE / rate_in) if rate_in > SAMPLE_RATE else None
        self._half = 0 if self._taps is None else (len(self._taps) - 1) // 2
        self._raw: Signal = np.zeros(self._half)  # silence before the start, as a whole file
        self._raw_start = -self._half
        """Input index of `_raw[0]`."""
        self._heard = 0
        self._next = 0
        """Index of the next output sample."""

    def push(self, block: Signal) -> Samples:
        if self._taps is None and self._step == 1:
            return to_int16(block)
        self._raw = np.concatenate([self._raw, block])
        self._heard += len(block)
        return self._emit(last=None)

    def flush(self) -> Samples:
        if self._taps is None and self._step == 1:
            return np.zeros(0, np.int16)
        self._raw = np.concatenate([self._raw, np.zeros(self._half)])
        return self._emit(last=round(self._heard / self._step) - 1)

    def _emit(self, last: int | None) -> Samples:
        """Output samples up to `last` (None: as far as the input heard so far allows)."""
        filtered = self._raw if self._taps is None else np.convolve(self._raw, self._taps, "valid")
        start = self._raw_start + self._half
        end = start + len(filtered)
        if last is None:
            last = math.floor((end - 1) / self._step)
        wanted = np.arange(self._next, last + 1) * self._step
        out = np.interp(wanted, np.arange(start, end), filtered) if len(filtered) else wanted * 0
        self._next = last + 1
        keep = max(self._raw_start, math.floor(self._next * self._step) - self._half)
        self._raw = self._raw[keep - self._raw_start :]
        self._raw_start = keep
        return to_int16(out)

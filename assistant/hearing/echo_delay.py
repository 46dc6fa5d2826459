"""Where the coach's echo really is: the delay between what the speaker log says was played
and when it reaches the microphone, followed as the session goes.

A linear echo canceller models the room as a filter a few hundred milliseconds long, learnt
over seconds. It copes with any fixed delay inside that span, but not with one that moves:
each jump throws away what it learnt. On a real machine the delay moves. The sound server
re-buffers after an underrun, a loopback or a Bluetooth speaker adapts its rate, and the
latencies the drivers report are off by tens of milliseconds. So, as WebRTC does with its
delay estimator, the reference is shifted to follow the echo. The canceller then sees the
delay it first learnt for the whole session.

The delay is found by cross-correlating the last moments of the microphone (WINDOW_S) with
the speaker's log, both pre-emphasised so that the pump's low rumble and her voice weigh less
than the echo's consonants. A new delay is taken only when two estimates in a row agree.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import SAMPLE_RATE, Samples
from assistant.audio.source import Frame

WINDOW_S = 0.3
"""How much of the microphone each estimate looks at."""
EVERY_S = 0.1
"""How often the delay is estimated while the coach talks."""
LATEST_S = 0.5
"""The latest the echo may arrive after the log says it was played."""
EARLIEST_S = 0.05
"""The earliest it may arrive before (a driver that reports its latency too long)."""
BASE_MAX_S = 0.1
"""The delay the canceller is kept at: the first one found, if no longer than this, so that
its filter still has most of its length for the room's reverberation."""
MIN_CORRELATION = 0.3
"""An estimate whose peak correlates less than this is not trusted."""
AGREE_S = 0.0005
"""Two estimates this close are the same delay."""
LOUD_RMS = 100.0
"""The speaker must have been at least this loud (int16 RMS) over the window."""


class DelayTracker:
    """Gives, for each microphone frame, the reference aligned with the echo in it."""

    def __init__(self, played: Callable[[float, int], Samples]) -> None:
        """`played`: what the speaker's log says it sent out from a moment (echo.Played)."""
        self._played = played
        self._heard: npt.NDArray[np.float64] = np.zeros(0)
        self._since_estimate = 0
        self._base: int | None = None
        """The delay (samples) the canceller learns with; the shift keeps the echo there."""
        self._shift = 0
        self._candidate: int | None = None

    @property
    def shift_s(self) -> float:
        """How much earlier in the log the reference is taken than the frame's own time."""
        return self._shift / SAMPLE_RATE

    def reference(self, frame: Frame) -> Samples:
        """What the speaker played, lined up with the echo in `frame`."""
        heard = np.concatenate((self._heard, frame.samples.astype(np.float64)))
        self._heard = heard[-_samples(WINDOW_S) :]
        self._since_estimate += len(frame.samples)
        if self._since_estimate >= _samples(EVERY_S) and len(self._heard) == _samples(WINDOW_S):
            self._since_estimate = 0
            self._follow(frame.t + len(frame.samples) / SAMPLE_RATE)
        return self._played(frame.t - self.shift_s, len(frame.samples))

    def _follow(self, end_t: float) -> None:
        lag = self._estimate(end_t)
        if lag is None:
            return
        if self._candidate is None or abs(lag - self._candidate) > AGREE_S * SAMPLE_RATE:
            self._candidate = lag
            return
        if self._base is None:
            self._base = min(lag, round(BASE_MAX_S * SAMPLE_RATE))
        self._shift = lag - self._base

    def _estimate(self, end_t: float) -> int | None:
        """The echo's delay (samples) over the window ending at `end_t`, or None if unsure."""
        window, latest, earliest = len(self._heard), _samples(LATEST_S), _samples(EARLIEST_S)
        start_t = end_t - window / SAMPLE_RATE
        played = self._played(start_t - LATEST_S, latest + window + earliest).astype(np.float64)
        if np.sqrt(np.mean(played[latest : latest + window] ** 2)) < LOUD_RMS:
            return None
        scores = np.abs(_correlations(_emphasised(played), _emphasised(self._heard)))
        best = int(np.argmax(scores))
        if scores[best] < MIN_CORRELATION:
            return None
        return latest - best


def _samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def _emphasised(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.diff(x, prepend=x[:1])


def _correlations(
    longer: npt.NDArray[np.float64], shorter: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Normalised correlation of `shorter` with each stretch of `longer`, by offset."""
    n = len(longer) + len(shorter)
    size = 1 << (n - 1).bit_length()
    spectrum = np.fft.rfft(longer, size) * np.conj(np.fft.rfft(shorter, size))
    offsets = len(longer) - len(shorter) + 1
    dot = np.fft.irfft(spectrum, size)[:offsets]
    energy = np.concatenate(([0.0], np.cumsum(longer**2)))
    stretch = energy[len(shorter) : len(shorter) + offsets] - energy[:offsets]
    scale = np.sqrt(np.maximum(stretch, 1e-9) * float(np.sum(shorter**2)) + 1e-9)
    result: npt.NDArray[np.float64] = dot / scale
    return result

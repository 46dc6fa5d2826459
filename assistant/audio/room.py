"""A room's echo as an impulse response: the direct sound, then reflections that fade.

Synthetic (decaying noise), which is enough to give an echo canceller or a recognizer more
than a clean, delayed copy to deal with: the benchmark puts her voice through one, and
`run --echo-gain` puts the coach's.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import SAMPLE_RATE

Signal = npt.NDArray[np.float64]


def impulse_response(rt60_s: float, wet_db: float, seed: int) -> Signal:
    """1.0 for the direct sound, then `rt60_s` of reflections `wet_db` below it in energy,
    the first a few milliseconds late."""
    rng = np.random.default_rng(seed)
    length = max(2, round(rt60_s * SAMPLE_RATE))
    t = np.arange(length) / SAMPLE_RATE
    tail = rng.standard_normal(length) * np.exp(-6.9 * t / max(rt60_s, 1e-3))
    tail[: round(0.004 * SAMPLE_RATE)] = 0.0
    tail *= 10 ** (wet_db / 20) / (float(np.sqrt(np.sum(tail**2))) or 1.0)
    return np.concatenate([[1.0], tail[1:]])


def convolve(signal: Signal, response: Signal) -> Signal:
    """`signal` through `response`, at the same length (the tail past its end is cut)."""
    size = len(signal) + len(response) - 1
    wet = np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(response, size), size)
    return wet[: len(signal)]

"""Spectral subtraction: take the pump's recent spectrum out of an utterance before decoding.

The recognizer's acoustic model was trained on speech in quiet rooms; the pump's hum and
whoosh fill exactly the bands it listens to. Between utterances the listener hands every
frame of pump-only audio to `learn`; when an utterance ends, `clean` removes that noise
(power subtraction with a spectral floor, so what is left never goes silent and the
recognizer does not hear "musical" holes) and the cleaned utterance is decoded at once.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Samples

WINDOW = 512
"""Analysis window in samples (32 ms), with half-window hops: sqrt-Hann both ways, so
analysis and synthesis together give back the input exactly when nothing is removed."""
HOP = WINDOW // 2
NOISE_S = 3.0
"""Seconds of recent pump-only audio the noise estimate is made from: a few pump cycles,
so the estimate covers the whole cycle and follows a pump that is turned up or down."""


class SpectralSubtraction:
    """Learns the room from frames without her voice; subtracts it from frames with it."""

    def __init__(self, over: float, floor: float) -> None:
        self._over = over
        self._floor = floor
        self._noise: deque[Samples] = deque()
        self._noise_samples = 0
        self._window = np.sqrt(np.hanning(WINDOW + 1)[:WINDOW])

    def learn(self, samples: Samples) -> None:
        """Remember a stretch of room audio (no speech in it)."""
        self._noise.append(samples)
        self._noise_samples += len(samples)
        while self._noise_samples - len(self._noise[0]) >= NOISE_S * SAMPLE_RATE:
            self._noise_samples -= len(self._noise.popleft())

    def clean(self, samples: Samples) -> Samples:
        """`samples` with the learnt noise taken out (as they were, if none is learnt yet)."""
        if self._noise_samples < WINDOW * 4 or len(samples) < WINDOW:
            return samples
        noise_power = np.mean(np.abs(self._spectra(np.concatenate(self._noise))) ** 2, axis=0)
        spectra = self._spectra(samples)
        power = np.abs(spectra) ** 2
        gain = np.sqrt(np.maximum(1 - self._over * noise_power / np.maximum(power, 1e-9), 0))
        gain = np.maximum(gain, self._floor)
        return self._resynthesize(spectra * gain, len(samples))

    def _spectra(self, samples: Samples) -> np.ndarray:
        padded = np.concatenate([np.zeros(HOP), samples.astype(np.float64), np.zeros(WINDOW)])
        count = (len(padded) - WINDOW) // HOP + 1
        starts = np.arange(count)[:, None] * HOP + np.arange(WINDOW)[None, :]
        return np.fft.rfft(padded[starts] * self._window, axis=1)

    def _resynthesize(self, spectra: np.ndarray, length: int) -> Samples:
        frames = np.fft.irfft(spectra, n=WINDOW, axis=1) * self._window
        out = np.zeros(len(frames) * HOP + WINDOW)
        for i, frame in enumerate(frames):
            out[i * HOP : i * HOP + WINDOW] += frame
        cleaned = out[HOP : HOP + length]
        return np.clip(np.round(cleaned), -32768, 32767).astype(np.int16)

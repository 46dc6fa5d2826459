"""Noise suppression: take the pump out of an utterance before decoding.

The recognizer's acoustic model was trained on speech in quiet rooms; the pump's hum and
whoosh fill exactly the bands it listens to. A `Cleaner` (cleaner.py): between utterances the
listener hands it every frame of pump-only audio to `learn`; when an utterance ends, `clean`
takes that noise out before the utterance is read.

Each band's gain is the log-spectral amplitude estimator of Ephraim and Malah (1985), with
their "decision-directed" estimate of the band's speech-to-noise ratio, smoothed from one
frame to the next. Plain power subtraction leaves isolated peaks that come and go from frame
to frame ("musical noise"), which the recognizer hears as phones; the smoothed estimate
leaves a quieter, steadier residue, and a spectral floor keeps every band from going silent.

A pump is not a steady noise: it whooshes for part of each cycle and is quieter for the
rest. When the endpointer has found the cycle, the noise is learnt per phase of it (the
cycle cut into `PHASES` slices), and each moment of her utterance has the noise of its own
phase removed, rather than an average that is too much in the quiet part and too little in
the whoosh.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import FRAME_S, SAMPLE_RATE, Samples

WINDOW = 512
"""Analysis window in samples (32 ms), with half-window hops: sqrt-Hann both ways, so
analysis and synthesis together give back the input exactly when nothing is removed."""
HOP = WINDOW // 2
PHASES = 10
"""Slices of the pump's cycle, each with its own noise spectrum."""
MEMORY_S = 3.0
"""About how many seconds of pump-only audio each estimate remembers: a few cycles, so it
follows a pump that is turned up or down."""
MIN_SNR_BEFORE = 10 ** (-25 / 10)
"""The a priori speech-to-noise ratio is never taken below -25 dB (a band is never deemed
certainly empty)."""
MIN_LEARNT_S = 2.0
"""Less room than this heard, and the utterance is decoded as it is: a room learnt from a
few frames (all there is when the coach has talked from the start) takes her words apart."""

Spectrum = npt.NDArray[np.float64]


class NoiseSuppressor:
    """A Cleaner: learns the room from frames without her voice, suppresses it in hers."""

    def __init__(self, over: float, smoothing: float, floor: float) -> None:
        self._over = over
        self._smoothing = smoothing
        self._floor = floor
        self._window = np.sqrt(np.hanning(WINDOW + 1)[:WINDOW])
        self._recent = np.zeros(0)
        self._recent_end_t = -1.0
        self._overall: Spectrum | None = None
        self._by_phase: dict[int, Spectrum] = {}
        self._learnt_s = 0.0
        self._period_s: float | None = None

    def learn(self, samples: Samples, t: float, period_s: float | None) -> None:
        """Remember a frame of room audio (no speech in it) that starts at `t` seconds."""
        if period_s != self._period_s:
            self._by_phase = {}  # a new cycle: the old slices no longer line up
            self._period_s = period_s
        contiguous = abs(t - self._recent_end_t) < FRAME_S / 2
        joined = np.concatenate([self._recent, samples]) if contiguous else samples
        self._recent = joined[-WINDOW:].astype(np.float64)
        self._recent_end_t = t + len(samples) / SAMPLE_RATE
        if len(self._recent) < WINDOW:
            return
        power = np.abs(np.fft.rfft(self._recent * self._window)) ** 2
        updates_per_s = SAMPLE_RATE / len(samples)
        self._overall = _blend(self._overall, power, 1 / (MEMORY_S * updates_per_s))
        if period_s is not None:
            phase = self._phase(self._recent_end_t - WINDOW / 2 / SAMPLE_RATE)
            share = PHASES / (MEMORY_S * updates_per_s)
            self._by_phase[phase] = _blend(self._by_phase.get(phase), power, min(1.0, share))
        self._learnt_s += len(samples) / SAMPLE_RATE

    def clean(self, samples: Samples, start_t: float) -> Samples:
        """`samples` (starting at `start_t` s) with the learnt noise taken out; as they were
        when too little room has been heard yet."""
        if self._overall is None or self._learnt_s < MIN_LEARNT_S or len(samples) < WINDOW:
            return samples
        spectra = self._spectra(samples)
        noise = np.stack(
            [self._noise_at(start_t + i * HOP / SAMPLE_RATE) for i in range(len(spectra))]
        )
        snr_after = np.abs(spectra) ** 2 / np.maximum(self._over * noise, 1e-9)
        gain = np.maximum(log_spectral_gains(snr_after, self._smoothing), self._floor)
        return self._resynthesize(spectra * gain, len(samples))

    def _noise_at(self, t: float) -> Spectrum:
        assert self._overall is not None
        if self._period_s is None:
            return self._overall
        return self._by_phase.get(self._phase(t), self._overall)

    def _phase(self, t: float) -> int:
        assert self._period_s is not None
        return int((t % self._period_s) / self._period_s * PHASES) % PHASES

    def _spectra(self, samples: Samples) -> np.ndarray:
        """Frame i is centred on sample i * HOP (the signal is padded by HOP in front)."""
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


def log_spectral_gains(snr_after: np.ndarray, smoothing: float) -> np.ndarray:
    """Gain per frame and band (rows, columns) from each band's power over the noise's.

    The speech-to-noise ratio before the noise ("a priori") is guessed from the previous
    frame's cleaned power and this frame's excess over the noise, `smoothing` of the first;
    the closer `smoothing` is to 1, the steadier the gains and the fainter the musical noise,
    at the cost of smearing the onsets of her phones.
    """
    gains = np.empty_like(snr_after)
    last_gain, last_snr = np.ones(snr_after.shape[1]), np.ones(snr_after.shape[1])
    for i, snr in enumerate(snr_after):
        before = smoothing * last_gain**2 * last_snr + (1 - smoothing) * np.maximum(snr - 1, 0)
        before = np.maximum(before, MIN_SNR_BEFORE)
        wiener = before / (1 + before)
        gains[i] = np.minimum(wiener * np.exp(0.5 * exp_integral(wiener * snr)), 1.0)
        last_gain, last_snr = gains[i], snr
    return gains


def exp_integral(x: np.ndarray) -> np.ndarray:
    """E1(x) for x > 0, within 1.5 % (Swamee and Ohija's closed form), without scipy."""
    x = np.clip(x, 1e-10, 30.0)  # E1(30) is 3e-15: nothing above it changes a gain
    a = np.log((0.56146 / x + 0.65) * (1 + x))
    b = x**4 * np.exp(7.7 * x) * (2 + x) ** 3.7
    e1: np.ndarray = (a**-7.7 + b) ** -0.13
    return e1


def _blend(old: Spectrum | None, new: Spectrum, share: float) -> Spectrum:
    """An exponential average: `share` of the new spectrum (all of it when there is no old)."""
    return new if old is None else (1 - share) * old + share * new

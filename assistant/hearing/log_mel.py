"""Whisper's input: an 80-band log-mel spectrogram of 16 kHz audio, in numpy.

Whisper was trained on exactly this picture of sound (25 ms Hann windows every 10 ms,
Slaney-style mel bands, log10 power clamped to 8 decades below the loudest point, then
scaled), so it has to be reproduced as is; any other front end feeds it a sound it never
heard. Computing it here keeps `faster-whisper` (and the PyAV decoder it pulls in) out of
the dependencies.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import SAMPLE_RATE

N_FFT = 400
HOP = 160
"""10 ms: two spectrogram columns become one encoder step."""
N_MELS = 80
DECADES = 8.0
"""Bands more than this many decades below the loudest are raised to it."""

Features = npt.NDArray[np.float32]


def log_mel(audio: npt.NDArray[np.floating]) -> Features:
    """Audio scaled to [-1, 1] as an (80, columns) spectrogram, one column per 10 ms."""
    padded = np.pad(audio.astype(np.float32), (0, HOP))  # as Whisper's own front end does
    padded = np.pad(padded, N_FFT // 2, mode="reflect")  # frames centred on their hop
    count = 1 + (len(padded) - N_FFT) // HOP
    starts = np.arange(count)[:, None] * HOP + np.arange(N_FFT)[None, :]
    window = np.hanning(N_FFT + 1)[:-1].astype(np.float32)  # periodic Hann
    power = np.abs(np.fft.rfft(padded[starts] * window, axis=1)) ** 2
    mel = mel_filters() @ power[:-1].T  # the last column overhangs the audio: dropped
    logs = np.log10(np.maximum(mel, 1e-10))
    logs = np.maximum(logs, logs.max() - DECADES)
    scaled: Features = ((logs + 4.0) / 4.0).astype(np.float32)
    return scaled


@cache
def mel_filters() -> npt.NDArray[np.float32]:
    """Triangular filters on the Slaney mel scale (linear to 1 kHz, logarithmic above),
    each scaled to equal area: librosa's `mel(sr=16000, n_fft=400, n_mels=80)`."""
    edges = _mel_to_hz(np.linspace(0.0, _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    bins = np.fft.rfftfreq(N_FFT, 1 / SAMPLE_RATE)
    rising = (bins[None, :] - edges[:-2, None]) / np.diff(edges)[:-1, None]
    falling = (edges[2:, None] - bins[None, :]) / np.diff(edges)[1:, None]
    triangles = np.maximum(0.0, np.minimum(rising, falling))
    area = 2.0 / (edges[2:] - edges[:-2])
    return (triangles * area[:, None]).astype(np.float32)


_LINEAR_HZ_PER_MEL = 200.0 / 3
_LOG_START_HZ = 1000.0
_LOG_START_MEL = _LOG_START_HZ / _LINEAR_HZ_PER_MEL
_LOG_STEP = np.log(6.4) / 27.0


def _hz_to_mel(hz: float) -> float:
    if hz < _LOG_START_HZ:
        return hz / _LINEAR_HZ_PER_MEL
    return float(_LOG_START_MEL + np.log(hz / _LOG_START_HZ) / _LOG_STEP)


def _mel_to_hz(mels: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    linear = mels * _LINEAR_HZ_PER_MEL
    logarithmic = _LOG_START_HZ * np.exp(_LOG_STEP * (mels - _LOG_START_MEL))
    return np.where(mels < _LOG_START_MEL, linear, logarithmic)

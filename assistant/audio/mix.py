"""Mixing speech into noise at a chosen signal-to-noise ratio."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import FRAME_SAMPLES, Samples, block_rms, to_int16

Signal = npt.NDArray[np.float64]

ACTIVE_FLOOR_DB = -30.0
"""Speech power is measured over 20 ms frames within this of the loudest, so pauses don't count."""


def speech_power(speech: Signal) -> float:
    """Mean power of the active (non-silent) part of `speech`."""
    power = block_rms(speech, FRAME_SAMPLES) ** 2
    if power.size == 0:
        return 0.0
    active = power >= power.max() * 10 ** (ACTIVE_FLOOR_DB / 10)
    return float(np.mean(power[active]))


def noise_gain(speech: Signal, noise: Signal, snr_db: float) -> float:
    """The factor that puts `noise` `snr_db` below the active speech."""
    noise_power = float(np.mean(noise**2)) or 1e-12
    return float(np.sqrt(speech_power(speech) / (noise_power * 10 ** (snr_db / 10))))


def mix(speech: Signal, noise: Signal, snr_db: float | None, peak: float = 0.8) -> Samples:
    """Speech plus noise at `snr_db` (None: speech alone), scaled to `peak` of full range."""
    out = speech.copy()
    if snr_db is not None:
        out = out + noise[: len(out)] * noise_gain(speech, noise, snr_db)
    top = float(np.max(np.abs(out))) or 1.0
    return to_int16(out * (peak * 32767 / top))

"""Spectral subtraction: exact when told to remove nothing, and it removes the pump, not her."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from assistant.audio.pcm import SAMPLE_RATE
from assistant.audio.pump_noise import PROFILES, pump_noise
from assistant.hearing.denoise import SpectralSubtraction


def tone(hz: float, seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return amplitude * np.sin(2 * np.pi * hz * t)


def level_at(samples: np.ndarray, hz: float) -> float:
    """dB of the spectrum at `hz` (a Hann-windowed FFT over the whole signal)."""
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(20 * np.log10(spectrum[round(hz * len(samples) / SAMPLE_RATE)] + 1e-9))


@settings(max_examples=30, deadline=None)
@given(arrays(np.int16, st.integers(600, 4000), elements=st.integers(-20000, 20000)))
def test_removing_nothing_gives_the_input_back(samples: np.ndarray) -> None:
    """With nothing to subtract, analysis and resynthesis are exact (to rounding)."""
    subtraction = SpectralSubtraction(over=0.0, floor=1.0)
    for at in range(50):
        subtraction.learn(np.zeros(320, dtype=np.int16), at * 0.02, None)
    cleaned = subtraction.clean(samples, 1.0)
    assert cleaned.dtype == np.int16 and len(cleaned) == len(samples)
    assert np.max(np.abs(cleaned.astype(int) - samples.astype(int))) <= 1


def test_with_nothing_learnt_the_utterance_is_untouched() -> None:
    samples = tone(440, 0.5, 8000).astype(np.int16)
    assert np.array_equal(SpectralSubtraction(2.0, 0.1).clean(samples, 0.0), samples)


def test_the_pump_goes_down_and_her_voice_stays() -> None:
    """Learnt on pump alone, then given pump plus a 1 kHz 'voice': the pump's hum falls by
    more than 15 dB, the voice's tone stays within 1.5 dB."""
    pump = 3000 * pump_noise(6.0, PROFILES["double-electric"], seed=1)
    hum_hz = PROFILES["double-electric"].hum_hz
    subtraction = SpectralSubtraction(over=2.0, floor=0.1)
    for at in range(0, 3 * SAMPLE_RATE, 320):
        subtraction.learn(pump[at : at + 320].astype(np.int16), at / SAMPLE_RATE, 1.0)
    later = pump[3 * SAMPLE_RATE :]
    voice = tone(1000, len(later) / SAMPLE_RATE, 4000)
    mixed = (later + voice).astype(np.int16)
    cleaned = subtraction.clean(mixed, 3.0).astype(np.float64)
    assert level_at(later, hum_hz) - level_at(cleaned, hum_hz) > 15
    assert abs(level_at(cleaned, 1000) - level_at(mixed.astype(np.float64), 1000)) < 1.5

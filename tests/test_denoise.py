"""Noise suppression: exact when told to remove nothing, and it removes the pump, not her."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from assistant.audio.pcm import SAMPLE_RATE
from assistant.audio.pump_noise import PROFILES, pump_noise
from assistant.hearing.denoise import NoiseSuppressor, exp_integral, log_spectral_gains


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
    subtraction = NoiseSuppressor(over=0.0, smoothing=0.92, floor=1.0)
    for at in range(50):
        subtraction.learn(np.zeros(320, dtype=np.int16), at * 0.02, None)
    cleaned = subtraction.clean(samples, 1.0)
    assert cleaned.dtype == np.int16 and len(cleaned) == len(samples)
    assert np.max(np.abs(cleaned.astype(int) - samples.astype(int))) <= 1


def test_with_nothing_learnt_the_utterance_is_untouched() -> None:
    samples = tone(440, 0.5, 8000).astype(np.int16)
    assert np.array_equal(NoiseSuppressor(1.0, 0.92, 0.2).clean(samples, 0.0), samples)


def test_the_pump_goes_down_and_her_voice_stays() -> None:
    """Learnt on pump alone, then given pump plus a 1 kHz 'voice': the pump's hum falls by
    more than 12 dB (a floor of 0.2 allows at most 14), the voice's tone stays within 1.5 dB."""
    pump = 3000 * pump_noise(6.0, PROFILES["double-electric"], seed=1)
    hum_hz = PROFILES["double-electric"].hum_hz
    subtraction = NoiseSuppressor(over=1.0, smoothing=0.92, floor=0.2)
    for at in range(0, 3 * SAMPLE_RATE, 320):
        subtraction.learn(pump[at : at + 320].astype(np.int16), at / SAMPLE_RATE, 1.0)
    later = pump[3 * SAMPLE_RATE :]
    voice = tone(1000, len(later) / SAMPLE_RATE, 4000)
    mixed = (later + voice).astype(np.int16)
    cleaned = subtraction.clean(mixed, 3.0).astype(np.float64)
    assert level_at(later, hum_hz) - level_at(cleaned, hum_hz) > 12
    assert abs(level_at(cleaned, 1000) - level_at(mixed.astype(np.float64), 1000)) < 1.5


@pytest.mark.parametrize(
    ("x", "e1"),
    [
        (0.001, 6.33153936),
        (0.1, 1.82292395),
        (1.0, 0.219383934),
        (5.0, 1.148296e-3),
        (10.0, 4.15697e-6),
    ],
)
def test_the_exponential_integral_is_close_to_its_tabled_values(x: float, e1: float) -> None:
    """Abramowitz and Stegun's table 5.1; the estimator's gains need no better than this."""
    assert exp_integral(np.array([x]))[0] == pytest.approx(e1, rel=0.015)


def test_the_gain_is_finite_however_loud_or_quiet_a_band_is() -> None:
    snr = np.array([[0.0, 1e-12, 1.0, 1e6, 1e12]] * 3)
    gains = log_spectral_gains(snr, 0.92)
    assert np.all(np.isfinite(gains)) and np.all((gains > 0) & (gains <= 1))

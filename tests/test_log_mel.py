"""Whisper's front end, in numpy: what the model hears must be the picture it was trained on."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.pcm import SAMPLE_RATE
from assistant.hearing.log_mel import DECADES, HOP, N_MELS, log_mel, mel_filters


def tone(hz: float, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(round(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return 0.5 * np.sin(2 * np.pi * hz * t)


@pytest.mark.parametrize("samples", [400, 8000, 16_000, 16_037, 48_000])
def test_one_column_per_ten_milliseconds(samples: int) -> None:
    features = log_mel(np.zeros(samples) + 1e-3)
    assert features.shape == (N_MELS, samples // HOP + 1)
    assert features.dtype == np.float32


def test_values_span_at_most_eight_decades_scaled_by_four() -> None:
    features = log_mel(tone(440) * np.linspace(0, 1, SAMPLE_RATE))
    assert features.max() - features.min() <= DECADES / 4 + 1e-6


@pytest.mark.parametrize("hz", [200.0, 500.0, 1000.0, 2000.0, 4000.0, 7000.0])
def test_a_tone_lights_the_band_that_holds_its_frequency(hz: float) -> None:
    """The loudest band of a pure tone is the band whose filter peaks nearest to it."""
    bins = np.fft.rfftfreq(400, 1 / SAMPLE_RATE)
    peaks = bins[np.argmax(mel_filters(), axis=1)]
    loudest = int(np.argmax(log_mel(tone(hz))[:, 50]))
    assert abs(peaks[loudest] - hz) <= 0.15 * hz + 40


def test_filters_are_triangles_of_equal_area_on_the_slaney_scale() -> None:
    """Slaney normalisation: each filter's peak times its half-width in Hz is 1."""
    filters = mel_filters()
    assert filters.shape == (N_MELS, 201)
    assert (filters >= 0).all()
    spacing = SAMPLE_RATE / 400
    # Area of a triangle of height h, base b is h*b/2; Slaney scaling makes h = 2/b: area 1
    # (sampled every 40 Hz, so the narrow low filters only roughly).
    areas = filters.sum(axis=1) * spacing
    assert np.allclose(areas, 1.0, rtol=0.1), areas
    centres = np.argmax(filters, axis=1)
    assert (np.diff(centres) >= 0).all()
    assert np.diff(centres[-10:]).mean() > 3 * np.diff(centres[:10]).mean()  # log above 1 kHz

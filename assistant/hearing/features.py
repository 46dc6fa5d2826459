"""Cheap per-frame features for the endpointer: log energies in a few frequency bands.

One 20 ms frame costs one 320-point real FFT and one small matrix product. The bands skip
everything below 250 Hz, where a pump's motor hum has most of its power and speech has
little that a recognizer needs, and reach up to 8 kHz, where fricatives ("s", "t", "x")
stand out above a pump that has almost nothing there but its valve clicks.
"""

from __future__ import annotations

import itertools

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import FRAME_SAMPLES, SAMPLE_RATE, Samples

Vector = npt.NDArray[np.float64]

BAND_EDGES_HZ = (250, 450, 700, 1000, 1400, 1900, 2500, 3200, 4200, 5600, 8000)
"""Band edges in Hz, roughly even on a mel scale so each formant region has its own band."""
BANDS = len(BAND_EDGES_HZ) - 1
SILENT_DB = -100.0
"""The lowest band energy reported (digital silence), in dB re. a full-scale sine."""

_WINDOW = np.hanning(FRAME_SAMPLES)
_FREQS = np.fft.rfftfreq(FRAME_SAMPLES, 1 / SAMPLE_RATE)


def _band_matrix() -> Vector:
    """Bins x bands: 1 where an FFT bin's centre falls inside the band."""
    matrix = np.zeros((len(_FREQS), BANDS))
    for band, (low, high) in enumerate(itertools.pairwise(BAND_EDGES_HZ)):
        matrix[(low <= _FREQS) & (high > _FREQS), band] = 1.0
    return matrix


_BANDS = _band_matrix()
_REFERENCE = float(np.sum(_WINDOW) ** 2) / 4 * 32768.0**2
"""Power of a full-scale sine's spectral peak through the window: the 0 dB point."""
_SILENT = 10 ** (SILENT_DB / 10)


def band_energies_db(samples: Samples) -> Vector:
    """A frame's energy in each band of BAND_EDGES_HZ, in dB (never below SILENT_DB).

    A frame of another length than FRAME_SAMPLES is zero-padded or cut to that length.
    """
    x = np.zeros(FRAME_SAMPLES)
    n = min(len(samples), FRAME_SAMPLES)
    x[:n] = samples[:n]
    spectrum = np.fft.rfft(x * _WINDOW)
    power = spectrum.real**2 + spectrum.imag**2
    energies: Vector = 10 * np.log10(power @ _BANDS / _REFERENCE + _SILENT)
    return energies

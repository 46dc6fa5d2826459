"""The room she speaks in and the cheap microphone that hears her, for the benchmark.

Synthetic voices come out dry and full-band; a phone or laptop microphone across a nursery
hears the walls and little below 200 Hz or above 4-7 kHz. Each clip gets its own room,
drawn from the seed, so no threshold can lean on how one engine's dry voice sounds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import SAMPLE_RATE
from assistant.audio.room import convolve, impulse_response

Signal = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Room:
    """One place and one microphone."""

    rt60_s: float
    """Reverberation time: how long the room's echo takes to fall by 60 dB."""
    wet_db: float
    """Echo energy relative to the direct sound (further from the microphone: higher)."""
    low_hz: float
    """The microphone's lower edge."""
    high_hz: float
    """The microphone's upper edge."""
    level_db: tuple[float, float]
    """Range of each utterance's level change (she turns her head, leans over)."""


def random_room(rng: random.Random) -> Room:
    """A room from small and soft to tiled and echoing, and a microphone from poor to fair."""
    return Room(
        rt60_s=rng.uniform(0.15, 0.6),
        wet_db=rng.uniform(-14.0, -4.0),
        low_hz=rng.uniform(90.0, 300.0),
        high_hz=rng.uniform(3400.0, 7000.0),
        level_db=(-6.0, 3.0),
    )


def reverberate(dry: Signal, room: Room, seed: int) -> Signal:
    """`dry` as heard across `room`: the direct sound plus an exponentially fading tail of
    reflections (a synthetic impulse response), at the same length."""
    return convolve(dry, impulse_response(room.rt60_s, room.wet_db, seed))


def microphone(signal: Signal, room: Room) -> Signal:
    """`signal` through the microphone's band, with gentle (one-octave) edges."""
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(len(signal), 1 / SAMPLE_RATE)
    octave_up = np.log2(np.maximum(freqs, 1.0) / room.low_hz)
    octave_down = np.log2(room.high_hz / np.maximum(freqs, 1.0))
    gain = np.clip(octave_up + 1, 0, 1) * np.clip(octave_down + 1, 0, 1)
    return np.fft.irfft(spectrum * gain, len(signal))

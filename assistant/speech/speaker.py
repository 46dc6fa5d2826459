"""What every speech output offers, and the small types the speakers share.

A speaker turns cue text into something she hears (or, failing that, reads). The state
machine's thread calls it and must never wait on audio, so every speaker queues work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assistant.audio.pcm import Samples, block_rms

DEFAULT_RATE_WPM = 165
"""Speaking rate when none is given, in words per minute (matches the settings default)."""
DEFAULT_VOLUME = 0.9
"""Loudness when none is given, 0.0 (silent) to 1.0 (full)."""
MIN_RATE_WPM, MAX_RATE_WPM = 80, 450
"""The rates espeak-ng accepts, in words per minute."""


class Speaker(Protocol):
    """Speech output: live speakers, a WAV file, or printed lines."""

    def say(self, text: str, t: float, interrupt: bool = False) -> None:
        """Queue `text`, requested at session time `t` (seconds).

        interrupt=True stops a cue still sounding and drops queued ones, then says this
        now; an empty text with interrupt=True just falls silent.
        """
        ...

    def set_voice(self, rate_wpm: int, volume: float) -> None:
        """Speak later cues at `rate_wpm` words per minute and `volume` (0.0 to 1.0)."""
        ...

    def close(self) -> None:
        """Finish pending speech (bounded wait), release devices, write files."""
        ...


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    """How fast and how loud cues are spoken; out-of-range values raise ValueError."""

    rate_wpm: int = DEFAULT_RATE_WPM
    volume: float = DEFAULT_VOLUME

    def __post_init__(self) -> None:
        if not MIN_RATE_WPM <= self.rate_wpm <= MAX_RATE_WPM:
            msg = f"rate_wpm must be {MIN_RATE_WPM}-{MAX_RATE_WPM}, not {self.rate_wpm}"
            raise ValueError(msg)
        if not 0.0 <= self.volume <= 1.0:
            msg = f"volume must be 0.0-1.0, not {self.volume}"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class CueSpan:
    """When one cue was audible, in session seconds (end is after any truncation)."""

    text: str
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    def covers(self, t: float) -> bool:
        """True if the cue was sounding at session time `t`."""
        return self.start_s <= t < self.end_s


AUDIBLE_BLOCK_S = 0.01
"""Resolution at which a cue's sound and silences are told apart."""
AUDIBLE_DBFS = -50.0
"""A block quieter than this (RMS, dB below full scale) is silence between words."""


def audible_blocks(clip: Samples, rate: int) -> npt.NDArray[np.bool_]:
    """Per 10 ms block of `clip`, whether it makes a sound: where the coach's voice can reach
    the mic. The mic gate shuts on these; the pauses between them let the pump be heard."""
    block = max(1, round(AUDIBLE_BLOCK_S * rate))
    padded = np.zeros(-(-len(clip) // block) * block)
    padded[: len(clip)] = clip
    rms = block_rms(padded / 32768.0, block)
    audible: npt.NDArray[np.bool_] = 20 * np.log10(rms + 1e-12) > AUDIBLE_DBFS
    return audible

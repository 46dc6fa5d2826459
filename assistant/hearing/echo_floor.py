"""How loud the coach's echo can still be in each band, after the canceller, at this moment.

The canceller leaves a little of the coach in the microphone, most of all while it is still
learning the room. Over a quiet pump that residue is the loudest thing left, and it is the
coach's own words: "the end of this step" can be read as "end". So while the coach sounds,
her speech must stand above that residue as it must stand above the pump.

The residue follows what was played: per band, the loudest the speaker was over the last
ECHO_SPAN_S (the delay and reverberation of the room), plus how much of it still comes back
(the coupling, learnt from frames where the coach sounds and she does not speak). Only her
onsets are held to it: once she is speaking, the pump's floor alone says when she stops.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from assistant.audio.pcm import FRAME_S, Samples
from assistant.hearing.features import BANDS, SILENT_DB, Vector, band_energies_db

ECHO_SPAN_S = 0.4
"""How long after the speaker sounds its echo may still reach the microphone."""
QUIET_DB = -75.0
"""A played frame quieter than this (per band) is the coach silent there."""
START_COUPLING_DB = 0.0
"""Before anything is learnt: the echo comes back as loud as it was played."""
HELD_S = 3.0
PERCENTILE = 90
"""The coupling is this percentile of the residues of the last HELD_S seconds of the coach
sounding: the echo's loud moments recur with the coach's words and are in it; a moment of
her voice taken for echo is not."""
STALE_AFTER_S = 1.0
"""After the coach has been silent this long, what was learnt of the coupling is not trusted:
the echo path drifts while nothing is played (a clock adapting its rate, a device that
re-buffers), and the canceller needs a moment to find it again. Through a sound server the
canceller took 4-20 dB off a reply's first half second, from one reply to the next. So a
new burst of the coach's voice starts from START_COUPLING_DB and is learnt afresh."""
LEARNT_S = 0.3
"""The coupling learnt replaces START_COUPLING_DB only once this much of the coach sounding
has been heard: a burst's first frames come before its echo does, and would say there is
none."""


class EchoFloor:
    """Push what was played (`play`) before each frame; read `floor`; `learn` the frame."""

    def __init__(self) -> None:
        self._played: deque[Vector] = deque(maxlen=round(ECHO_SPAN_S / FRAME_S))
        self._coupling = np.full(BANDS, START_COUPLING_DB)
        self._residues: deque[Vector] = deque(maxlen=round(HELD_S / FRAME_S))
        self._loudest = _SILENT
        """Per band, the loudest the speaker was over the last ECHO_SPAN_S."""
        self._clipped = False
        self._silent_frames = 0

    def play(self, played: Samples, clipped: bool) -> None:
        """What the speaker sent out over the frame about to be heard; `clipped`: the
        microphone overloaded in that frame, while the coach sounded."""
        sounding = bool(played.any())
        if sounding and self._silent_frames * FRAME_S >= STALE_AFTER_S:
            self._residues.clear()
            self._coupling = np.full(BANDS, START_COUPLING_DB)
        self._silent_frames = 0 if sounding else self._silent_frames + 1
        self._played.append(band_energies_db(played) if sounding else _SILENT)
        self._loudest = np.max(np.stack(list(self._played)), axis=0)
        self._clipped = clipped and sounding

    def floor(self) -> Vector:
        """Per band, the loudest echo to expect in the frame just played (SILENT_DB: none).

        A frame the coach's own voice overloaded is all echo as far as can be told: no
        canceller can take out what the microphone distorted."""
        if self._clipped:
            return np.full(BANDS, np.inf)
        loudest = self._loudest
        return np.where(loudest > QUIET_DB, loudest + self._coupling, SILENT_DB)

    def learn(self, heard: Vector, noise: Vector) -> None:
        """A frame heard with none of her speech in it, and the pump's floor under it: what
        came back of the coach is what stands above the pump."""
        loudest = self._loudest
        active = loudest > QUIET_DB
        if self._clipped or not active.any():
            return
        residue = np.where(active, _above(heard, noise) - loudest, self._coupling)
        self._residues.append(residue)
        if len(self._residues) * FRAME_S >= LEARNT_S - 1e-9:
            self._coupling = np.percentile(np.stack(list(self._residues)), PERCENTILE, axis=0)


def _above(heard: Vector, noise: Vector) -> Vector:
    """The energy of `heard` beyond `noise`, per band, in dB."""
    power = np.power(10.0, heard / 10) - np.power(10.0, noise / 10)
    above: Vector = np.maximum(10 * np.log10(np.maximum(power, 1e-30)), SILENT_DB)
    return above


def together(noise: Vector, echo: Vector) -> Vector:
    """The pump and the echo's residue heard at once: their powers add."""
    both: Vector = 10 * np.log10(np.power(10.0, noise / 10) + np.power(10.0, echo / 10))
    return both


_SILENT = np.full(BANDS, SILENT_DB)

"""A WAV recording as an audio source: the virtual clock follows its position.

Nothing here sleeps or reads the wall clock; a twenty-minute recording is read as fast as the
consumer takes frames, a second at a time, so memory does not grow with its length.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES, wav_blocks, wav_info
from assistant.audio.resample import Resampler, Signal
from assistant.audio.source import Frame


class WavSource:
    """Frames of a WAV file of any rate, channel count and width, as 16 kHz mono.

    The header is read when the source is built, so a missing or unreadable file is an
    AudioError (one sentence, naming the path) at once rather than mid-session.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._info = wav_info(path)

    @property
    def duration_s(self) -> float:
        return self._info.frames / self._info.rate

    def frames(self) -> Iterator[Frame]:
        """FRAME_SAMPLES-sample frames from t=0 in FRAME_S steps; the last one zero-padded."""
        blocks = wav_blocks(self.path)
        resampler = Resampler(self._info.rate)
        pending = np.zeros(0, np.int16)
        index = 0
        for block in _then_none(blocks):
            more = resampler.flush() if block is None else resampler.push(block)
            pending = np.concatenate([pending, more])
            whole = len(pending) // FRAME_SAMPLES
            for k in range(whole):
                yield Frame(pending[k * FRAME_SAMPLES : (k + 1) * FRAME_SAMPLES], index * FRAME_S)
                index += 1
            pending = pending[whole * FRAME_SAMPLES :]
        if len(pending):
            padded = np.concatenate([pending, np.zeros(FRAME_SAMPLES - len(pending), np.int16)])
            yield Frame(padded, index * FRAME_S)

    def close(self) -> None:
        """Nothing to release: each reading opens and closes the file itself."""


def _then_none(blocks: Iterator[Signal]) -> Iterator[Signal | None]:
    """The blocks, then None: the end, when the resampler gives what it still holds."""
    yield from blocks
    yield None

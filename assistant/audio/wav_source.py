"""A WAV recording as an audio source: the virtual clock follows its position.

Nothing here sleeps or reads the wall clock; a twenty-minute recording is read as fast
as the consumer takes frames.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.audio.pcm import Audio, load_for_recognition
from assistant.audio.source import Frame, frames_of


class WavSource:
    """Frames of a WAV file of any rate, channel count and width, as 16 kHz mono.

    The whole file is read when the source is built, so a missing or unreadable file is
    an AudioError (one sentence, naming the path) at once rather than mid-session.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._audio = load_for_recognition(path)

    @property
    def audio(self) -> Audio:
        """The whole recording at 16 kHz mono, for callers that mix other sound in."""
        return self._audio

    @property
    def duration_s(self) -> float:
        return self._audio.duration_s

    def frames(self) -> Iterator[Frame]:
        """FRAME_SAMPLES-sample frames from t=0 in FRAME_S steps; the last one zero-padded."""
        return frames_of(self._audio)

    def close(self) -> None:
        """Nothing to release: the file was read and closed when the source was built."""

"""WebRTC's echo canceller (AEC3), through `pywebrtc-audio`.

Chosen over Xiph's speexdsp and a numpy frequency-domain filter, measured on cues echoed
through a synthetic room: it finds the echo's delay by itself, keeps about 30 dB of a cue's
echo out from the cue's first seconds, where the linear filters need 5-10 s of speech to
reach 10-20 dB, and copes with a distorting speaker. It costs about 1 % of a core.
"""

from __future__ import annotations

from typing import Any

from assistant.audio.pcm import SAMPLE_RATE, Samples
from assistant.errors import PumpCoachError


class EchoError(PumpCoachError):
    """No echo canceller can run here."""


class WebRtcEchoCanceller:
    """An EchoCanceller. One instance follows one microphone for the whole session: its filter
    keeps what it learnt of the room from one cue to the next."""

    def __init__(self) -> None:
        try:
            from pywebrtc_audio import EchoCanceller
        except ImportError as error:
            raise EchoError(f"The echo canceller cannot be used here ({error}).") from error
        self._aec: Any = EchoCanceller(sample_rate=SAMPLE_RATE, num_channels=1)

    def cancel(self, heard: Samples, played: Samples) -> Samples:
        cleaned: Samples = self._aec.process(heard, played)
        return cleaned

"""Offline synthetic speakers (espeak-ng) for the demo, the tests and the benchmark.

Not the assistant's own voice (that is `speech/`): these stand in for her, saying
commands in many voices, speeds and pitches, so recognition can be tried with no microphone.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assistant.audio.pcm import SAMPLE_RATE, Audio, read_wav
from assistant.errors import AudioError


@dataclass(frozen=True)
class Voice:
    """One synthetic speaker."""

    name: str
    """An espeak-ng voice with variant, e.g. `en-us+f3` (f1-f5 are the female variants)."""
    speed_wpm: int = 150
    pitch: int = 60
    """espeak-ng pitch, 0-99 (50 is its default; women's voices sit higher)."""


WOMEN = (
    Voice("en-us+f1", 145, 62),
    Voice("en-us+f2", 160, 70),
    Voice("en-us+f3", 135, 58),
    Voice("en-gb+f4", 150, 75),
    Voice("en-us+f5", 170, 66),
)
"""Most of the people who will talk to Pump Coach are women: higher pitches, several speeds."""
OTHERS = (Voice("en-us+m3", 150, 45), Voice("en-gb-x-rp+m1", 140, 40))


def speak(text: str, voice: Voice = WOMEN[0]) -> Audio:
    """`text` said by `voice`, as 16 kHz mono; AudioError if espeak-ng is missing or fails."""
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise AudioError("espeak-ng is not installed; run scripts/setup.sh to install it.")
    with tempfile.TemporaryDirectory(prefix="pumpcoach-voice-") as folder:
        path = Path(folder) / "said.wav"
        command = [binary, "-v", voice.name, "-s", str(voice.speed_wpm), "-p", str(voice.pitch)]
        result = subprocess.run(
            [*command, "-w", str(path), text], capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or not path.exists():
            raise AudioError(f"espeak-ng could not say {text!r}: {result.stderr.strip()}")
        return read_wav(path).resampled(SAMPLE_RATE)

"""flite's voices (Debian `flite`): CMU's small synthesizer, built from recordings of real
speakers; `slt` is a woman's voice. Started once per cue, which takes a few hundredths of a
second."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from assistant.audio.pcm import Audio, read_wav
from assistant.errors import AudioError
from assistant.speech.tts import at_volume, silence

NATURAL_WPM = 170
"""flite's own pace, in words per minute; other rates stretch it."""
TIMEOUT_S = 30.0


class FliteSpeech:
    def __init__(self, voice: str) -> None:
        if shutil.which("flite") is None:
            raise AudioError("flite is not installed; run scripts/setup.sh to install it.")
        self._voice = voice
        self._scratch = tempfile.TemporaryDirectory(prefix="pumpcoach-flite-")
        self._count = 0

    def synthesize(self, text: str, rate_wpm: int, volume: float) -> Audio:
        words = " ".join(text.split())
        if not words:
            return silence(16000)
        self._count += 1
        path = Path(self._scratch.name) / f"cue-{self._count}.wav"
        stretch = NATURAL_WPM / rate_wpm
        command = [
            *("flite", "-voice", self._voice, "-o", str(path)),
            *("--setf", f"duration_stretch={stretch:.3f}", "-t", words),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise AudioError(f"flite could not say it ({error}).") from error
        if done.returncode != 0:
            raise AudioError(f"flite could not say it ({done.stderr.decode().strip()}).")
        try:
            return at_volume(read_wav(path), volume)
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        self._scratch.cleanup()

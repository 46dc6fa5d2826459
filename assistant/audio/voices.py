"""Offline synthetic speakers (espeak-ng, flite) for the demo, the tests and the benchmark.

Not the assistant's own voice (that is `speech/`): these stand in for her, saying
commands in many voices, speeds and pitches, so recognition can be tried with no microphone.

Two synthesizers, because they sound different to a recognizer: espeak-ng makes speech from
rules (formants), with many variants but far from a human voice; flite joins pieces of real
recorded speakers (CMU ARCTIC), so its voices are much closer to a person talking. Measured
with pocketsphinx's general English model on eight isolated commands: 7 of 8 read right in
flite's `slt`, 1 in 8 in espeak-ng's `en-us+f1` (see the recognition benchmark).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Audio, block_rms, read_wav
from assistant.errors import AudioError


@dataclass(frozen=True)
class Voice:
    """One synthetic speaker."""

    name: str
    """An espeak-ng voice with variant, e.g. `en-us+f3` (f1-f5 are the female variants), or
    a flite voice (`slt` is a woman; `rms`, `awb`, `kal16` are men)."""
    speed_wpm: int = 150
    pitch: int = 60
    """espeak-ng: its pitch, 0-99 (50 is its default; women's voices sit higher).
    flite: the mean pitch in Hz (women speak around 165-255 Hz, men around 85-155 Hz)."""
    synth: Literal["espeak-ng", "flite"] = "espeak-ng"


WOMEN = (
    Voice("en-us+f1", 145, 62),
    Voice("en-us+f2", 160, 70),
    Voice("en-us+f3", 135, 58),
    Voice("en-gb+f4", 150, 75),
    Voice("en-us+f5", 170, 66),
)
"""Most of the people who will talk to Pump Coach are women: higher pitches, several speeds."""
OTHERS = (Voice("en-us+m3", 150, 45), Voice("en-gb-x-rp+m1", 140, 40))
FLITE_WOMEN = (
    Voice("slt", 150, 185, "flite"),
    Voice("slt", 170, 225, "flite"),
    Voice("slt", 135, 255, "flite"),
    Voice("rms", 155, 205, "flite"),
    Voice("kal16", 160, 215, "flite"),
)
"""flite has one woman's voice (`slt`): she is said at several pitches and speeds, and two
men's voices are raised into women's pitch range for more variety of timbre."""
FLITE_OTHERS = (Voice("awb", 150, 125, "flite"), Voice("rms", 140, 105, "flite"))
FLITE_WPM = 170
"""flite's own pace, roughly, in words per minute: speeds are set relative to it."""


def speak(text: str, voice: Voice = WOMEN[0]) -> Audio:
    """`text` said by `voice`, as 16 kHz mono; AudioError if its synthesizer is missing or fails."""
    binary = shutil.which(voice.synth)
    if binary is None:
        raise AudioError(f"{voice.synth} is not installed; run scripts/setup.sh to install it.")
    with tempfile.TemporaryDirectory(prefix="pumpcoach-voice-") as folder:
        path = Path(folder) / "said.wav"
        result = subprocess.run(
            _command(binary, voice, text, path), capture_output=True, text=True, check=False
        )
        if result.returncode != 0 or not path.exists():
            raise AudioError(f"{voice.synth} could not say {text!r}: {result.stderr.strip()}")
        return trimmed(read_wav(path).resampled(SAMPLE_RATE))


SILENCE_DB = -40.0
"""Blocks this far below the loudest one are silence, for trimming."""


def trimmed(audio: Audio) -> Audio:
    """Without the silence synthesizers put before and after the words (flite: 0.2-0.4 s), so
    an utterance's start and end are where her speech is, and latency is measured from there.
    """
    block = SAMPLE_RATE // 100
    samples = audio.samples
    levels = block_rms(samples, block)
    if len(levels) == 0:
        return audio
    loud = np.flatnonzero(levels > levels.max() * 10 ** (SILENCE_DB / 20))
    if len(loud) == 0:
        return audio
    start, end = max(0, loud[0] - 1) * block, min(len(levels), loud[-1] + 2) * block
    return Audio(samples[start:end], audio.sample_rate)


def _command(binary: str, voice: Voice, text: str, out: Path) -> list[str]:
    if voice.synth == "flite":
        stretch = FLITE_WPM / voice.speed_wpm
        return [
            *(binary, "-voice", voice.name, "-o", str(out)),
            *("--setf", f"int_f0_target_mean={voice.pitch}"),
            *("--setf", f"duration_stretch={stretch:.3f}"),
            *("-t", text),
        ]
    return [
        *(binary, "-v", voice.name, "-s", str(voice.speed_wpm), "-p", str(voice.pitch)),
        *("-w", str(out), text),
    ]

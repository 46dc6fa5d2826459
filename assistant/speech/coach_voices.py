"""The coach's voices, most natural first, and the one place a voice is chosen and opened.

On Linux pyttsx3 speaks with espeak-ng, whose voice is made from rules and sounds robotic;
festival's HTS voice and flite are built from recordings of a real speaker. The default is
the first voice installed in `VOICES`; on macOS and Windows it is the system's own voice
through pyttsx3.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import AudioError
from assistant.speech.tts import TextToSpeech

Engine = Literal["festival", "flite", "pyttsx3"]
FESTIVAL_VOICES = Path("/usr/share/festival/voices")


@dataclass(frozen=True)
class CoachVoice:
    id: str
    """What she chooses it by (`voice = "slt-hts"`)."""
    description: str
    engine: Engine
    engine_voice: str | None = None
    """The engine's own name for the voice; None: the engine's default."""

    def installed(self) -> bool:
        if self.engine == "festival":
            found = FESTIVAL_VOICES.glob(f"*/{self.engine_voice}")
            return shutil.which("festival") is not None and any(found)
        if self.engine == "flite":
            return shutil.which("flite") is not None
        return True  # pyttsx3 is always there; whether it can speak is found on opening

    def open(self) -> TextToSpeech:
        """The running engine; AudioError (one sentence) if it cannot start."""
        if self.engine == "festival":
            from assistant.speech.festival_tts import FestivalSpeech

            return FestivalSpeech(str(self.engine_voice))
        if self.engine == "flite":
            from assistant.speech.flite_tts import FliteSpeech

            return FliteSpeech(str(self.engine_voice))
        from assistant.speech.pyttsx3_tts import Pyttsx3Speech

        return Pyttsx3Speech(self.engine_voice)


VOICES = (
    CoachVoice(
        "slt-hts", "a woman, US English (festival, HTS)", "festival", "cmu_us_slt_arctic_hts"
    ),
    CoachVoice("slt", "a woman, US English (flite)", "flite", "slt"),
    CoachVoice("system", "the system's voice (pyttsx3: espeak-ng on Linux)", "pyttsx3"),
    CoachVoice("espeak-f3", "a woman, US English (espeak-ng)", "pyttsx3", "gmw/en-us+f3"),
)
"""Most natural first: by Whisper's word error rate on every cue (scripts/bench_voices.py),
which puts espeak-ng's woman's variant below its plain voice."""
SYSTEM = VOICES[2]


def default_voice(platform: str = sys.platform) -> CoachVoice:
    """The most natural voice installed; on macOS and Windows, the system's own."""
    if not platform.startswith("linux"):
        return SYSTEM
    return next(voice for voice in VOICES if voice.installed())


def find_voice(voice_id: str) -> CoachVoice | None:
    return next((voice for voice in VOICES if voice.id == voice_id), None)


def open_voice(setting: str | None) -> TextToSpeech:
    """The voice she chose (`voice` in her settings: one of `VOICES`, or any pyttsx3 voice
    id such as `gmw/en-gb`), else the default."""
    if setting is None:
        return default_voice().open()
    voice = find_voice(setting)
    if voice is None:
        return CoachVoice(setting, "a pyttsx3 voice", "pyttsx3", setting).open()
    if not voice.installed():
        raise AudioError(
            f"The voice {setting!r} is not installed; run scripts/setup.sh, or choose another "
            "with `pumpcoach voices`."
        )
    return voice.open()

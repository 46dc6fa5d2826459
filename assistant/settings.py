"""One frozen settings model: the only configuration anything past the CLI ever sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.units import Unit


def number(default: float, low: float, high: float, unit: str = "", *, below: bool = False) -> Any:
    """A setting that is a finite number from `low` to `high` (below `high` if `below`), in
    `unit`: the error sentence states the whole range and its unit, read from here."""
    return Field(
        default=default,
        ge=low,
        le=None if below else high,
        lt=high if below else None,
        allow_inf_nan=False,
        json_schema_extra={"unit": unit} if unit else None,
    )


class RecognitionSettings(BaseModel):
    """Thresholds for hearing commands; each was chosen by the recognition benchmark."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    onset_db: float = number(6.0, 0.1, 40, "dB")
    """Speech starts after 3 frames (60 ms) this many dB above the noise floor, in dB.

    A frame's level above the floor is the mean, over its four most-raised frequency bands,
    of how far each is above what the pump did at the same point of its cycle (endpointer).
    """
    offset_db: float = number(3.0, 0.1, 40, "dB")
    """Once speaking, frames stay speech down to this many dB above the floor (median of 3)."""
    hangover_s: float = number(0.35, 0.02, 5, "seconds")
    """Silence this long ends an utterance (this is most of the decision latency)."""
    min_speech_s: float = number(0.18, 0.02, 2, "seconds")
    """Shorter bursts (a click, a cough) are not utterances."""
    max_speech_s: float = number(6.0, 1, 60, "seconds")
    """Longer stretches are chatter, not a command; they are cut and dropped."""
    preroll_s: float = number(0.1, 0, 2, "seconds")
    """Audio kept from before the onset, so a soft first consonant is not lost."""
    denoise_over: float = number(1.0, 0, 10, "times")
    """Noise suppression takes the pump to be this many times its learnt power in each band
    (0: no suppression; the utterance is decoded as it streams)."""
    denoise_smoothing: float = number(0.92, 0, 1, below=True)
    """How much of each band's speech-to-noise estimate carries over from the frame before:
    higher is steadier (less "musical noise"), lower follows her onsets more closely."""
    denoise_floor: float = number(0.2, 0, 1)
    """Noise suppression never lowers a band below this share of its amplitude."""
    trail_s: float = number(0.1, 0, 5, "seconds")
    """When denoising, audio decoded after her last speech frame (the rest of the hangover
    is pump only, and pump decoded is a chance of a stray word)."""
    min_confidence: float = number(0.02, 0, 1)
    """Readings the engine is less sure of than this are rejected."""
    verify: bool = True
    """Have Whisper check every command the engine hears before it is acted on (chatter that
    the engine bent into a command is turned down)."""
    verify_margin: float = number(2.0, 0, 50)
    """How much less likely than Whisper's own reading any command may be (natural log);
    lower turns down more chatter, and more of her commands. Chosen on the benchmark's tuning
    voices as the largest that keeps chatter over the pump within its target (see its
    history)."""
    verify_margin_per_word: float = number(2.0, 0, 50)
    """A command is accepted when Whisper finds it at most `verify_margin` plus this much per
    word of it less likely (natural log) than its own reading of the audio. Each word is a
    chance for the tiny model to mishear a voice, so a long log is allowed more than "next";
    chatter taken for a command is nearly always a word or two."""
    verify_nearest: int = Field(default=3, ge=0, le=20)
    """Commands spelled most like Whisper's own reading ("and session" -> "end session") that
    Whisper weighs too, beside the engine's readings; 0 weighs the engine's readings only."""
    verify_nearest_likeness: float = number(0.7, 0, 1)
    """How alike in spelling (0-1) a command must be to Whisper's reading to be weighed."""
    ask_margin: float = number(6.0, 0, 50)
    """A log is asked back ("60, or 16?") when a reading with other amounts is at most this
    much less likely (natural log) than the best one: higher asks more often, and logs fewer
    wrong amounts. Chosen on the benchmark's tuning voices (see its history)."""
    barge_in: bool = True
    """Listen while the coach talks, her voice told from the coach's by an echo canceller fed
    what the coach is saying; off, the microphone is shut while the coach talks."""
    gate_tail_s: float = number(0.4, 0, 5, "seconds")
    """The mic stays closed this long after the assistant stops talking (room echo)."""


class Settings(BaseModel):
    """What can be tuned, with units in each field's docstring."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rate_wpm: int = Field(default=165, ge=80, le=300, json_schema_extra={"unit": "words a minute"})
    """Speaking rate of the cues, in words per minute."""
    volume: float = number(0.9, 0, 1)
    """Loudness of the cues, 0.0 (silent) to 1.0 (full)."""
    voice: str | None = None
    """The coach's voice: an id from `pumpcoach voices` (`slt-hts`, `slt`, `espeak-f3`,
    `system`) or any pyttsx3 voice id (`gmw/en-gb`); None: the most natural one installed."""
    unit: Unit = "ml"
    """Her unit for milk, `ml` or `oz`: what is spoken and shown (the store keeps millilitres)."""
    default_routine: str = "mss"
    """Routine `pumpcoach start` uses when none is named."""
    db_path: Path | None = None
    """Session database; None: `pumpcoach.sqlite3` in her user data folder."""
    routines_dir: Path | None = None
    """Folder of her own routine files; None: `routines/` in her user config folder."""
    vosk_model: Path | None = None
    """A vosk model folder; None: look in $PUMPCOACH_VOSK_MODEL, then `models/`."""
    whisper_model: Path | None = None
    """A CTranslate2 Whisper model folder that checks commands; None: $PUMPCOACH_WHISPER_MODEL,
    then the tiny English model installed with Pump Coach."""
    input_device: str | None = None
    """Microphone by name (any part of it) or index; None: the system default."""
    recognition: RecognitionSettings = RecognitionSettings()
    """How commands are heard."""

    @field_validator("db_path", "routines_dir", "vosk_model", "whisper_model")
    @classmethod
    def _a_path_a_file_can_have(cls, path: Path | None) -> Path | None:
        # The one character no path can hold: it would fail deep in open() or SQLite.
        if path is not None and "\0" in str(path):
            raise ValueError("must be a path without a NUL character (\\u0000) in it")
        return path

    @field_validator("voice", "default_routine", "input_device")
    @classmethod
    def _printable(cls, text: str | None) -> str | None:
        # A voice id, routine name or device name never holds one; a speech engine may choke.
        if text is not None and any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in text):
            raise ValueError("must be text without control characters")
        return text

"""How well each of the coach's voices is understood, and how long a cue takes to render.

Every cue of every built-in routine (instructions, repetitions, reminders, safety notes) is
rendered in each installed voice and written down by Whisper (tiny English, beam search);
the word error rate against the cue's own words stands in for a listener's. Whisper learnt
on people, so a voice it misreads is a voice a tired listener strains at.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Samples
from assistant.grammar.numerals import with_numerals
from assistant.hearing.whisper_encoder import LEAD_S, PAD_S, WhisperEncoder
from assistant.routines.loader import discover
from assistant.speech.coach_voices import CoachVoice

RATE_WPM, VOLUME = 165, 0.9
"""The settings' defaults: the voice as she first hears it."""
MAX_TOKENS = 220
WINDOW_S = 30


@dataclass
class VoiceFigures:
    voice: str
    words: int = 0
    errors: int = 0
    render_s: list[float] = field(default_factory=list)
    spoken_s: float = 0.0
    worst: list[tuple[float, str, str]] = field(default_factory=list)
    """(error rate, cue, what Whisper wrote), for the cues it got most wrong."""

    @property
    def wer(self) -> float:
        return self.errors / self.words if self.words else float("nan")


def cues() -> list[str]:
    """Every distinct sentence the built-in routines have the coach say."""
    routines, _ = discover(None)
    texts: list[str] = []
    for routine in routines:
        texts += routine.safety
        for step in routine.all_steps:
            texts += [step.cue, step.again, *(r.text for r in step.reminders)]
    return list(dict.fromkeys(t for t in texts if t.strip()))


class Transcriber:
    """Whisper writing down a whole cue (beam search, no length cap but its own)."""

    def __init__(self, encoder: WhisperEncoder, tokenizer: Any) -> None:
        self._encoder = encoder
        self._tokenizer = tokenizer
        special = ("startoftranscript", "notimestamps")
        self._start = [tokenizer.token_to_id(f"<|{name}|>") for name in special]
        self._end = tokenizer.token_to_id("<|endoftext|>")

    def __call__(self, samples: Samples) -> str:
        """Padded to Whisper's own 30 s: shorter, it writes a cue over and over."""
        padded = np.zeros(round((WINDOW_S - LEAD_S - PAD_S) * SAMPLE_RATE), dtype=np.int16)
        clip = samples[: len(padded)]
        padded[: len(clip)] = clip
        encoded = self._encoder.encode(padded)
        result = self._encoder.model.generate(
            encoded, [self._start], beam_size=5, max_length=MAX_TOKENS
        )[0]
        ids = [t for t in result.sequences_ids[0] if t < self._end]
        return str(self._tokenizer.decode(ids)).strip()


def measure(voice: CoachVoice, texts: Iterable[str], transcribe: Transcriber) -> VoiceFigures:
    figures = VoiceFigures(voice.id)
    engine = voice.open()
    try:
        for text in texts:
            began = time.perf_counter()
            audio = engine.synthesize(text, RATE_WPM, VOLUME)
            figures.render_s.append(time.perf_counter() - began)
            figures.spoken_s += audio.duration_s
            heard = transcribe(audio.resampled(SAMPLE_RATE).samples)
            said, got = words(text), words(heard)
            errors = edit_distance(said, got)
            figures.words += len(said)
            figures.errors += errors
            figures.worst.append((errors / max(1, len(said)), text, heard))
    finally:
        engine.close()
    figures.worst = sorted(figures.worst, reverse=True)[:3]
    return figures


def words(text: str) -> list[str]:
    """Lower case, numbers as numerals, no punctuation: "six minutes." and "6 minutes" agree."""
    plain = with_numerals(text.lower().replace("-", " ")).replace("'", "")
    return re.sub(r"[^a-z0-9 ]+", " ", plain).split()


def edit_distance(said: list[str], got: list[str]) -> int:
    """Words substituted, dropped or added (Levenshtein over words)."""
    row = list(range(len(got) + 1))
    for i, word in enumerate(said, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(got, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def median_ms(values: list[float]) -> float:
    return 1000 * statistics.median(values) if values else float("nan")


def p95_ms(values: list[float]) -> float:
    return 1000 * float(np.percentile(values, 95)) if values else float("nan")

"""A session recording she could have made: commands spoken in the coach's quiet moments.

A real user waits for the coach to finish a sentence before speaking. To mimic that, each
command is placed by simulating the session so far (the same machine, the same cue audio
on the same virtual timeline) and taking the first quiet gap at or after its wished time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.audio.mix import Signal, noise_gain
from assistant.audio.pcm import SAMPLE_RATE, Audio, to_int16
from assistant.audio.pump_noise import PumpProfile, pump_noise
from assistant.audio.voices import Voice, speak
from assistant.clock import VirtualClock
from assistant.runtime.runner import SessionRunner
from assistant.runtime.script import ScriptLine, run_script
from assistant.runtime.speaker_output import SpeakerOutput
from assistant.session.plan import Plan
from assistant.session.state import initial_state
from assistant.speech.wav_speaker import WavSpeaker

MARGIN_S = 0.8
"""Quiet kept before and after her words, beyond the coach's cues (the gate's tail is less)."""
DECISION_S = 0.4
"""About when a command is decided after she stops speaking (the endpointer's hangover)."""


@dataclass(frozen=True)
class Utterance:
    """One command as it sits in the recording."""

    text: str
    start_s: float
    end_s: float


def place_commands(
    plan: Plan, wishes: Sequence[tuple[float, str]], voice: Voice
) -> list[Utterance]:
    """Put each command at the first moment at or after its wish when the coach is quiet."""
    placed: list[Utterance] = []
    for wish, text in wishes:
        said = speak(text, voice)
        spans = _cue_spans(plan, placed)
        earliest = max(wish, placed[-1].end_s + MARGIN_S) if placed else wish
        start = _first_gap(spans, earliest, said.duration_s)
        placed.append(Utterance(text, start, start + said.duration_s))
    return placed


def _cue_spans(plan: Plan, placed: list[Utterance]) -> list[tuple[float, float]]:
    """When the coach talks in a session where she has said `placed` (and nothing after)."""
    speaker = WavSpeaker(None)
    try:
        runner = SessionRunner(plan, initial_state(), [SpeakerOutput(speaker)])
        run_script(
            runner, VirtualClock(), [ScriptLine(u.end_s + DECISION_S, u.text) for u in placed]
        )
        return [(s.start_s, s.end_s) for s in speaker.spans]
    finally:
        speaker.close()


def _first_gap(spans: list[tuple[float, float]], t: float, length: float) -> float:
    for start, end in sorted(spans):
        if t + length + MARGIN_S <= start:
            break
        if end + MARGIN_S > t:
            t = max(t, end + MARGIN_S)
    return t


def render(
    utterances: Sequence[Utterance],
    voice: Voice,
    profile: PumpProfile | None,
    snr_db: float | None,
    seed: int = 0,
    tail_s: float = 3.0,
) -> Audio:
    """Her commands over pump noise at `snr_db` below her voice (None: a quiet room)."""
    length = round((max((u.end_s for u in utterances), default=0.0) + tail_s) * SAMPLE_RATE)
    speech: Signal = np.zeros(length)
    for u in utterances:
        said = speak(u.text, voice).samples.astype(np.float64)
        at = round(u.start_s * SAMPLE_RATE)
        speech[at : at + len(said)] += said[: length - at]
    if profile is None or snr_db is None:
        return Audio(
            to_int16(speech + np.random.default_rng(seed).normal(0, 20, length)), SAMPLE_RATE
        )
    noise = pump_noise(length / SAMPLE_RATE, profile, seed)
    voiced = np.concatenate([speak(u.text, voice).samples for u in utterances]).astype(np.float64)
    mixed = speech + noise * noise_gain(voiced, noise, snr_db)
    peak = float(np.max(np.abs(mixed))) or 1.0
    return Audio(to_int16(mixed * min(1.0, 0.9 * 32767 / peak)), SAMPLE_RATE)

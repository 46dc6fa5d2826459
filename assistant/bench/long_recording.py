"""Long recordings for the memory benchmark: a session's or a day's, pump, quiet and commands.

Written a minute at a time, so that making an 8-hour recording (920 MB at 16 kHz mono) does
not itself fill memory; any rate and channel count, since a recording's format is one of the
things memory must not depend on.
"""

from __future__ import annotations

import wave
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.audio.pcm import SAMPLE_RATE, Audio, to_int16
from assistant.audio.pump_noise import PROFILES, pump_noise
from assistant.audio.voices import WOMEN, speak
from assistant.errors import AudioError

PUMP_RMS = 1000.0
SPEECH_RMS = 3000.0
ROOM_RMS = 20.0
"""Levels in int16 units: a pump near the microphone, her voice about 10 dB above it, and a
quiet room between pumping."""
PUMP_LOOP_S = 120
FADE_S = 2.0
"""The pump's one stretch of sound, and how long it takes to start and stop, in seconds."""
BLOCK_S = 60
"""Recordings are made and written a minute at a time."""


@dataclass(frozen=True)
class Format:
    """How a generated recording is stored."""

    rate: int
    """Samples a second, Hz."""
    channels: int

    @property
    def name(self) -> str:
        return f"{self.rate // 1000} kHz {'mono' if self.channels == 1 else 'stereo'}"


FORMATS = (Format(16_000, 1), Format(48_000, 2))


@dataclass(frozen=True)
class Said:
    """A command spoken into a generated recording."""

    at_s: float
    """When she starts saying it, seconds from the start of the recording."""
    text: str


@dataclass(frozen=True)
class Plan:
    """What a recording holds: which minutes the pump runs, and what she says when."""

    minutes: int
    pumping: tuple[bool, ...]
    """For each minute, whether the pump runs (else a quiet room)."""
    said: tuple[Said, ...]


def session_plan(minutes: int) -> Plan:
    """A session as the rows measure it: the pump on for seven minutes of every ten, and a
    command every five minutes: next, pause, resume and a yield in turn."""
    pumping = tuple(m % 10 < 7 for m in range(minutes))
    texts = ("next", "pause", "resume", "log sixty ml")
    said = tuple(Said(60.0 * m + 20, texts[(m // 5) % 4]) for m in range(0, minutes, 5))
    return Plan(minutes, pumping, said)


def soak_plan(hours: int) -> Plan:
    """A long day, sparse: each hour four minutes of pumping with a yield logged (and a yes,
    in case the coach asks), then the pump off and a pause through 54 minutes of quiet, then
    a resume and two more minutes of pumping. Pause and resume are each said twice, as she
    would when not answered. Ten rounds of mss last 88 minutes of running routine and an
    hour here runs about six, so the session outlasts the eight hours and all of the file is
    heard; one pause missed and it may not (the soak says how much of it was heard)."""
    pumping: list[bool] = []
    said: list[Said] = []
    for hour in range(hours):
        start = 3600.0 * hour
        pumping += [m < 4 or m >= 58 for m in range(60)]
        said += [
            Said(start + 2 * 60 + 20, "log sixty ml"),
            Said(start + 2 * 60 + 30, "yes"),
            Said(start + 4 * 60 + 5, "pause"),
            Said(start + 5 * 60 + 5, "pause"),
            Said(start + 57 * 60 + 0, "resume"),
            Said(start + 57 * 60 + 40, "resume"),
        ]
    return Plan(60 * hours, tuple(pumping), tuple(said))


def write_recording(path: Path, plan: Plan, form: Format, seed: int = 0) -> None:
    """Write `plan` as a 16-bit WAV in `form`, a minute at a time (memory stays flat)."""
    voices = _voice_lines(plan)
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(form.channels)
        wav.setsampwidth(2)
        wav.setframerate(form.rate)
        for block in _minutes(plan, voices, seed):
            audio = Audio(to_int16(block), SAMPLE_RATE).resampled(form.rate).samples
            # The channels differ a little, as two microphones would.
            channels = [np.roll(audio, k) for k in range(form.channels)]
            wav.writeframes(np.stack(channels, axis=1).astype("<i2").tobytes())


def _voice_lines(plan: Plan) -> dict[str, np.ndarray]:
    """Each distinct sentence said once, at 16 kHz and SPEECH_RMS; silence if no synthesizer
    is installed (the memory figures do not depend on what is said, only the commands do)."""
    lines: dict[str, np.ndarray] = {}
    for text in sorted({said.text for said in plan.said}):
        try:
            line = speak(text, WOMEN[0]).samples.astype(np.float64)
        except AudioError:
            line = np.zeros(0)
        level = float(np.sqrt(np.mean(line**2))) if len(line) else 0.0
        lines[text] = line * (SPEECH_RMS / level) if level else line
    return lines


def _minutes(plan: Plan, voices: dict[str, np.ndarray], seed: int) -> Iterator[np.ndarray]:
    """Minute blocks at 16 kHz. The pump is one stretch of PUMP_LOOP_S played forward, then
    backward, and so on: pieces made apart and joined would step at each join, and a step is
    heard as a word ("end"); a stretch played back and forth never steps. It fades in and
    out over FADE_S where she switches it on and off."""
    rng = np.random.default_rng(seed)
    loop = pump_noise(PUMP_LOOP_S, PROFILES["double-electric"], seed=seed) * PUMP_RMS
    n, fade = BLOCK_S * SAMPLE_RATE, round(FADE_S * SAMPLE_RATE)
    ramp = np.linspace(0.0, 1.0, fade)
    for minute in range(plan.minutes):
        start = minute * n
        block = rng.standard_normal(n) * ROOM_RMS
        if plan.pumping[minute]:
            k = (start + np.arange(n)) % (2 * len(loop))
            pump = loop[np.where(k < len(loop), k, 2 * len(loop) - 1 - k)]
            if minute == 0 or not plan.pumping[minute - 1]:
                pump[:fade] *= ramp
            if minute + 1 < plan.minutes and not plan.pumping[minute + 1]:
                pump[-fade:] *= ramp[::-1]
            block += pump
        for said in plan.said:
            line = voices[said.text]
            at = round(said.at_s * SAMPLE_RATE) - start
            if 0 <= at < n and len(line):
                piece = line[: n - at]
                block[at : at + len(piece)] += piece
        yield block

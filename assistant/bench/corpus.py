"""The benchmark's audio, built offline and deterministically from a seed.

Each of the two voice sets (`sets.py`: tuning and report) says every phrasing the grammar
offers for each intent, plus logs sampled from the grammar (numbers, units, sides), into
continuous streams with pauses, in a room and through a microphone of its own (`room.py`),
over the set's pumps at each SNR. Negatives: each pump alone, a pump changing mode and
suction level, and everyday chatter, over the pump and in a quiet room.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.audio.mix import Signal, noise_gain
from assistant.audio.pcm import SAMPLE_RATE, Audio, block_rms, read_wav, to_int16, write_wav
from assistant.audio.pump_noise import PROFILES, PumpProfile, changing_pump, pump_noise
from assistant.audio.voices import Voice, speak
from assistant.bench.chatter import CHATTER
from assistant.bench.room import Room, microphone, random_room, reverberate
from assistant.bench.sets import SET_NAMES, SetName, VoiceSet, pumps, voice_set
from assistant.commands import Command, Intent
from assistant.grammar import parse
from assistant.grammar.dsl import speech_only
from assistant.grammar.rules import INTENT_RULES
from assistant.grammar.sentences import intent_phrases, sample_sentence

VERSION = 5
"""Bumped whenever the audio a definition gives changes (5: piper and sox deterministic)."""
SNRS: tuple[float | None, ...] = (None, 15.0, 10.0, 5.0, 0.0)
"""Speech-to-pump ratios in dB; None is a quiet room."""
LOG_SENTENCES = 36
"""Log commands sampled from the grammar per set (other intents: every phrasing)."""
LEAD_S = 3.0
"""Pump alone at the start of each stream, as when she switches it on before speaking."""
GAP_S = (1.2, 3.0)
"""Pause between her commands (uniform in this range)."""
PUMP_ALONE_S = 120.0
"""Seconds of each pump profile on its own."""
CHANGING_PUMP_S = 360.0
"""Seconds of a pump switching mode and suction level every minute, per set."""
PUMP_RMS = 3000.0
CHATTER_SNRS = (15.0, 10.0, 5.0)
CHATTER_PER_VOICE = 12
"""Sentences each voice says over the pump (and half as many in a quiet room)."""

Kind = Literal["commands", "pump", "changing-pump", "chatter"]


@dataclass(frozen=True)
class Spoken:
    """One utterance of hers in a clip, and what it should be heard as."""

    text: str
    start_s: float
    end_s: float
    intent: Intent
    amounts_ml: dict[str, float] | None


@dataclass(frozen=True)
class Clip:
    """One recording of the benchmark, stored as `<name>.wav` with its truth beside it."""

    name: str
    kind: Kind
    voice_set: SetName
    family: str | None
    """The speech engine of the voice ("flite", "piper", ...); None for the pump alone."""
    snr_db: float | None
    profile: str | None
    voice: str | None
    said: tuple[Spoken, ...]
    duration_s: float


def phrasings(seed: int = 0, voices: SetName = "tuning") -> list[str]:
    """Every phrasing of every non-log intent, then sampled logs (each set its own sample)."""
    texts: list[str] = []
    for intent in INTENT_RULES:
        if intent != "log":
            texts += intent_phrases(intent)
    log = speech_only(INTENT_RULES["log"])
    assert log is not None
    rng = random.Random(f"logs-{voices}-{seed}")
    logs: list[str] = []
    while len(logs) < LOG_SENTENCES:
        sentence = sample_sentence(log, rng)
        if sentence not in logs and len(sentence.split()) <= 9:
            logs.append(sentence)
    return texts + logs


def expected(text: str) -> Command:
    command = parse(text)
    if command is None:
        raise ValueError(f"the benchmark says something the grammar does not parse: {text!r}")
    return command


def definition(seed: int, every: int) -> str:
    """Everything the audio depends on, to name the folder it is kept in."""
    sets = [voice_set(name, seed) for name in SET_NAMES]
    said = [phrasings(seed, name) for name in SET_NAMES]
    noises = [pumps(s, seed) for s in sets]
    return repr((VERSION, seed, every, SNRS, GAP_S, CHATTER, sets, noises, said))


def build(folder: Path, seed: int = 0, every: int = 1) -> list[Clip]:
    """Write every clip of the corpus into `folder` (reused when already there); list them.

    `every` > 1 keeps one phrasing in `every` (a quick look while tuning, not the benchmark).
    """
    index = folder / "corpus.json"
    if index.exists():
        return [_clip_from(d) for d in json.loads(index.read_text())]
    folder.mkdir(parents=True, exist_ok=True)
    clips: list[Clip] = []
    for name in SET_NAMES:
        voices = voice_set(name, seed)
        rng = random.Random(f"{name}-{seed}")
        clips += _command_clips(folder, voices, seed, every, rng)
        clips += _pump_clips(folder, voices, seed, rng)
        clips += _chatter_clips(folder, voices, seed, rng)
    index.write_text(json.dumps([dataclasses.asdict(c) for c in clips], indent=1))
    return clips


def load(folder: Path, clip: Clip) -> Audio:
    return read_wav(folder / f"{clip.name}.wav")


def _clip_from(d: dict) -> Clip:  # type: ignore[type-arg]
    said = tuple(Spoken(**s) for s in d.pop("said"))
    return Clip(**d, said=said)


def _command_clips(
    folder: Path, voices: VoiceSet, seed: int, every: int, rng: random.Random
) -> list[Clip]:
    """One stream per voice per SNR: that voice's share of the phrasings, with pauses."""
    texts = phrasings(seed, voices.name)[::every]
    speakers, profiles = voices.voices, pumps(voices, seed)
    rng.shuffle(texts)
    clips: list[Clip] = []
    for s, snr in enumerate(SNRS):
        for v, voice in enumerate(speakers):
            mine = texts[v :: len(speakers)]
            pump = profiles[(v + s) % len(profiles)]
            name = f"{voices.name}-commands-{_snr_name(snr)}-v{v}"
            room = random_room(rng)
            clip = command_clip(folder, name, mine, voice, pump, snr, rng, room)
            clips.append(
                dataclasses.replace(clip, voice_set=voices.name, family=voices.family_of(voice))
            )
    return clips


def command_clip(
    folder: Path,
    name: str,
    texts: Sequence[str],
    voice: Voice,
    pump: PumpProfile,
    snr: float | None,
    rng: random.Random,
    room: Room | None = None,
) -> Clip:
    """`texts` said by `voice` one after another, with pauses, in `room` (None: said into the
    microphone, dry), over `pump` at `snr`."""
    spans = _placed(texts, voice, rng)
    audio = _render(spans, voice, pump if snr is not None else None, snr, room, rng)
    write_wav(folder / f"{name}.wav", audio)
    said = tuple(_spoken(text, start, end) for text, start, end in spans)
    return Clip(
        name, "commands", "tuning", voice.synth, snr, pump.name, _voice_name(voice), said,
        audio.duration_s,
    )  # fmt: skip


Span = tuple[str, float, float]


def _placed(texts: Sequence[str], voice: Voice, rng: random.Random) -> list[Span]:
    spans: list[Span] = []
    t = LEAD_S
    for text in texts:
        length = speak(text, voice).duration_s
        spans.append((text, t, t + length))
        t += length + rng.uniform(*GAP_S)
    return spans


def _render(
    spans: Sequence[Span],
    voice: Voice,
    pump: PumpProfile | None,
    snr_db: float | None,
    room: Room | None,
    rng: random.Random,
    tail_s: float = 3.0,
) -> Audio:
    """Her words in `room`, each at its own level, over `pump` at `snr_db` below her voice
    (None: a quiet room), all through the room's microphone."""
    length = round((max((end for _, _, end in spans), default=0.0) + tail_s) * SAMPLE_RATE)
    speech: Signal = np.zeros(length)
    voiced: list[Signal] = []
    for text, start, _ in spans:
        said = speak(text, voice).samples.astype(np.float64)
        if room is not None:
            said = np.pad(said, (0, round(room.rt60_s * SAMPLE_RATE)))
            said = reverberate(said, room, rng.randrange(1 << 16))
            said *= 10 ** (rng.uniform(*room.level_db) / 20)
        at = round(start * SAMPLE_RATE)
        speech[at : at + len(said)] += said[: length - at]
        voiced.append(said)
    seed = rng.randrange(1 << 16)
    if pump is None or snr_db is None:
        mixed = speech + np.random.default_rng(seed).normal(0, 20, length)
    else:
        noise = pump_noise(length / SAMPLE_RATE, pump, seed)
        mixed = speech + noise * noise_gain(np.concatenate(voiced), noise, snr_db)
    if room is not None:
        mixed = microphone(mixed, room)
    peak = float(np.max(np.abs(mixed))) or 1.0
    return Audio(to_int16(mixed * min(1.0, 0.9 * 32767 / peak)), SAMPLE_RATE)


def _spoken(text: str, start: float, end: float) -> Spoken:
    command = expected(text)
    amounts = (
        None if command.amounts_ml is None else {str(k): v for k, v in command.amounts_ml.items()}
    )
    return Spoken(text, start, end, command.intent, amounts)


def _pump_clips(folder: Path, voices: VoiceSet, seed: int, rng: random.Random) -> list[Clip]:
    """Each of the set's pumps alone, and the first one changing mode and level."""
    clips = []
    profiles = pumps(voices, seed)
    for i, pump in enumerate(profiles):
        noise = pump_noise(PUMP_ALONE_S, pump, seed=100 + seed * 10 + i)
        name = f"{voices.name}-pump-{i}"
        _write_noise(folder / f"{name}.wav", noise, random_room(rng))
        clips.append(Clip(name, "pump", voices.name, None, None, pump.name, None, (), PUMP_ALONE_S))
    noise = changing_pump(CHANGING_PUMP_S, profiles[0], seed=200 + seed)
    name = f"{voices.name}-changing-pump"
    _write_noise(folder / f"{name}.wav", noise, random_room(rng))
    clips.append(
        Clip(
            name, "changing-pump", voices.name, None, None, profiles[0].name, None, (),
            CHANGING_PUMP_S,
        )
    )  # fmt: skip
    return clips


def _write_noise(path: Path, noise: Signal, room: Room) -> None:
    write_wav(path, Audio(to_int16(microphone(noise * PUMP_RMS, room)), SAMPLE_RATE))


def _chatter_clips(folder: Path, voices: VoiceSet, seed: int, rng: random.Random) -> list[Clip]:
    """Each voice says a few chatter sentences over a pump, and a few in a quiet room."""
    profiles = pumps(voices, seed)
    clips = []
    for v, voice in enumerate(voices.voices):
        for quiet in (False, True):
            count = CHATTER_PER_VOICE // 2 if quiet else CHATTER_PER_VOICE
            offset = v * 7 + (len(CHATTER) // 2 if quiet else 0)
            sentences = [CHATTER[(offset + k) % len(CHATTER)] for k in range(count)]
            snr = None if quiet else CHATTER_SNRS[v % len(CHATTER_SNRS)]
            pump = profiles[v % len(profiles)]
            spans = _placed(sentences, voice, rng)
            audio = _render(spans, voice, pump, snr, random_room(rng), rng)
            name = f"{voices.name}-chatter-{'quiet' if quiet else 'pump'}-v{v}"
            write_wav(folder / f"{name}.wav", audio)
            clips.append(
                Clip(
                    name, "chatter", voices.name, voices.family_of(voice), snr,
                    None if quiet else pump.name, _voice_name(voice), (), audio.duration_s,
                )
            )  # fmt: skip
    return clips


def _snr_name(snr: float | None) -> str:
    return "clean" if snr is None else f"{snr:g}dB"


def _voice_name(voice: Voice) -> str:
    return f"{voice.synth} {voice.name} {voice.speed_wpm}wpm p{voice.pitch}"


CUE_PUMP = "wearable"
CUE_PUMP_RMS = 900.0
"""A quiet pump, so the coach's echo is the loudest thing in the room (the hard case)."""


def write_quiet_pump(path: Path, seconds: float) -> None:
    """The room for the own-cues check: only a quiet pump (the coach's echo is added later)."""
    noise = pump_noise(seconds, PROFILES[CUE_PUMP], seed=5) * CUE_PUMP_RMS
    write_wav(path, Audio(to_int16(noise), SAMPLE_RATE))


def sounding_seconds(path: Path, until_s: float) -> float:
    """How long the coach's recorded cues make sound, up to `until_s`."""
    audio = read_wav(path)
    samples = audio.samples[: round(until_s * audio.sample_rate)]
    return float((block_rms(samples, audio.sample_rate // 100) > 10).sum()) / 100

"""The benchmark's audio, built offline and deterministically from a seed.

Positives: every phrasing the grammar offers for each intent, plus logs sampled from the
grammar (numbers, units, sides), spoken in several synthetic voices into continuous streams
with pauses, over each pump profile, at each SNR. Negatives: the pump alone, and everyday
chatter over the pump. A seed other than 0 jitters the voices (speed, pitch) and the pumps
(hum, cycle, clicks), so a change that only helps seed 0's audio shows up as not helping.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.audio.pcm import SAMPLE_RATE, Audio, block_rms, read_wav, to_int16, write_wav
from assistant.audio.pump_noise import PROFILES, PumpProfile, pump_noise
from assistant.audio.voices import FLITE_OTHERS, FLITE_WOMEN, OTHERS, WOMEN, Voice, speak
from assistant.demo.scenario import Utterance, render
from assistant.grammar import parse
from assistant.grammar.dsl import speech_only
from assistant.grammar.rules import INTENT_RULES
from assistant.hearing.engine_grammar import intent_phrases, sample_sentence
from assistant.session.events import Command, Intent

VERSION = 3
"""Bumped whenever the audio a definition gives changes (2: speech trimmed of silence;
3: 48 chatter sentences, 14 per voice)."""
SNRS: tuple[float | None, ...] = (None, 15.0, 10.0, 5.0, 0.0)
"""Speech-to-pump ratios in dB; None is a quiet room."""
LOG_SENTENCES = 36
"""Log commands sampled from the grammar per corpus (other intents: every phrasing)."""
LEAD_S = 3.0
"""Pump alone at the start of each stream, as when she switches it on before speaking."""
GAP_S = (1.2, 3.0)
"""Pause between her commands (uniform in this range)."""
PUMP_ALONE_S = 120.0
"""Seconds of each pump profile on its own."""
CHATTER_SNRS = (15.0, 10.0, 5.0)
CHATTER = (
    "honey can you bring me some water",
    "the baby is finally asleep",
    "did you remember to call your mother",
    "i think it is going to rain later",
    "can you pass me the phone please",
    "what time is the doctor tomorrow",
    "we need to buy more storage bags",
    "next time we should try the other bottle",
    "wait until she wakes up before you start the laundry",
    "just give me a minute and then we can go",
    "i'm so tired today",
    "the dog wants to go out again",
    "could you turn on the kettle",
    "she had a good feed this morning",
    "let me know when dinner is ready",
    "it's cold in here can you close the window",
    "stop pulling the cat's tail sweetheart",
    "can you hold her for a second",
    "the washing machine is making that noise again",
    "did the nurse say anything about her weight",
    "where did you put the burp cloths",
    "i'll have a cup of tea after this",
    "your sister sent a picture of the twins",
    "go and get your shoes on please",
    "the bottles are still in the steriliser",
    "turn the television down a little",
    "we're out of milk for the coffee",
    "she only slept two hours last night",
    "did anyone feed the fish",
    "the parcel should come on thursday",
    "it was a good idea to buy the big freezer",
    "can you check if the door is locked",
    "he keeps asking for a snack",
    "the radio said the roads are icy",
    "mum is coming over at four",
    "put it on the table by the window",
    "i can't find the charger anywhere",
    "that was the best nap she has had all week",
    "we should book the car in for a service",
    "don't forget to take the rubbish out",
    "the heating is on but it's still chilly",
    "do you want pasta or rice tonight",
    "she's smiling at the lamp again",
    "the neighbours are drilling again",
    "look at her little hands",
    "can you find my glasses",
    "i need to reply to that email later",
    "the midwife comes back on monday",
)
"""Things said near her that are not for the coach (some borrow command words: "next",
"stop", "go", "back", "turn ... down", "start", "what time")."""
CHATTER_PER_VOICE = 14
"""Sentences each voice says: about 6 minutes of chatter in all, so one false activation is
about 10 an hour rather than 20."""

Kind = Literal["commands", "pump", "chatter"]


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
    snr_db: float | None
    profile: str | None
    voice: str | None
    said: tuple[Spoken, ...]
    duration_s: float


def phrasings(seed: int = 0) -> list[str]:
    """Every phrasing of every non-log intent, then sampled logs (another seed than training)."""
    texts: list[str] = []
    for intent in INTENT_RULES:
        if intent != "log":
            texts += intent_phrases(intent)
    log = speech_only(INTENT_RULES["log"])
    assert log is not None
    rng = random.Random(1000 + seed)
    logs: list[str] = []
    while len(logs) < LOG_SENTENCES:
        sentence = sample_sentence(log, rng)
        if sentence not in logs and len(sentence.split()) <= 9:
            logs.append(sentence)
    return texts + logs


Synth = Literal["flite", "espeak-ng"]
PITCH_JITTER = {"flite": (25, 80, 300), "espeak-ng": (10, 0, 99)}
"""How far another seed moves each voice's pitch, and the synthesizer's bounds for it."""


def voices(seed: int = 0, synth: Synth = "flite") -> list[Voice]:
    """The synthetic speakers; seed 0 as listed in `audio.voices`, others jittered.

    flite by default: its voices are pieces of real speakers, so the figures say how she
    will be heard; espeak-ng's rule-made voices are a harder, less human test.
    """
    listed = [*FLITE_WOMEN, *FLITE_OTHERS] if synth == "flite" else [*WOMEN, *OTHERS]
    if seed == 0:
        return listed
    rng = random.Random(seed)
    spread, low, high = PITCH_JITTER[synth]
    return [
        dataclasses.replace(
            v,
            speed_wpm=v.speed_wpm + rng.randint(-20, 20),
            pitch=min(high, max(low, v.pitch + rng.randint(-spread, spread))),
        )
        for v in listed
    ]


def profiles(seed: int = 0) -> list[PumpProfile]:
    """The pump profiles; seed 0 as listed in `audio.pump_noise`, others jittered."""
    listed = list(PROFILES.values())
    if seed == 0:
        return listed
    rng = random.Random(seed)

    def scale(spread: float) -> float:
        return 1 + rng.uniform(-spread, spread)

    def jitter(p: PumpProfile) -> PumpProfile:
        return dataclasses.replace(
            p,
            name=f"{p.name}~{seed}",
            hum_hz=p.hum_hz * scale(0.2),
            cycle_hz=p.cycle_hz * scale(0.25),
            duty=min(0.8, max(0.3, p.duty * scale(0.15))),
            whoosh_level=p.whoosh_level * scale(0.3),
            click_level=p.click_level * scale(0.3),
        )

    return [jitter(p) for p in listed]


def expected(text: str) -> Command:
    command = parse(text)
    if command is None:
        raise ValueError(f"the benchmark says something the grammar does not parse: {text!r}")
    return command


def build(folder: Path, seed: int = 0, every: int = 1, synth: Synth = "flite") -> list[Clip]:
    """Write every clip of the corpus into `folder` (reused when already there); list them.

    `every` > 1 keeps one phrasing in `every` (a quick look while tuning, not the benchmark).
    """
    index = folder / "corpus.json"
    if index.exists():
        return [_clip_from(d) for d in json.loads(index.read_text())]
    folder.mkdir(parents=True, exist_ok=True)
    clips = [
        *_command_clips(folder, seed, every, synth),
        *_pump_clips(folder, seed),
        *_chatter_clips(folder, seed, synth),
    ]
    index.write_text(json.dumps([dataclasses.asdict(c) for c in clips], indent=1))
    return clips


def load(folder: Path, clip: Clip) -> Audio:
    return read_wav(folder / f"{clip.name}.wav")


def _clip_from(d: dict) -> Clip:  # type: ignore[type-arg]
    said = tuple(Spoken(**s) for s in d.pop("said"))
    return Clip(**d, said=said)


def _command_clips(folder: Path, seed: int, every: int, synth: Synth) -> list[Clip]:
    """One stream per voice per SNR: that voice's share of the phrasings, with pauses."""
    texts = phrasings(seed)[::every]
    speakers, pumps = voices(seed, synth), profiles(seed)
    rng = random.Random(seed)
    rng.shuffle(texts)
    clips: list[Clip] = []
    for s, snr in enumerate(SNRS):
        for v, voice in enumerate(speakers):
            mine = texts[v :: len(speakers)]
            pump = pumps[(v + s) % len(pumps)]
            name = f"commands-{_snr_name(snr)}-v{v}"
            clips.append(command_clip(folder, name, mine, voice, pump, snr, rng))
    return clips


def command_clip(
    folder: Path,
    name: str,
    texts: Sequence[str],
    voice: Voice,
    pump: PumpProfile,
    snr: float | None,
    rng: random.Random,
) -> Clip:
    """`texts` said by `voice` one after another, with pauses, over `pump` at `snr`."""
    utterances: list[Utterance] = []
    t = LEAD_S
    for text in texts:
        length = speak(text, voice).duration_s
        utterances.append(Utterance(text, t, t + length))
        t += length + rng.uniform(*GAP_S)
    audio = render(
        utterances, voice, pump if snr is not None else None, snr, seed=rng.randrange(1 << 16)
    )
    write_wav(folder / f"{name}.wav", audio)
    said = tuple(_spoken(u) for u in utterances)
    return Clip(name, "commands", snr, pump.name, _voice_name(voice), said, audio.duration_s)


def _spoken(u: Utterance) -> Spoken:
    command = expected(u.text)
    amounts = (
        None if command.amounts_ml is None else {str(k): v for k, v in command.amounts_ml.items()}
    )
    return Spoken(u.text, u.start_s, u.end_s, command.intent, amounts)


def _pump_clips(folder: Path, seed: int) -> list[Clip]:
    clips = []
    for i, pump in enumerate(profiles(seed)):
        noise = pump_noise(PUMP_ALONE_S, pump, seed=100 + seed * 10 + i)
        name = f"pump-{i}"
        write_wav(folder / f"{name}.wav", Audio(to_int16(noise * 3000), SAMPLE_RATE))
        clips.append(Clip(name, "pump", None, pump.name, None, (), PUMP_ALONE_S))
    return clips


def _chatter_clips(folder: Path, seed: int, synth: Synth) -> list[Clip]:
    """Each voice says a few chatter sentences over a pump, at a few SNRs."""
    speakers, pumps = voices(seed, synth), profiles(seed)
    rng = random.Random(seed + 7)
    clips = []
    for v, voice in enumerate(speakers):
        sentences = [CHATTER[(v * 7 + k) % len(CHATTER)] for k in range(CHATTER_PER_VOICE)]
        snr = CHATTER_SNRS[v % len(CHATTER_SNRS)]
        utterances, t = [], LEAD_S
        for text in sentences:
            length = speak(text, voice).duration_s
            utterances.append(Utterance(text, t, t + length))
            t += length + rng.uniform(*GAP_S)
        pump = pumps[v % len(pumps)]
        audio = render(utterances, voice, pump, snr, seed=rng.randrange(1 << 16))
        name = f"chatter-v{v}"
        write_wav(folder / f"{name}.wav", audio)
        clips.append(
            Clip(name, "chatter", snr, pump.name, _voice_name(voice), (), audio.duration_s)
        )
    return clips


def _snr_name(snr: float | None) -> str:
    return "clean" if snr is None else f"{snr:g}dB"


def _voice_name(voice: Voice) -> str:
    return f"{voice.name} {voice.speed_wpm}wpm p{voice.pitch}"


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

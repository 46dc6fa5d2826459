"""The benchmark's two sets of voices and pumps: one to tune on, one to report.

A threshold chosen on the voices it is judged on says how well it fits those voices, not how
well it hears her. So every threshold is chosen on the tuning set, and the table's headline is
the report set, which shares no speech engine and no pump with it and is never tuned on.
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from typing import Literal

from assistant.audio.pump_noise import PROFILES, PumpProfile
from assistant.audio.voices import FESTIVAL, FLITE_OTHERS, FLITE_WOMEN, PIPER, WOMEN, Voice

SetName = Literal["tuning", "report"]
SET_NAMES: tuple[SetName, ...] = ("report", "tuning")


@dataclass(frozen=True)
class VoiceSet:
    """Who speaks, over which pumps."""

    name: SetName
    families: dict[str, tuple[Voice, ...]]
    """Voices by speech engine ("flite", "festival", ...)."""
    pumps: tuple[str, ...]
    """Pump profiles (names in `audio.pump_noise.PROFILES`)."""

    @property
    def voices(self) -> list[Voice]:
        return [v for family in self.families.values() for v in family]

    def family_of(self, voice: Voice) -> str:
        return next(name for name, vs in self.families.items() if voice in vs)


TUNING = VoiceSet(
    "tuning",
    {"flite": FLITE_WOMEN + FLITE_OTHERS, "espeak-ng": (WOMEN[1], WOMEN[3])},
    ("double-electric", "let-down", "wearable"),
)
REPORT = VoiceSet(
    "report",
    {"festival": FESTIVAL, "piper": PIPER},
    ("hospital-grade", "portable-buzz"),
)
SETS = {s.name: s for s in (TUNING, REPORT)}

PITCH_JITTER = {"flite": (25, 80, 300), "espeak-ng": (10, 0, 99), "festival": (2, -4, 8)}
"""How far another seed moves each voice's pitch, and the synthesizer's bounds for it."""
PITCH_JITTER["piper"] = PITCH_JITTER["festival"]


def voice_set(name: SetName, seed: int = 0) -> VoiceSet:
    """The set as listed for seed 0; other seeds jitter each voice's speed and pitch."""
    listed = SETS[name]
    if seed == 0:
        return listed
    rng = random.Random(f"{name}-{seed}")
    families = {
        family: tuple(_jittered(v, rng) for v in voices)
        for family, voices in listed.families.items()
    }
    return dataclasses.replace(listed, families=families)


def pumps(voices: VoiceSet, seed: int = 0) -> list[PumpProfile]:
    """The set's pump profiles; seed 0 as listed in `audio.pump_noise`, others jittered."""
    listed = [PROFILES[name] for name in voices.pumps]
    if seed == 0:
        return listed
    rng = random.Random(seed)

    def scale(spread: float) -> float:
        return 1 + rng.uniform(-spread, spread)

    return [
        dataclasses.replace(
            p,
            name=f"{p.name}~{seed}",
            hum_hz=p.hum_hz * scale(0.2),
            cycle_hz=p.cycle_hz * scale(0.25),
            duty=min(0.8, max(0.3, p.duty * scale(0.15))),
            whoosh_level=p.whoosh_level * scale(0.3),
            click_level=p.click_level * scale(0.3),
        )
        for p in listed
    ]


def _jittered(voice: Voice, rng: random.Random) -> Voice:
    spread, low, high = PITCH_JITTER[voice.synth]
    return dataclasses.replace(
        voice,
        speed_wpm=voice.speed_wpm + rng.randint(-20, 20),
        pitch=min(high, max(low, voice.pitch + rng.randint(-spread, spread))),
    )

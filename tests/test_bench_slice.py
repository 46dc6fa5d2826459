"""A small slice of the recognition benchmark, so a regression in hearing fails CI.

The same corpus code, the same real `hear` path and the same scoring as
`scripts/bench_recognition.py`, on a handful of commands at 10 dB in a room, said by voices of
both sets: the report set's (festival, piper), which nothing is tuned on, and the tuning set's
(flite). The full table stays in the benchmark.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.audio.pcm import read_wav
from assistant.audio.pump_noise import PROFILES
from assistant.audio.voices import FESTIVAL, FLITE_WOMEN, PIPER, Voice
from assistant.bench.corpus import command_clip
from assistant.bench.room import random_room
from assistant.bench.scoring import score
from assistant.bench.systems import Ours
from assistant.hearing.engines import choose
from assistant.hearing.models import default_models_dir
from assistant.settings import Settings

pytestmark = pytest.mark.slow

SLICE = [
    "next",
    "pause",
    "how much time",
    "log sixty five milliliters",
    "undo",
    "resume",
    "say that again",
    "stop",
    "forty on the left",
]
VOICES: dict[Voice, int] = {FESTIVAL[0]: 7, PIPER[0]: 7, FLITE_WOMEN[0]: 7}
"""Each voice's floor: at least this many of the 9 commands heard right (measured: see the
benchmark's history for the figures; a change that loses two or more fails here)."""


@pytest.fixture(scope="module")
def ours() -> Ours:
    settings = Settings()
    return Ours(choose(settings, {}, default_models_dir(), "pocketsphinx"), settings)


@pytest.mark.parametrize("voice", list(VOICES), ids=lambda v: f"{v.synth}-{v.name}")
def test_commands_at_10_db_in_a_room_stay_above_the_floor(
    tmp_path: Path, ours: Ours, voice: Voice
) -> None:
    """Commands over the pump the tuning set never heard, in a room, through a cheap mic."""
    rng = random.Random(3)
    room = random_room(rng)
    pump = PROFILES["portable-buzz"]
    clip = command_clip(tmp_path, "slice", SLICE, voice, pump, 10.0, rng, room)
    tally = score(clip, ours.hear(read_wav(tmp_path / "slice.wav")))
    assert tally.correct >= VOICES[voice], tally.misses
    assert tally.false == 0
    assert tally.wrong_amounts == 0

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
VOICES: dict[Voice, tuple[int, int, int]] = {
    FESTIVAL[0]: (8, 0, 0),
    PIPER[0]: (5, 1, 1),
    FLITE_WOMEN[0]: (5, 0, 0),
}
"""Per voice: at least this many of the 9 commands right, at most this many false
activations and wrong amounts. Measured when written: 9/0/0, 6/1/1 (piper's "log sixty five
milliliters" logged as 165, and "undo" heard as "end"), 6/0/0; a change that loses two, or
lets one more through, fails here."""


@pytest.fixture(scope="module")
def ours() -> Ours:
    settings = Settings()
    return Ours(choose(settings, {}, default_models_dir(), "pocketsphinx"), settings)


@pytest.mark.parametrize("voice", list(VOICES), ids=lambda v: f"{v.synth}-{v.name}")
def test_commands_at_10_db_in_a_room_stay_above_the_floor(
    tmp_path: Path, ours: Ours, voice: Voice
) -> None:
    """Commands over a report-set pump, in a room, through a cheap microphone. (Over the
    other report-set pump, portable-buzz, the endpointer finds no utterance at all at 10 dB:
    see the benchmark.)"""
    rng = random.Random(3)
    room = random_room(rng)
    pump = PROFILES["hospital-grade"]
    clip = command_clip(tmp_path, "slice", SLICE, voice, pump, 10.0, rng, room)
    tally = score(clip, ours.hear(read_wav(tmp_path / "slice.wav")))
    right, false, wrong = VOICES[voice]
    assert tally.correct >= right, tally.misses
    assert tally.false <= false, tally.misses
    assert tally.wrong_amounts <= wrong, tally.misses

"""A small slice of the recognition benchmark, so a regression in hearing fails CI.

The same corpus code, the same real `hear` path and the same scoring as
`scripts/bench_recognition.py`, on a handful of commands at 10 dB (a pump-only minute of each
profile is `test_hearing.test_the_pump_alone_is_never_a_command`).
The full table (all phrasings, voices, pumps and SNRs, against the naive build) stays in
the benchmark.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.audio.pcm import read_wav
from assistant.audio.pump_noise import PROFILES
from assistant.audio.voices import FLITE_WOMEN
from assistant.bench.corpus import command_clip
from assistant.bench.scoring import score
from assistant.bench.systems import Ours
from assistant.hearing.models import EngineChoice
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
]
FLOOR = 22
"""Of the 40 utterances (8 commands, 5 voices) at least this many are heard right: 23 are
at the time of writing (issue 4's note), so a change that loses two or more fails here.
(26 before Whisper checked commands: it turns down a few real ones with the chatter; 21
before the log-spectral estimator.)"""


@pytest.fixture(scope="module")
def ours() -> Ours:
    return Ours(EngineChoice("pocketsphinx", None, "test"), Settings())


def test_commands_at_10_db_stay_above_the_floor(tmp_path: Path, ours: Ours) -> None:
    right = false = 0
    for voice in FLITE_WOMEN:
        clip = command_clip(
            tmp_path, "slice", SLICE, voice, PROFILES["double-electric"], 10.0, random.Random(3)
        )
        tally = score(clip, ours.hear(read_wav(tmp_path / "slice.wav")))
        right, false = right + tally.correct, false + tally.false
    assert right >= FLOOR
    assert false == 0

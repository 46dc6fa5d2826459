"""The benchmark's chatter must be chatter: a sentence the parser understands would turn a
correct command into a counted false activation."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.pcm import SAMPLE_RATE
from assistant.audio.pump_noise import PROFILES, changing_pump
from assistant.bench.chatter import CHATTER
from assistant.bench.corpus import Clip, Spoken
from assistant.bench.room import Room, microphone, reverberate
from assistant.bench.scoring import score
from assistant.bench.sets import REPORT, TUNING, voice_set
from assistant.commands import Command
from assistant.grammar import parse
from assistant.hearing.listener import Heard


@pytest.mark.parametrize("sentence", CHATTER)
def test_no_chatter_sentence_is_a_command(sentence: str) -> None:
    assert parse(sentence) is None


# --- the honest benchmark: sets, rooms, pumps, scoring ---------------------------------------


ROOM = Room(rt60_s=0.4, wet_db=-6.0, low_hz=200.0, high_hz=4000.0, level_db=(0.0, 0.0))


def test_the_report_set_shares_no_speech_engine_and_no_pump_with_the_tuning_set() -> None:
    """Nothing heard in the report set was tuned on: other engines, other pumps."""
    assert not {v.synth for v in TUNING.voices} & {v.synth for v in REPORT.voices}
    assert not set(TUNING.pumps) & set(REPORT.pumps)
    assert set(TUNING.families) == {v.synth for v in TUNING.voices}


def test_another_seed_moves_every_voice_but_keeps_its_engine() -> None:
    moved = voice_set("report", seed=3)
    assert [v.synth for v in moved.voices] == [v.synth for v in REPORT.voices]
    assert moved.voices != REPORT.voices


def test_a_room_keeps_the_length_and_rings_after_the_sound_stops() -> None:
    click = np.zeros(SAMPLE_RATE)
    click[100] = 1.0
    wet = reverberate(click, ROOM, seed=1)
    assert len(wet) == len(click)
    tail = wet[100 + round(0.05 * SAMPLE_RATE) : 100 + round(0.2 * SAMPLE_RATE)]
    assert np.sqrt(np.mean(tail**2)) > 1e-4  # the echo is still there 50-200 ms later


@pytest.mark.parametrize(("hz", "kept"), [(1000.0, True), (60.0, False), (7500.0, False)])
def test_the_microphone_hears_its_band_only(hz: float, kept: bool) -> None:
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    tone = np.sin(2 * np.pi * hz * t)
    heard = microphone(tone, ROOM)
    ratio = np.sqrt(np.mean(heard**2) / np.mean(tone**2))
    assert (ratio > 0.9) if kept else (ratio < 0.2)


def test_a_changing_pump_moves_its_level_from_minute_to_minute() -> None:
    """Stimulation to expression and the suction level moved: each minute sounds different."""
    noise = changing_pump(180.0, PROFILES["double-electric"], seed=2, every_s=60.0)
    assert len(noise) == 180 * SAMPLE_RATE
    assert np.sqrt(np.mean(noise**2)) == pytest.approx(1.0, rel=1e-6)
    levels = [np.sqrt(np.mean(part**2)) for part in np.split(noise, 3)]
    assert max(levels) / min(levels) > 1.1


def _clip(*said: Spoken) -> Clip:
    return Clip("c", "commands", "report", "festival", None, None, "v", said, 10.0)


def _heard(
    text: str,
    intent: str,
    amounts: dict[str, float] | None,
    runner_up: str = "",
    over_coach: bool = False,
) -> Heard:
    command = Command(intent=intent, amounts_ml=amounts, text=text, over_coach=over_coach)
    return Heard(command, text, 1.0, 2.0, 2.4, 1.0, 0.0, runner_up)


SIXTY = Spoken("log sixty", 1.0, 2.0, "log", {"total": 60.0})


@pytest.mark.parametrize(
    ("heard", "correct", "wrong", "asked"),
    [
        (_heard("log sixty", "log", {"total": 60.0}), 1, 0, 0),
        (_heard("log sixteen", "log", {"total": 16.0}), 0, 1, 0),
        (_heard("log sixteen", "log", {"total": 16.0}, runner_up="log sixty"), 1, 0, 1),
        (_heard("log sixteen", "log", {"total": 16.0}, runner_up="log six"), 0, 0, 1),
        (_heard("a hundred", "log", {"total": 100.0}, over_coach=True), 0, 0, 1),
        (_heard("next", "next", None), 0, 0, 0),
        (_heard("next", "next", None, runner_up="back"), 0, 0, 0),
    ],
)
def test_a_wrong_amount_is_counted_only_when_it_would_be_logged(
    heard: Heard, correct: int, wrong: int, asked: int
) -> None:
    """A log with amounts she did not say is the worst error; asked back (the engine could not
    tell, or the coach was talking), it is not logged, and it is right when she was offered
    what she said."""
    tally = score(_clip(SIXTY), [heard])
    assert (tally.correct, tally.wrong_amounts, tally.asked) == (correct, wrong, asked)


def test_a_log_where_nothing_was_said_is_a_wrong_amount_too() -> None:
    tally = score(_clip(), [_heard("log sixty", "log", {"total": 60.0})])
    assert (tally.false, tally.wrong_amounts) == (1, 1)

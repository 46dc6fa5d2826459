"""What the listener makes of a recognizer's reading: the command, and when the recognizer
could not tell two amounts apart, the runner-up's amounts with it (fast: a fake recognizer,
a burst of sound for an utterance)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.audio.pcm import SAMPLE_RATE, Audio, Samples, to_int16
from assistant.audio.source import frames_of
from assistant.hearing.echo import EchoRemoval
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Heard, Listener
from assistant.hearing.recognizer import Hypothesis
from assistant.settings import Settings
from tests.fakes import FakeRecognizer


def _one_utterance() -> Audio:
    """Quiet, then 0.8 s of loud noise where speech would be, then quiet."""
    rng = np.random.default_rng(1)
    quiet = rng.normal(0, 30, 6 * SAMPLE_RATE)
    quiet[3 * SAMPLE_RATE : round(3.8 * SAMPLE_RATE)] += rng.normal(
        0, 4000, round(0.8 * SAMPLE_RATE)
    )
    return Audio(to_int16(quiet), SAMPLE_RATE)


def _heard(reading: Hypothesis, listening: str = "commands") -> list[Heard]:
    recognizer = FakeRecognizer([reading])
    listener = Listener(recognizer, Settings().recognition, MicGate(never_speaking, 0.0))
    listener.listen_for(listening)
    found = [listener.push(frame) for frame in frames_of(_one_utterance())]
    return [h for h in found if h is not None]


@pytest.mark.parametrize(
    ("reading", "listening", "intent", "amounts", "runner_up"),
    [
        (Hypothesis("log sixty", 1.0), "commands", "log", {"total": 60.0}, None),
        (Hypothesis("log sixty", 1.0, 0.5, "log sixteen"), "commands", "log", {"total": 60.0},
         {"total": 16.0}),
        (Hypothesis("sixty", 1.0), "commands", None, None, None),
        (Hypothesis("sixty", 1.0, 0.5, "sixteen"), "amount", "log", {"total": 60.0},
         {"total": 16.0}),
        (Hypothesis("log sixty", 0.0), "commands", None, None, None),
    ],
)  # fmt: skip
def test_the_reading_becomes_a_command_with_its_runner_up(
    reading: Hypothesis,
    listening: str,
    intent: str | None,
    amounts: dict[str, float] | None,
    runner_up: dict[str, float] | None,
) -> None:
    """A bare amount is a log only while the coach waits for one; a runner-up's amounts ride
    along for the coach to ask; a reading the engine gave no confidence is no command."""
    [heard] = _heard(reading, listening)
    command = heard.command
    assert (command.intent if command else None) == intent
    assert (command.amounts_ml if command else None) == amounts
    assert (command.runner_up_ml if command else None) == runner_up


class _KeepsEverything:
    """An echo canceller that takes nothing out: the coach is merely sounding."""

    def cancel(self, heard: Samples, played: Samples) -> Samples:
        return heard


def _coach_sounding(t: float, samples: int) -> Samples:
    """The coach talks softly from 2 s to 5 s."""
    times = t + np.arange(samples) / SAMPLE_RATE
    rng = np.random.default_rng(abs(round(t * 1000)))
    return to_int16(np.where((times >= 2) & (times < 5), rng.normal(0, 150, samples), 0))


@pytest.mark.parametrize(
    ("spelled_near", "over_coach", "taken"),
    [(False, False, True), (True, False, True), (False, True, True), (True, True, False)],
)
def test_over_the_coach_a_command_found_only_by_its_spelling_is_not_taken(
    spelled_near: bool, over_coach: bool, taken: bool
) -> None:
    """Whisper read the coach's echo as "we can"; spelled like "again", it would repeat."""
    reading = Hypothesis("again", 1.0, spelled_near=spelled_near)
    echo = EchoRemoval(_KeepsEverything(), _coach_sounding) if over_coach else None
    listener = Listener(
        FakeRecognizer([reading]), Settings().recognition, MicGate(never_speaking, 0.0), echo
    )
    found = [listener.push(frame) for frame in frames_of(_one_utterance())]
    [heard] = [h for h in found if h is not None]
    assert (heard.command is not None) == taken
    assert heard.command is None or heard.command.over_coach == over_coach

"""Which readings the verifier weighs, with a fake proposer and a fake judge (fast)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pytest

from assistant.grammar import parse
from assistant.hearing.recognizer import Hypothesis
from assistant.hearing.scorer import Hearing
from assistant.hearing.verifier import VerifiedRecognizer
from assistant.settings import RecognitionSettings
from tests.fakes import FakeRecognizer


@dataclass
class _Judge:
    """Hears `free`, and finds any text that reads as `favourite` likeliest."""

    free: str
    favourite: str

    def hear(self, samples: np.ndarray) -> Hearing:
        return Hearing(self.free, None)

    def log_probs(self, heard: Hearing, texts: Sequence[str]) -> list[float]:
        return [0.0 if _amounts(t) == _amounts(self.favourite) else -3.0 for t in texts]


def _amounts(text: str) -> object:
    command = parse(text, "amount")
    return command.amounts_ml if command is not None else text


@pytest.mark.parametrize("listening", ["commands", "amount"])
@pytest.mark.parametrize("free", ["1.60", "1 65 milliliters", "Log 625 milliliters"])
def test_a_reading_whisper_wrote_in_digits_is_never_weighed(listening: str, free: str) -> None:
    """Whisper wrote "log sixty five milliliters" as "1.60": read back as words, that is an
    amount she never said, and 1.6 ml went into her record."""
    proposer = FakeRecognizer([Hypothesis("log sixty five milliliters", 0.5)])
    verified = VerifiedRecognizer(proposer, _Judge(free, "one point six"), RecognitionSettings())
    verified.listen_for(listening)  # type: ignore[arg-type]
    [reading] = verified.decode(np.zeros(1600, np.int16))
    command = parse(reading.text, "amount")
    assert command is None or command.amounts_ml == {"total": 65.0}, reading


@dataclass
class _ByAmount:
    """Hears `free`; a text is as likely as its amount says (`likely`, else very unlikely)."""

    free: str
    likely: dict[float, float]

    def hear(self, samples: np.ndarray) -> Hearing:
        return Hearing(self.free, None)

    def log_probs(self, heard: Hearing, texts: Sequence[str]) -> list[float]:
        return [self._score(text) for text in texts]

    def _score(self, text: str) -> float:
        command = parse(text, "amount")
        total = sum(command.amounts_ml.values()) if command and command.amounts_ml else None
        return self.likely.get(total, -50.0) if total is not None else -50.0


@pytest.mark.parametrize(
    ("listening", "proposed", "free", "likely", "runner_up"),
    [
        (
            "amount",
            "sixty nine",
            "Log 65 milliliters.",
            {69: -2, 65: -3},
            "log sixty five milliliters",
        ),
        ("amount", "sixty nine", "65.", {69: -2, 65: -1}, "sixty five"),
        ("amount", "sixty nine", "69.", {69: -2}, ""),
        ("amount", "sixty nine", "Sixty-nine.", {69: -2}, ""),
        ("commands", "log sixty five milliliters", "Log 625 milliliters", {65: -2, 625: -30}, ""),
        ("commands", "log forty", "I got 14.", {40: -2, 14: -4}, "i got fourteen"),
        ("commands", "pause", "Pours.", {}, ""),
    ],
)
def test_an_amount_whisper_heard_otherwise_is_asked_about(
    listening: str, proposed: str, free: str, likely: dict[float, float], runner_up: str
) -> None:
    """Through a sound server "sixty five" came out as "sixty nine" and was logged, where
    Whisper had heard 65. Where the two disagree on an amount and Whisper finds its own
    about as likely, spelled out, the coach asks; "625" for "sixty five" is its way of
    writing, not a doubt."""
    proposer = FakeRecognizer([Hypothesis(proposed, 0.5)])
    judge = _ByAmount(free, {float(k): v for k, v in likely.items()})
    verified = VerifiedRecognizer(proposer, judge, RecognitionSettings())
    verified.listen_for(listening)  # type: ignore[arg-type]
    [reading] = verified.decode(np.zeros(1600, np.int16))
    assert (reading.text, reading.runner_up) == (proposed, runner_up)

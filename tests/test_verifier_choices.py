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


@pytest.mark.parametrize(
    ("listening", "proposed", "free", "runner_up"),
    [
        ("amount", "sixty nine", "Log 65 milliliters.", "log 65 milliliters"),
        ("amount", "sixty nine", "69.", ""),
        ("amount", "sixty nine", "Sixty-nine.", ""),
        ("commands", "log forty milliliters", "I got 14 milliliter.", "i got 14 milliliter"),
        ("commands", "log forty milliliters", "Log 40 ml", ""),
        ("commands", "pause", "Pours.", ""),
    ],
)
def test_an_amount_whisper_heard_otherwise_is_asked_about(
    listening: str, proposed: str, free: str, runner_up: str
) -> None:
    """Through a sound server "sixty five" came out as "sixty nine" and was logged, while
    Whisper had read the amount right. Where the two disagree on an amount, the coach asks."""
    proposer = FakeRecognizer([Hypothesis(proposed, 0.5)])
    verified = VerifiedRecognizer(proposer, _Judge(free, proposed), RecognitionSettings())
    verified.listen_for(listening)  # type: ignore[arg-type]
    [reading] = verified.decode(np.zeros(1600, np.int16))
    assert (reading.text, reading.runner_up) == (proposed, runner_up)

"""Commands spelled like Whisper's free reading: what the verifier adds to weigh."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.grammar import parse
from assistant.hearing.nearest import nearest_commands


@pytest.mark.parametrize(
    ("whisper", "first"),
    [  # what Whisper tiny wrote for a command said over the benchmark's pumps
        ("and session", "end session"),
        ("which is tab", "which step"),
        ("see that again", "say that again"),
        ("I'll say that again", "say that again"),
        ("Roll ahead", "go ahead"),
        ("He's a much time", "how much time"),
        ("Take this step", "skip this step"),
        ("Buzz", "pause"),
        ("Next.", "next"),
    ],
)
def test_a_misheard_command_brings_the_command_first(whisper: str, first: str) -> None:
    assert nearest_commands(whisper)[0] == first


@pytest.mark.parametrize(
    "whisper",
    [
        "At 14",
        "I got 318",
        "Record 2019",
        "and each side 15",
        "record 1500",
        "Left, 13 fluid bounce",
    ],
)
def test_no_log_is_read_out_of_a_transcription(whisper: str) -> None:
    """An amount mended from misheard text put amounts she did not say into her record."""
    found = nearest_commands(whisper, limit=5, min_likeness=0.0)
    assert all(parse(command).intent != "log" for command in found)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "whisper",
    [
        "",
        "a",
        "S",
        "I'm",
        "the baby is finally asleep",
        "could you turn on the kettle",
        "I have 3 kids and 2 dogs at home today",
        "Thunder 10",
    ],
)
def test_noise_and_chatter_bring_nothing(whisper: str) -> None:
    assert nearest_commands(whisper) == []


def test_limit_and_likeness_are_honoured() -> None:
    assert len(nearest_commands("and session", limit=1)) == 1
    assert nearest_commands("Roll ahead", min_likeness=1.0) == []


@settings(deadline=None)  # speed is the benchmark's business (2-6 ms a reading, 61 ms worst)
@given(st.text(max_size=60))
def test_whatever_whisper_writes_only_commands_come_back(text: str) -> None:
    found = nearest_commands(text, limit=5, min_likeness=0.0)
    assert len(found) <= 5
    assert all(parse(command) is not None for command in found)

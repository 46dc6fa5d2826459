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
    ("whisper", "log"),
    [  # the same, for logs: numerals are spelled out, then mended word by word
        ("At 14", "add fourteen"),
        ("Left, 13 fluid bounce", "left thirteen fluid ounce"),
        ("I got 318", "i got three hundred and eighteen"),
        ("record 100 and a quarter", "record one hundred and a quarter"),
        ("7 and a half fluid ounce per side", "seven and a half fluid ounce per side"),
        ("I've got 28 aside", "i've got twenty eight a side"),
        ("Add 581 and 3 quarters", "add five hundred and eighty one and three quarters"),
        (
            "6 hundred nine fluid ounces from the right breast",
            "six hundred nine fluid ounces from the right breast",
        ),
        ("I pumped 7.0", "i pumped seven point zero"),
        ("Record 2019", "record two nineteen"),  # a year, as Whisper writes "two nineteen"
        ("and each side 15", "add each side fifteen"),  # log words only: one is swapped
    ],
)
def test_a_misheard_log_is_mended_word_by_word(whisper: str, log: str) -> None:
    assert log in nearest_commands(whisper)


def test_a_number_too_big_to_spell_stays_digits() -> None:
    assert nearest_commands("record 1500") == ["record 1500"]


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
        "Thunder 10",  # a word no log holds is mended, but log words are then kept
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
    assert len(found) <= 6
    assert all(parse(command) is not None for command in found)

"""What she reads on screen: words, not intent names or Python dicts."""

from __future__ import annotations

import pytest

from assistant.cli.shown_words import command_text
from assistant.grammar import parse
from assistant.units import Unit


@pytest.mark.parametrize(
    ("said", "unit", "shown"),
    [
        ("time left", "ml", "time left"),
        ("how long", "ml", "time left"),
        ("say that again", "ml", "repeat"),
        ("log 65 ml", "ml", "log 65 ml"),
        ("log 2 oz", "ml", "log 59.1 ml"),
        ("log 2 oz", "oz", "log 2 oz"),
        ("left 40 right 35", "ml", "log left 40, right 35 ml (75 in all)"),
    ],
)
def test_a_command_is_shown_in_words(said: str, unit: Unit, shown: str) -> None:
    command = parse(said)
    assert command is not None
    assert command_text(command, unit) == shown

"""The benchmark's chatter must be chatter: a sentence the parser understands would turn a
correct command into a counted false activation."""

from __future__ import annotations

import pytest

from assistant.bench.chatter import CHATTER
from assistant.grammar import parse


@pytest.mark.parametrize("sentence", CHATTER)
def test_no_chatter_sentence_is_a_command(sentence: str) -> None:
    assert parse(sentence) is None

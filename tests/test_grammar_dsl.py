"""The grammar tree: matching, preference order, semantic values, pruning and walking."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from assistant.grammar.dsl import (
    Alt,
    Numeral,
    Opt,
    Rule,
    Seq,
    Word,
    alt,
    longest,
    match,
    opt,
    parses,
    phrase,
    rule,
    rules,
    sample,
    seq,
    speech_only,
    words,
)

ONES = alt(phrase("one", 1), phrase("five", 5))
TENS = alt(phrase("sixty", 60), phrase("forty", 40))
NUMBER = rule("number", seq(TENS, opt(ONES), action=lambda v: v[0] + (v[1] or 0)))


def test_a_word_matches_exactly_one_equal_token() -> None:
    """A Word yields its value on its own token and nothing on any other input."""
    assert match(Word("next", "n"), ["next"]) == "n"
    assert match(Word("next"), ["nexts"]) is None
    assert match(Word("next"), ["next", "step"]) is None
    assert match(Word("next"), []) is None


def test_a_word_is_one_lowercase_token() -> None:
    """Multi-word or capitalised Words are grammar bugs, refused at construction."""
    for bad in ("Next", "next step", "", " next"):
        with pytest.raises(ValueError):
            Word(bad)


def test_a_phrase_is_a_sequence_of_words_with_one_value() -> None:
    """phrase("next step", v) matches both words and yields v."""
    assert match(phrase("next step", "n"), ["next", "step"]) == "n"
    assert match(phrase("next step", "n"), ["next"]) is None


def test_only_complete_parses_count() -> None:
    """Leftover tokens mean no match: the whole utterance must be the command."""
    assert match(NUMBER, ["sixty", "five"]) == 65
    assert match(NUMBER, ["sixty", "five", "please"]) is None


def test_an_optional_item_is_preferred_present() -> None:
    """Opt is greedy, so the first parse reads "sixty five" as 65 when 60 + 5 also fits."""
    pair = seq(NUMBER, opt(NUMBER), action=lambda v: v)
    salad = seq(NUMBER, opt(ONES), action=lambda v: v)
    assert match(pair, ["sixty", "forty"]) == (60, 40)
    assert list(parses(salad, ["sixty", "five"])) == [(65, None), (60, 5)]


def test_earlier_alternatives_win() -> None:
    """When several options complete, the first listed gives the value."""
    either = alt(phrase("go", "first"), phrase("go", "second"))
    assert match(either, ["go"]) == "first"
    assert list(parses(either, ["go"])) == ["first", "second"]


def test_a_seq_without_action_passes_on_its_only_value() -> None:
    """No action: the single valued child's value, None for none, a tuple for several."""
    assert match(seq("log", NUMBER), ["log", "sixty"]) == 60
    assert list(parses(seq("okay", "next"), ["okay", "next"])) == [None]
    assert match(seq(NUMBER, NUMBER), ["sixty", "forty"]) == (60, 40)


def test_a_seq_action_sees_every_child_value_in_order() -> None:
    """An action gets one value per child, None for absent or valueless ones."""
    seen = seq(opt("minus"), NUMBER, opt(phrase("ml", "ml")), action=lambda v: v)
    assert match(seen, ["sixty", "ml"]) == (None, 60, "ml")


def test_a_numeral_matches_typed_digits_as_decimals() -> None:
    """Numeral takes "60", "2.5" and ".5" exactly, and rejects other tokens."""
    assert match(Numeral(), ["60"]) == Decimal("60")
    assert match(Numeral(), ["2.5"]) == Decimal("2.5")
    assert match(Numeral(), [".5"]) == Decimal("0.5")
    for bad in ("1.2.3", "1e5", "sixty", "-5", "", "1234567"):
        assert match(Numeral(), [bad]) is None


def test_words_lists_the_vocabulary_with_or_without_typed_spellings() -> None:
    """words() is what a recognizer must know; typed-only words can be left out."""
    tree = seq(NUMBER, opt(alt(Word("ml", typed_only=True), "millilitres")), Numeral())
    assert words(tree) == {"sixty", "forty", "one", "five", "ml", "millilitres"}
    assert "ml" not in words(tree, include_typed=False)


def test_speech_only_drops_digits_and_typed_words_but_keeps_arity() -> None:
    """Pruned Opts become empty Seqs, so actions still see one value per child."""
    tree = rule("amount", seq(alt(NUMBER, Numeral()), opt(Word("ml", typed_only=True))))
    pruned = speech_only(tree)
    assert isinstance(pruned, Rule) and isinstance(pruned.body, Seq)
    first, second = pruned.body.items
    assert isinstance(first, Alt) and first.options == (NUMBER,)
    assert isinstance(second, Seq) and second.items == ()
    assert speech_only(Numeral()) is None
    assert speech_only(seq("log", Numeral())) is None
    assert speech_only(NUMBER) is NUMBER


def test_sampled_sentences_belong_to_the_grammar() -> None:
    """sample() only produces sentences that match the node it was drawn from."""
    rng = random.Random(7)
    tree = seq(opt("log"), alt(NUMBER, Numeral()), opt("ml"))
    for _ in range(200):
        sentence = sample(tree, rng).split()
        assert list(parses(tree, sentence)), sentence


def test_rules_are_listed_once_and_names_are_unique() -> None:
    """Serializers key rules by name, so a name may not stand for two rules."""
    top = rule("top", seq(NUMBER, opt(NUMBER)))
    assert [r.name for r in rules(top)] == ["top", "number"]
    with pytest.raises(ValueError):
        rules(rule("top", seq(rule("x", "a"), rule("x", "b"))))
    with pytest.raises(ValueError):
        Rule("Bad Name", Word("a"))


def test_longest_measures_the_longest_sentence() -> None:
    """longest() bounds what the grammar can say (tokens by default)."""
    assert longest(NUMBER) == 2
    assert longest(seq(opt("okay"), NUMBER, Opt(Numeral()))) == 4
    assert longest(NUMBER, lambda leaf: len(leaf.text) if isinstance(leaf, Word) else 0) == 9

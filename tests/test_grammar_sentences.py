"""Training sentences and vosk phrase lists: generated from the grammar, balanced, repeatable."""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import get_args

import pytest

from assistant.commands import Intent
from assistant.grammar import parse
from assistant.grammar.dsl import Alt, Numeral, Rule, alt, opt, rules, seq, speech_only, words
from assistant.grammar.rules import COMMAND, INTENT_PHRASES, TYPED_ONLY_WORDS
from assistant.grammar.sentences import (
    LOG_SAMPLES,
    RARE_OPTIONAL_RULES,
    USUAL_CHOICES,
    YES_NO_COPIES,
    expand,
    intent_phrases,
    speech_vocabulary,
    training_sentences,
    yes_no_sentences,
)

INTENTS: tuple[Intent, ...] = get_args(Intent)


@cache
def _sentences() -> tuple[str, ...]:
    return tuple(training_sentences())


@cache
def _intents() -> tuple[Intent, ...]:
    parsed = {sentence: parse(sentence) for sentence in set(_sentences())}
    found = []
    for sentence in _sentences():
        command = parsed[sentence]
        assert command is not None, sentence
        found.append(command.intent)
    return tuple(found)


def test_every_training_sentence_parses_to_a_command() -> None:
    """Whatever a model learns from these sentences, the parser understands."""
    assert len(_intents()) == len(_sentences())


def test_training_sentences_are_the_same_for_the_same_seed() -> None:
    """Same seed, same text (so models built from it are reproducible); another seed differs."""
    first = training_sentences(seed=3, log_samples=200)
    assert training_sentences(seed=3, log_samples=200) == first
    assert training_sentences(seed=4, log_samples=200) != first


def test_every_word_is_in_the_grammar_speech_vocabulary() -> None:
    """No digit, no typed-only spelling, nothing the grammar cannot say."""
    vocabulary = words(COMMAND, include_typed=False)
    assert speech_vocabulary() == vocabulary
    used = {w for s in [*_sentences(), *yes_no_sentences()] for w in s.split()}
    assert used <= vocabulary
    assert not used & TYPED_ONLY_WORDS


def test_every_speakable_intent_phrase_appears() -> None:
    """A phrase added to INTENT_PHRASES is trained on with no other edit."""
    sentences = set(_sentences())
    for intent, phrases in INTENT_PHRASES.items():
        for phrase in phrases:
            if set(phrase.split()) & TYPED_ONLY_WORDS:
                assert phrase not in sentences, phrase
            else:
                assert phrase in sentences, (intent, phrase)


def test_intent_phrases_leave_out_typed_only_spellings() -> None:
    """ "unpause" is typed, never said, so resume's spoken phrases skip it."""
    assert "continue" in intent_phrases("resume")
    assert "unpause" not in intent_phrases("resume")
    with pytest.raises(ValueError):
        intent_phrases("log")


def test_each_intent_weighs_about_as_much_as_log_samples_over_the_intents() -> None:
    """Intents are not drowned by the many log sentences: each gets its fair share."""
    counts = Counter(_intents())
    assert counts["log"] == LOG_SAMPLES
    share = LOG_SAMPLES / len(INTENTS)
    for intent in INTENTS:
        if intent != "log":
            assert 0.8 * share <= counts[intent] <= 1.25 * share, (intent, counts[intent])


def test_a_small_share_of_sentences_carries_a_prefix_or_suffix() -> None:
    """ "okay coach next please" is heard too, but plain commands are the norm."""
    prefixes = ("okay ", "ok ", "hey coach ", "coach ")
    decorated = [s for s in _sentences() if s.startswith(prefixes) or s.endswith(" please")]
    assert 0.03 * len(_sentences()) < len(decorated) < 0.25 * len(_sentences())


def test_log_samples_look_like_everyday_amounts() -> None:
    """Negative corrections are rare and most amounts are whole numbers, not bare fractions."""
    logs = [s for s, i in zip(_sentences(), _intents(), strict=True) if i == "log"]
    negative = [s for s in logs if {"minus", "negative"} & set(s.split())]
    assert len(negative) < 0.08 * len(logs)
    fractional = [s for s in logs if {"half", "quarter", "quarters", "point"} & set(s.split())]
    assert len(fractional) < 0.4 * len(logs)


def test_usual_choices_still_match_their_rules() -> None:
    """Each weighted rule exists and has as many alternatives as it has weights."""
    spoken = speech_only(COMMAND)
    assert isinstance(spoken, Rule)
    named = {r.name: r for r in rules(spoken)}
    for name, weights in USUAL_CHOICES.items():
        body = named[name].body
        assert isinstance(body, Alt), name
        assert len(body.options) == len(weights), name
    assert set(RARE_OPTIONAL_RULES) <= set(named)


def test_yes_no_sentences_hold_only_yes_and_no_in_balance() -> None:
    """The yes/no text is yes or no, each weighing about the same."""
    counts: Counter[str] = Counter()
    for sentence in yes_no_sentences():
        command = parse(sentence)
        assert command is not None, sentence
        counts[command.intent] += 1
    assert set(counts) == {"yes", "no"}
    assert abs(counts["yes"] - counts["no"]) <= 0.1 * YES_NO_COPIES
    assert set(intent_phrases("yes")) <= set(yes_no_sentences())


def test_expand_lists_every_sentence_of_a_small_node_in_preference_order() -> None:
    """Alternatives in order, an optional part first present then absent, no repeats."""
    node = seq(alt("hold on", "wait"), opt("please"))
    assert expand(node) == ["hold on please", "hold on", "wait please", "wait"]
    assert expand(alt("a", "a")) == ["a"]


def test_expand_refuses_digits_and_nodes_too_big_to_list() -> None:
    """Numerals are typed only; the number grammar must be sampled, not listed."""
    with pytest.raises(ValueError):
        expand(seq("log", Numeral()))
    log = speech_only(COMMAND)
    assert log is not None
    with pytest.raises(ValueError):
        expand(log, limit=1000)

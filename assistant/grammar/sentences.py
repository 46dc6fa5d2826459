"""Sentences of the command grammar, for the speech engines that learn from examples.

Statistical engines (a pocketsphinx n-gram model, vosk's phrase-list language model) learn
what can be said from example sentences rather than from the grammar tree itself. The
sentences here are all generated from `rules`, so a phrase added there is heard with no other
edit. Every phrase of every intent but `log` is listed in full; `log` has far too many
sentences (numbers, units, sides) to list, so it is sampled, with a seeded generator.

The sentences are balanced for n-gram training: each intent's phrases are repeated so that
an intent weighs about as much as `log_samples / len(intents)` sentences, and a small share
of sentences carry the grammar's prefixes and suffixes ("okay coach next please").
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import get_args

from assistant.commands import Intent
from assistant.grammar.dsl import (
    Alt,
    Node,
    Numeral,
    Opt,
    Rule,
    Seq,
    Word,
    rules,
    speech_only,
    words,
)
from assistant.grammar.rules import COMMAND, INTENT_RULES

LOG_SAMPLES = 3000
"""How many `log` sentences to sample for training by default."""
DECORATED_SHARE = 0.1
"""Share of sentences said with a prefix and/or suffix ("okay", "hey coach", "please")."""
YES_NO_COPIES = 100
"""How many sentences `yes` and `no` each weigh in the yes/no training text."""
RARE_OPTIONAL_RULES = {"minus": 0.03, "fraction": 0.2, "hedge": 0.1}
"""Optional parts that people seldom say, by rule name, and how often samples include them;
every other optional part is said half the time. A negative log is a correction, not the
norm: at one in two it would teach the language model that "log" is usually followed by
"minus"; and most amounts are whole numbers, not "sixty and a half"."""
USUAL_CHOICES: dict[str, tuple[float, ...]] = {
    "number": (9, 1),  # "sixty [and a half]" | a bare "half", "point five"
    "amount": (8, 1, 1),  # a number [unit] | "half an ounce" | "an ounce"
    "amount_with_unit": (8, 1, 1),
    "whole": (4, 1, 4, 0.2),  # "one [twenty]", "two hundred" | "a hundred" | "sixty" | "zero"
    "verb_amount": (9, 1),  # "log sixty" | "log forty and thirty five"
}
"""Weights of the alternatives of these rules' bodies, in order, for sampling. Picked
uniformly, half of all amounts would be bare fractions and a quarter of all numbers "zero",
teaching a language model that those are what people say. (A test checks each tuple still
matches its rule's alternatives.)"""
MAX_EXPANSIONS = 10_000
"""`expand` refuses nodes with more sentences than this (it is for the small intent rules)."""

INTENTS: tuple[Intent, ...] = get_args(Intent)
_YES_NO: tuple[Intent, ...] = ("yes", "no")

Sentence = tuple[str, ...]


def expand(node: Node, limit: int = MAX_EXPANSIONS) -> list[str]:
    """Every sentence of a finite, speech-only node, in the grammar's order of preference.

    ValueError if `node` holds a digit Numeral (prune it with `speech_only` first) or has
    more than `limit` sentences.
    """
    memo: dict[int, list[Sentence]] = {}

    def walk(n: Node) -> list[Sentence]:
        if id(n) in memo:
            return memo[id(n)]
        found: list[Sentence]
        match n:
            case Word():
                found = [(n.text,)]
            case Numeral():
                raise ValueError("digit Numerals cannot be spoken; prune with speech_only first")
            case Seq():
                found = [()]
                for item in n.items:
                    found = [head + tail for head in found for tail in walk(item)]
                    _check(len(found), limit)
            case Alt():
                found = [s for option in n.options for s in walk(option)]
            case Opt():
                found = [*walk(n.item), ()]
            case Rule():
                found = walk(n.body)
        _check(len(found), limit)
        memo[id(n)] = found
        return found

    return _unique(" ".join(s) for s in walk(node))


def _check(count: int, limit: int) -> None:
    if count > limit:
        raise ValueError(f"more than {limit} sentences; sample this node instead")


def sample_sentence(node: Node, rng: random.Random) -> str:
    """A random sentence of a speech-only node, in proportions closer to everyday use than a
    uniform pick: alternatives of the rules in `USUAL_CHOICES` are weighted, every other
    alternative is picked uniformly; optional parts are said half the time, except those
    in `RARE_OPTIONAL_RULES`."""
    out: list[str] = []

    def walk(n: Node, weights: Sequence[float] | None = None) -> None:
        match n:
            case Word():
                out.append(n.text)
            case Numeral():
                raise ValueError("digit Numerals cannot be spoken; prune with speech_only first")
            case Seq():
                for item in n.items:
                    walk(item)
            case Alt():
                if weights is not None and len(weights) == len(n.options):
                    walk(rng.choices(n.options, weights=weights)[0])
                else:
                    walk(rng.choice(n.options))
            case Opt():
                share = 0.5
                if isinstance(n.item, Rule):
                    share = RARE_OPTIONAL_RULES.get(n.item.name, share)
                if rng.random() < share:
                    walk(n.item)
            case Rule():
                walk(n.body, USUAL_CHOICES.get(n.name))

    walk(node)
    return " ".join(out)


def intent_phrases(intent: Intent) -> list[str]:
    """Every speakable phrase of a non-log intent (typed-only spellings left out)."""
    if intent == "log":
        raise ValueError("log has too many sentences to list; sample it")
    spoken = speech_only(INTENT_RULES[intent])
    return [] if spoken is None else expand(spoken)


def training_sentences(
    seed: int = 0,
    log_samples: int = LOG_SAMPLES,
    decorated_share: float = DECORATED_SHARE,
) -> list[str]:
    """Sentences for training a command language model; the same for the same arguments.

    Every phrase of every non-log intent, repeated so each intent weighs about
    `log_samples / len(intents)` sentences, then `log_samples` sampled log sentences.
    """
    rng = random.Random(seed)
    per_intent = max(1, round(log_samples / len(INTENTS)))
    decorate = _Decorator(rng, decorated_share)
    sentences: list[str] = []
    for intent in INTENTS:
        if intent != "log":
            sentences += _balanced(intent_phrases(intent), per_intent, decorate)
    log = speech_only(INTENT_RULES["log"])
    if log is not None:
        sentences += [decorate(sample_sentence(log, rng)) for _ in range(log_samples)]
    return sentences


def yes_no_sentences(
    seed: int = 0, copies: int = YES_NO_COPIES, decorated_share: float = DECORATED_SHARE
) -> list[str]:
    """Sentences for training the yes/no language model: `yes` and `no` weigh `copies` each."""
    decorate = _Decorator(random.Random(seed), decorated_share)
    sentences: list[str] = []
    for intent in _YES_NO:
        sentences += _balanced(intent_phrases(intent), copies, decorate)
    return sentences


def speech_vocabulary() -> set[str]:
    """Every word a speech engine may be asked to recognize (the grammar's spoken words)."""
    return words(COMMAND, include_typed=False)


def _balanced(phrases: Sequence[str], total: int, decorate: _Decorator) -> list[str]:
    """Each phrase about `total / len(phrases)` times (at least once, the first time plain)."""
    if not phrases:
        return []
    copies = max(1, round(total / len(phrases)))
    return [phrase if k == 0 else decorate(phrase) for phrase in phrases for k in range(copies)]


class _Decorator:
    """Adds a prefix and/or suffix of the command grammar to a share of sentences."""

    def __init__(self, rng: random.Random, share: float) -> None:
        self._rng = rng
        self._share = share
        named = {r.name: r for r in rules(COMMAND)}
        self._prefixes = _spoken_expansions(named.get("prefix"))
        self._suffixes = _spoken_expansions(named.get("suffix"))

    def __call__(self, sentence: str) -> str:
        rng = self._rng
        if rng.random() >= self._share or not (self._prefixes or self._suffixes):
            return sentence
        prefix = suffix = ""
        kind = rng.randrange(3)  # 0: prefix, 1: suffix, 2: both
        if kind != 1 and self._prefixes:
            prefix = rng.choice(self._prefixes)
        if kind != 0 and self._suffixes:
            suffix = rng.choice(self._suffixes)
        return " ".join(part for part in (prefix, sentence, suffix) if part)


def _spoken_expansions(node: Rule | None) -> list[str]:
    spoken = None if node is None else speech_only(node)
    return [] if spoken is None else expand(spoken)


def _unique(items: Iterable[str]) -> list[str]:
    """Items without repeats, in first-seen order."""
    return list(dict.fromkeys(items))

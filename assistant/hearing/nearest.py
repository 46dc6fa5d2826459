"""Commands that read most like a free transcription: "and session" is nearest "end session".

A recognizer that writes free text (Whisper) hears a command over the pump as something
close to it but seldom exactly it: "which is tab", "see that again", "at 14", "left, 13 fluid
bounce". The grammar decides what a command is, so nothing here guesses meaning: it only
proposes grammar sentences that are spelled like the text, for an acoustic judge to weigh
against the audio. Spelling is a rough stand-in for sound, which is why these are proposals
and never decisions.
"""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from functools import cache
from itertools import islice, product

from assistant.grammar.dsl import words
from assistant.grammar.parser import parse, tokens
from assistant.grammar.rules import FRACTIONS, INTENT_PHRASES, INTENT_RULES
from assistant.hearing.engine_grammar import intent_phrases

MIN_LETTERS = 3
"""Shorter text ("a", "S") is what Whisper writes for noise: nothing is near it."""
MIN_WORD_LIKENESS = 0.5
"""How alike a word must be to a word of a log to be read as it."""
WORD_CHOICES = 2
"""Log words tried in place of a word no log holds (and then leaving it out)."""
MAX_MENDINGS = 64
"""Ways of mending one text that are tried at most."""


def nearest_commands(text: str, limit: int = 3, min_likeness: float = 0.7) -> list[str]:
    """Up to `limit` command phrases spelled like `text` (at least `min_likeness` alike,
    0-1), likest first; then the text mended word by word into a log when it holds a
    number ("at 14" -> "add 14")."""
    said = " ".join(tokens(text))
    if sum(c.isalnum() for c in said) < MIN_LETTERS:
        return []
    likeness = sorted(((_likeness(said, p), p) for p in _phrases()), reverse=True)
    found = [p for score, p in likeness[:limit] if score >= min_likeness]
    mended = _mended_log(said.split())
    if mended is not None and mended not in found:
        found.append(mended)
    return found


def _likeness(a: str, b: str) -> float:
    """Alike in letters or in a rough key of their sounds ("at" and "add" sound alike)."""
    letters = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return max(letters, SequenceMatcher(None, _sound(a), _sound(b), autojunk=False).ratio())


def _sound(text: str) -> str:
    """Voiced and voiceless pairs as one letter, every vowel as one, no doubled letters."""
    key = text.translate(_SOUND_ALIKE)
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


_SOUND_ALIKE = str.maketrans("dbgvzqceiouyw'", "tpkfskkaaaaaa ")


def _mended_log(said: list[str]) -> str | None:
    """The text as a log, if it holds a numeral and a log is spelled like it: each word no
    log uses is read as one of the log words most like it, or dropped."""
    if not any(word[0].isdigit() for word in said):
        return None
    said = _fractions_joined(said)
    choices = [_log_word_choices(word) for word in said]
    for picked in islice(product(*choices), MAX_MENDINGS):
        text = " ".join(word for word in picked if word)
        command = parse(text)
        if command is not None and command.intent == "log":
            return text
    return None


def _fractions_joined(said: list[str]) -> list[str]:
    """ "100 and a quarter" as "100.25": the grammar takes a fraction after a spoken number
    only, and Whisper writes the number in digits but the fraction in words."""
    text = " ".join(said)
    for fraction, value in FRACTIONS.items():

        def joined(found: re.Match[str], value: str = value) -> str:
            return f"{Decimal(found[1]) + Decimal(value)}"

        text = re.sub(rf"\b(\d+) {fraction}\b", joined, text)
    return text.split()


def _log_word_choices(word: str) -> list[str]:
    """The word itself if a log can hold it; else the likeliest log words, then nothing."""
    if word[0].isdigit() or word in _log_words():
        return [word]
    scored = sorted(((_likeness(word, known), known) for known in _log_words()), reverse=True)
    return [known for score, known in scored[:WORD_CHOICES] if score >= MIN_WORD_LIKENESS] + [""]


@cache
def _phrases() -> tuple[str, ...]:
    """Every phrase of every intent but `log` that can be said."""
    return tuple(p for intent in INTENT_PHRASES for p in intent_phrases(intent))


@cache
def _log_words() -> tuple[str, ...]:
    return tuple(sorted(words(INTENT_RULES["log"], include_typed=False)))

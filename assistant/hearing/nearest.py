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
from collections.abc import Iterable, Iterator
from difflib import SequenceMatcher
from functools import cache, lru_cache
from itertools import islice, product

from assistant.grammar.dsl import words
from assistant.grammar.parser import parse, tokens
from assistant.grammar.rules import INTENT_PHRASES, INTENT_RULES, number_to_words
from assistant.hearing.engine_grammar import intent_phrases

MIN_LETTERS = 3
"""Shorter text ("a", "S") is what Whisper writes for noise: nothing is near it."""
MIN_WORD_LIKENESS = 0.5
"""How alike a word must be to a word of a log to be read as it."""
WORD_CHOICES = 3
"""Log words tried in place of a word no log holds (and then leaving it out); 3 rather
than 2 got 2 more of 1,200 benchmark commands right ("rounds" -> "ounces")."""
SWAP_CHOICES = 5
"""Log words tried, one at a time, in place of a log word when no mending parses."""
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
    return [*found, *(log for log in _mended_logs(said.split()) if log not in found)]


def _likeness(a: str, b: str) -> float:
    """Alike in letters or in a rough key of their sounds ("at" and "add" sound alike)."""
    letters = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return max(letters, SequenceMatcher(None, _sound(a), _sound(b), autojunk=False).ratio())


@lru_cache(maxsize=4096)
def _sound(text: str) -> str:
    """Voiced and voiceless pairs as one letter, every vowel as one, no doubled letters.
    Kept: the same 84 phrases and 70 log words are keyed on every utterance."""
    key = text.translate(_SOUND_ALIKE)
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


_SOUND_ALIKE = str.maketrans("dbgvzqceiouyw'", "tpkfskkaaaaaa ")


def _mended_logs(said: list[str]) -> list[str]:
    """The text as a log, if it holds a numeral and a log is spelled like it: numerals are
    spelled out, then each word no log uses is read as one of the log words most like it,
    or dropped. Only the first way found: offered more, Whisper liked the ones with a word
    dropped ("I got 28 aside" as "i got twenty eight") and 3 fewer were right. A text of
    log words only that is no log is read with one word as another ("and each side 15" ->
    "on each side fifteen", "add each side fifteen")."""
    if not any(word[0].isdigit() for word in said):
        return []
    said = " ".join(spelled_out(word) for word in said).split()
    choices = [_log_word_choices(word) for word in said]
    mended = list(islice(_logs(islice(product(*choices), MAX_MENDINGS)), 1))
    if mended or not all(_in_a_log(word) for word in said):
        return mended
    return list(islice(_logs(_swaps(said)), WORD_CHOICES))


def _logs(readings: Iterable[tuple[str, ...]]) -> Iterator[str]:
    """The readings that parse as logs, as text, parsed only as far as they are asked for."""
    texts = (" ".join(word for word in picked if word) for picked in readings)
    return (text for text in texts if (command := parse(text)) and command.intent == "log")


def _swaps(said: list[str]) -> Iterator[tuple[str, ...]]:
    """`said` with one of its log words read as a log word like it."""
    for i, word in enumerate(said):
        if word in _log_words():
            for alike in _alike_log_words(word, SWAP_CHOICES):
                yield (*said[:i], alike, *said[i + 1 :])


def spelled_out(word: str) -> str:
    """A numeral in the words the grammar reads ("581" -> "five hundred and eighty one",
    "29.50" -> "twenty nine point five zero"): Whisper writes "6 hundred nine", "581 and 3
    quarters" and "100 free", which only parse, or mend, once spelled. A year is read as
    the digit and the two digits said ("2019" -> "two nineteen"): Whisper writes "two
    nineteen" (219) that way."""
    found = _NUMERAL.fullmatch(word)
    if found is None or not any(found.groups()):
        return word
    whole, decimals = found[1], found[2] or ""
    if len(whole) == 4 and whole[0] != "0" and whole[1] == "0" and whole[2] != "0":
        return f"{number_to_words(int(whole[0]))} {number_to_words(int(whole[2:]))}"
    if len(whole) > 3:
        return word
    said = [number_to_words(int(whole))] if whole else []
    if decimals:
        said += ["point", *(number_to_words(int(digit)) for digit in decimals)]
    return " ".join(said)


_NUMERAL = re.compile(r"(\d*)(?:\.(\d+))?")
"""Digits, a decimal part, or both; 1000 and more stay digits (but for years), as the
grammar has no thousands."""


def _log_word_choices(word: str) -> list[str]:
    """The word itself if a log can hold it; else two log words it is made of ("aside" ->
    "a side", as Whisper writes it), the likeliest log words, then nothing."""
    if _in_a_log(word):
        return [word]
    return [*_splits(word), *_alike_log_words(word), ""]


def _in_a_log(word: str) -> bool:
    """A numeral, or a word a log says."""
    return word[0].isdigit() or word in _log_words()


def _alike_log_words(word: str, choices: int = WORD_CHOICES) -> list[str]:
    """The log words (but `word`) most like it, likest first."""
    others = (known for known in _log_words() if known != word)
    scored = sorted(((_likeness(word, known), known) for known in others), reverse=True)
    return [known for score, known in scored[:choices] if score >= MIN_WORD_LIKENESS]


def _splits(word: str) -> list[str]:
    """`word` as two log words run together, every way it can be."""
    known = _log_words()
    return [f"{word[:i]} {word[i:]}" for i in range(1, len(word)) if {word[:i], word[i:]} <= known]


@cache
def _phrases() -> tuple[str, ...]:
    """Every phrase of every intent but `log` that can be said."""
    return tuple(p for intent in INTENT_PHRASES for p in intent_phrases(intent))


@cache
def _log_words() -> frozenset[str]:
    return frozenset(words(INTENT_RULES["log"], include_typed=False))

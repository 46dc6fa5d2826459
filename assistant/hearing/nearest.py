"""Commands that read most like a free transcription: "and session" is nearest "end session".

A recognizer that writes free text (Whisper) hears a command over the pump as something
close to it but seldom exactly it: "which is tab", "see that again". The grammar decides what
a command is, so nothing here guesses meaning: it only proposes the grammar's phrases that
are spelled like the text, for an acoustic judge to weigh against the audio. Spelling is a
rough stand-in for sound, which is why these are proposals and never decisions.

Logs are not mended from the text: reading a number out of a mis-heard transcription put
amounts she did not say into her record, and a wrong amount is the worst error there is.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import cache, lru_cache

from assistant.grammar.parser import tokens
from assistant.grammar.rules import INTENT_PHRASES
from assistant.grammar.sentences import intent_phrases

MIN_LETTERS = 3
"""Shorter text ("a", "S") is what Whisper writes for noise: nothing is near it."""


def nearest_commands(text: str, limit: int = 3, min_likeness: float = 0.7) -> list[str]:
    """Up to `limit` command phrases (not logs) spelled like `text` (at least `min_likeness`
    alike, 0-1), likest first."""
    said = " ".join(tokens(text))
    if sum(c.isalnum() for c in said) < MIN_LETTERS:
        return []
    likeness = sorted(((_likeness(said, p), p) for p in _phrases()), reverse=True)
    return [p for score, p in likeness[:limit] if score >= min_likeness]


def _likeness(a: str, b: str) -> float:
    """Alike in letters or in a rough key of their sounds ("at" and "add" sound alike)."""
    letters = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return max(letters, SequenceMatcher(None, _sound(a), _sound(b), autojunk=False).ratio())


@lru_cache(maxsize=4096)
def _sound(text: str) -> str:
    """Voiced and voiceless pairs as one letter, every vowel as one, no doubled letters.
    Kept: the same phrases are keyed on every utterance."""
    key = text.translate(_SOUND_ALIKE)
    return "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])


_SOUND_ALIKE = str.maketrans("dbgvzqceiouyw'", "tpkfskkaaaaaa ")


@cache
def _phrases() -> tuple[str, ...]:
    """Every phrase of every intent but `log` that can be said."""
    return tuple(p for intent in INTENT_PHRASES for p in intent_phrases(intent))

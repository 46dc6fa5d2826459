"""Text in, `Command` out: normalise what was typed or heard, then match the grammar.

The grammar (`rules.COMMAND`) decides what is a command; this module only makes typed text
look like spoken words: lowercase, no punctuation, "60ml" as "60 ml", "sixty-five" as
"sixty five". It never raises, whatever the input, because a recognizer's or a keyboard's
odd output must never crash a session.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from assistant.commands import Command
from assistant.grammar.dsl import longest, match
from assistant.grammar.rules import ANSWER, COMMAND

Expecting = Literal["command", "amount"]
"""What the coach is waiting for: any command, or an amount (which may then be said alone)."""

MAX_TOKENS = longest(COMMAND)
"""No command has more words than the grammar's longest sentence; refuse longer text early."""
MAX_CHARS = 300
"""Longer text is no command (the longest sentence has about 220 characters); refusing it
before normalising keeps parsing fast, whatever is thrown at it."""

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
_MINUS_SIGN = re.compile(r"(?:^|(?<=\s))[-\u2212](?=\.?[0-9])")
_DIGIT_LETTER = re.compile(r"(?<=[0-9])(?=[a-z])|(?<=[a-z])(?=[0-9])")
_STRAY_DOT = re.compile(r"\.(?![0-9])|(?<=[a-z])\.")
_STRAY_APOSTROPHE = re.compile(r"(?<![a-z])'|'(?![a-z])")
_OTHER = re.compile(r"[^a-z0-9'.]+")


def tokens(text: str) -> list[str]:
    """The words of `text` as the grammar spells them (may be empty)."""
    s = unicodedata.normalize("NFKC", text).lower().translate(_APOSTROPHES)
    s = _MINUS_SIGN.sub(" minus ", s)
    s = _DIGIT_LETTER.sub(" ", s)
    s = _STRAY_DOT.sub(" ", s)
    s = _STRAY_APOSTROPHE.sub(" ", s)
    return _OTHER.sub(" ", s).split()


def parse(text: str, expecting: Expecting = "command") -> Command | None:
    """The command in `text`, or None if it is not exactly one command; never raises.

    While the coach waits for an amount, the amount alone is a log of it."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        return None
    words = tokens(text)
    if not words or len(words) > MAX_TOKENS:
        return None
    found = match(ANSWER if expecting == "amount" else COMMAND, words)
    if not isinstance(found, Command):
        return None
    return Command(intent=found.intent, amounts_ml=found.amounts_ml, text=text.strip())

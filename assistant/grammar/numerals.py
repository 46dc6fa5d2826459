"""Spoken numbers written as numerals: "log sixty five ml" as "log 65 ml".

Speech grammars spell numbers out, but a model trained on written text (Whisper) expects
them the way people write them; asked how likely "sixty five" is, it would judge the
spelling as much as the sound.
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.grammar.dsl import match
from assistant.grammar.rules import NUMBER, ONES, TEENS, TENS, number_to_words

_STARTS = frozenset([*ONES, *TEENS, *TENS, "zero"])
_LONGEST = 9
"""Words in the longest spoken number ("nine hundred and ninety nine and three quarters")."""


def with_numerals(text: str) -> str:
    """`text` with every spoken number (the longest run of words that is one) as digits."""
    words, out, i = text.split(), [], 0
    while i < len(words):
        starts = words[i] in _STARTS or words[i : i + 2] == ["a", "hundred"]
        found = _number_at(words, i) if starts else None
        if found is None:
            out.append(words[i])
            i += 1
        else:
            end, value = found
            out.append(f"{value.normalize():f}")
            i = end
    return " ".join(out)


def _number_at(words: list[str], start: int) -> tuple[int, Decimal] | None:
    for end in range(min(len(words), start + _LONGEST), start, -1):
        value = match(NUMBER, words[start:end])
        if isinstance(value, Decimal):
            return end, value
    return None


def spelled_out(word: str) -> str:
    """A numeral in the words the grammar reads ("581" -> "five hundred and eighty one",
    "29.5" -> "twenty nine point five"); anything else, and 1000 or more (the grammar has no
    thousands), as it is."""
    found = _NUMERAL.fullmatch(word)
    if found is None or not any(found.groups()) or len(found[1]) > 3:
        return word
    whole, decimals = found[1], found[2] or ""
    said = [number_to_words(int(whole))] if whole else []
    if decimals:
        said += ["point", *(number_to_words(int(digit)) for digit in decimals)]
    return " ".join(said)


_NUMERAL = re.compile(r"(\d*)(?:\.(\d+))?")
"""Digits, a decimal part, or both."""

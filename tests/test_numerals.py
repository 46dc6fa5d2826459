"""Spoken numbers as numerals, the way Whisper writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.grammar import number_to_words
from assistant.grammar.numerals import spelled_out, with_numerals


@pytest.mark.parametrize(
    ("spoken", "written"),
    [
        ("next", "next"),
        ("log sixty five milliliters", "log 65 milliliters"),
        ("log two and a half ounces", "log 2.5 ounces"),
        ("add one twenty", "add 120"),
        ("log one hundred and five ml left side", "log 105 ml left side"),
        ("log forty on the left and fifty on the right", "log 40 on the left and 50 on the right"),
        ("log zero point five ounces", "log 0.5 ounces"),
        ("log half an ounce", "log half an ounce"),
        ("i got three", "i got 3"),
        ("log a hundred and ten", "log 110"),
        ("a half", "a half"),
    ],
)
def test_numbers_become_numerals(spoken: str, written: str) -> None:
    assert with_numerals(spoken) == written


@given(st.integers(min_value=0, max_value=999))
def test_every_whole_number_the_grammar_reads_back_comes_back_as_itself(n: int) -> None:
    assert with_numerals(f"log {number_to_words(n)} ml") == f"log {n} ml"


@given(st.decimals(min_value=1, max_value=99, places=2))
def test_fractions_come_back_as_decimals(value: Decimal) -> None:
    """("A half" alone stays words: Whisper writes "half an ounce", not "0.5 an ounce".)"""
    words = number_to_words(value)
    assert Decimal(with_numerals(words)) == value


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("65", "sixty five"),
        ("581", "five hundred and eighty one"),
        ("29.5", "twenty nine point five"),
        ("1998", "1998"),
        ("sixty", "sixty"),
        ("", ""),
    ],
)
def test_a_numeral_is_spelled_as_the_grammar_reads_it(word: str, said: str) -> None:
    """What she answers as "65" is weighed as "sixty five"; 1000 and more stay digits."""
    assert spelled_out(word) == said

"""The text parser: what she may say or type, and what it means (generated from rules.py)."""

from __future__ import annotations

import random
import time
from decimal import Decimal
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.commands import Intent
from assistant.grammar import help_examples, number_to_words, parse
from assistant.grammar.dsl import sample, speech_only, words
from assistant.grammar.parser import MAX_CHARS, tokens
from assistant.grammar.rules import COMMAND, INTENT_RULES, to_ml

OZ = 29.5735

INTENTS: list[tuple[str, str]] = [
    ("next", "next"),
    ("next step", "next"),
    ("skip", "next"),
    ("skip it", "next"),
    ("skip this step", "next"),
    ("go on", "next"),
    ("move on", "next"),
    ("back", "back"),
    ("go back", "back"),
    ("previous", "back"),
    ("previous step", "back"),
    ("step back", "back"),
    ("pause", "pause"),
    ("wait", "pause"),
    ("hold on", "pause"),
    ("hang on", "pause"),
    ("resume", "resume"),
    ("continue", "resume"),
    ("carry on", "resume"),
    ("keep going", "resume"),
    ("go ahead", "resume"),
    ("unpause", "resume"),
    ("repeat", "repeat"),
    ("repeat that", "repeat"),
    ("say again", "repeat"),
    ("say that again", "repeat"),
    ("again", "repeat"),
    ("pardon", "repeat"),
    ("what was that", "repeat"),
    ("stop", "stop"),
    ("finish", "stop"),
    ("finished", "stop"),
    ("end", "stop"),
    ("end session", "stop"),
    ("i'm done", "stop"),
    ("i am done", "stop"),
    ("that's it", "stop"),
    ("time left", "time_left"),
    ("how long", "time_left"),
    ("how long left", "time_left"),
    ("how much longer", "time_left"),
    ("how much time", "time_left"),
    ("how much time is left", "time_left"),
    ("where am i", "status"),
    ("status", "status"),
    ("which step", "status"),
    ("what step", "status"),
    ("help", "help"),
    ("what can i say", "help"),
    ("commands", "help"),
    ("louder", "louder"),
    ("volume up", "louder"),
    ("speak up", "louder"),
    ("quieter", "quieter"),
    ("softer", "quieter"),
    ("volume down", "quieter"),
    ("slower", "slower"),
    ("slow down", "slower"),
    ("speak slower", "slower"),
    ("faster", "faster"),
    ("speed up", "faster"),
    ("speak faster", "faster"),
    ("undo", "undo"),
    ("undo that", "undo"),
    ("take it back", "undo"),
    ("take that back", "undo"),
    ("scratch that", "undo"),
    ("yes", "yes"),
    ("yeah", "yes"),
    ("yep", "yes"),
    ("yes please", "yes"),
    ("correct", "yes"),
    ("that's right", "yes"),
    ("confirm", "yes"),
    ("no", "no"),
    ("nope", "no"),
    ("no thanks", "no"),
    ("cancel", "no"),
    ("wrong", "no"),
    ("start", "start"),
    ("begin", "start"),
    ("let's go", "start"),
    ("let's start", "start"),
    ("ready", "start"),
    ("i'm ready", "start"),
    # politeness, case, punctuation, spacing, typographic apostrophes
    ("okay next", "next"),
    ("ok, pause", "pause"),
    ("Coach: repeat that.", "repeat"),
    ("hey coach, how long left?", "time_left"),
    ("okay coach status please", "status"),
    ("Next step, please!", "next"),
    ("  NEXT  ", "next"),
    ("I\u2019m done.", "stop"),
    ("That's it!", "stop"),
    ("Let's go!!", "start"),
    ("what   was\tthat?", "repeat"),
    ("hang-on", "pause"),
]


@pytest.mark.parametrize(("text", "intent"), INTENTS)
def test_each_intent_phrase_is_understood(text: str, intent: str) -> None:
    """Every listed phrase, with fillers, any case and punctuation, names its intent."""
    command = parse(text)
    assert command is not None, text
    assert command.intent == intent
    assert command.amounts_ml is None


LOGS: list[tuple[str, dict[str, float]]] = [
    # a verb and a plain amount: the total, in millilitres by default
    ("log sixty", {"total": 60}),
    ("record sixty five", {"total": 65}),
    ("i got seventy", {"total": 70}),
    ("got twelve", {"total": 12}),
    ("i pumped eighty", {"total": 80}),
    ("i've got ninety", {"total": 90}),
    ("add fifteen", {"total": 15}),
    ("log zero", {"total": 0}),
    ("log five", {"total": 5}),
    ("log one hundred", {"total": 100}),
    ("log one hundred and twenty", {"total": 120}),
    ("log two hundred five", {"total": 205}),
    ("log nine hundred and ninety nine", {"total": 999}),
    ("log a hundred", {"total": 100}),
    ("log a hundred and ten", {"total": 110}),
    ("log one twenty", {"total": 120}),
    ("log one twenty five", {"total": 125}),
    ("log one fifteen", {"total": 115}),
    ("log one oh five", {"total": 105}),
    ("log sixty five point five", {"total": 65.5}),
    ("log sixty point two five", {"total": 60.25}),
    ("log two and a half", {"total": 2.5}),
    ("log ten and a quarter", {"total": 10.25}),
    ("log ten and three quarters", {"total": 10.75}),
    # units: millilitres and ounces (1 oz = 29.5735 ml, rounded to hundredths)
    ("log sixty ml", {"total": 60}),
    ("log sixty mls", {"total": 60}),
    ("log sixty mil", {"total": 60}),
    ("log sixty mils", {"total": 60}),
    ("log sixty cc", {"total": 60}),
    ("log sixty millilitres", {"total": 60}),
    ("log sixty milliliters", {"total": 60}),
    ("log one millilitre", {"total": 1}),
    ("log two ounces", {"total": 59.15}),
    ("log one ounce", {"total": 29.57}),
    ("log three oz", {"total": 88.72}),
    ("log four fluid ounces", {"total": 118.29}),
    ("log two and a half ounces", {"total": 73.93}),
    ("log half an ounce", {"total": 14.79}),
    ("log a half ounce", {"total": 14.79}),
    ("log three quarters of an ounce", {"total": 22.18}),
    ("log an ounce", {"total": 29.57}),
    ("log an ounce and a half", {"total": 44.36}),
    ("log point five ounces", {"total": 14.79}),
    ("log one hundred and twenty millilitres", {"total": 120}),
    # no verb: a unit, a side or "total" makes it a log
    ("sixty ml", {"total": 60}),
    ("two ounces", {"total": 59.15}),
    ("half an ounce", {"total": 14.79}),
    ("left forty", {"left": 40}),
    ("total ninety", {"total": 90}),
    ("thirty each", {"left": 30, "right": 30}),
    # sides, in every form
    ("left forty, right thirty five", {"left": 40, "right": 35}),
    ("right thirty five left forty", {"left": 40, "right": 35}),
    ("forty left thirty five right", {"left": 40, "right": 35}),
    ("sixty on the left", {"left": 60}),
    ("sixty from the left", {"left": 60}),
    ("left side sixty", {"left": 60}),
    ("sixty from the right breast", {"right": 60}),
    ("on the right side fifty", {"right": 50}),
    ("sixty on the left and forty on the right", {"left": 60, "right": 40}),
    ("log left forty and right thirty", {"left": 40, "right": 30}),
    ("i got sixty on the left", {"left": 60}),
    ("left forty thirty right", {"left": 40, "right": 30}),
    ("left two right one ounces", {"left": 59.15, "right": 29.57}),
    ("left two ounces right sixty ml", {"left": 59.15, "right": 60}),
    ("left sixty right forty ml", {"left": 60, "right": 40}),
    # total and each
    ("ninety total", {"total": 90}),
    ("ninety in total", {"total": 90}),
    ("ninety altogether", {"total": 90}),
    ("log a total of ninety", {"total": 90}),
    ("in total ninety ml", {"total": 90}),
    ("thirty each side", {"left": 30, "right": 30}),
    ("thirty on each side", {"left": 30, "right": 30}),
    ("thirty per side", {"left": 30, "right": 30}),
    ("each side thirty", {"left": 30, "right": 30}),
    ("one ounce each", {"left": 29.57, "right": 29.57}),
    # negatives are represented (the state machine refuses them)
    ("log minus sixty", {"total": -60}),
    ("log negative five ml", {"total": -5}),
    ("left minus ten", {"left": -10}),
    ("log -60", {"total": -60}),
    # typed digits, units glued on, trailing dots, hyphens
    ("log 60ml", {"total": 60}),
    ("log 60 ml", {"total": 60}),
    ("60ml", {"total": 60}),
    ("log 2oz", {"total": 59.15}),
    ("log 2.5 oz", {"total": 73.93}),
    ("log .5 oz", {"total": 14.79}),
    ("log 2 fl. oz.", {"total": 59.15}),
    ("left 40 right 35", {"left": 40, "right": 35}),
    ("Log sixty-five millilitres.", {"total": 65}),
    ("LOG 120 ML", {"total": 120}),
    ("okay coach, log sixty, please", {"total": 60}),
    ("log 1000", {"total": 1000}),
    # measured by eye
    ("log about seventy", {"total": 70}),
    ("around two ounces", {"total": 59.15}),
    ("roughly sixty ml", {"total": 60}),
    ("left about forty right thirty", {"left": 40, "right": 30}),
    # two amounts and no sides: left, then right (the read-back names them)
    ("log sixty and forty", {"left": 60, "right": 40}),
    ("i got forty and thirty five ml", {"left": 40, "right": 35}),
]


@pytest.mark.parametrize(("text", "amounts"), LOGS)
def test_amounts_are_logged_in_millilitres(text: str, amounts: dict[str, float]) -> None:
    """Amounts in words or digits, with units and sides, become millilitres per side."""
    command = parse(text)
    assert command is not None, text
    assert command.intent == "log"
    assert command.amounts_ml == amounts


ANSWERS = [
    ("sixty five", {"total": 65}),
    ("about seventy", {"total": 70}),
    ("around a hundred", {"total": 100}),
    ("a hundred and ten", {"total": 110}),
    ("two ounces", {"total": 59.15}),
    ("forty and thirty five", {"left": 40, "right": 35}),
    ("okay, sixty, please", {"total": 60}),
    ("log sixty", {"total": 60}),
]


@pytest.mark.parametrize(("text", "amounts"), ANSWERS)
def test_while_an_amount_is_awaited_the_amount_alone_answers(
    text: str, amounts: dict[str, float]
) -> None:
    """The coach asked how much milk she got: "sixty five" is the answer, a log of it."""
    command = parse(text, "amount")
    assert command is not None, text
    assert (command.intent, command.amounts_ml) == ("log", amounts)


NOT_COMMANDS = [
    "",
    "   ",
    "?!",
    "honey can you bring water",
    "the baby is asleep",
    "sixty",  # a bare number is chatter: no verb, unit, side or "total"
    "sixty five",
    "next time",  # "next" counts only as the whole utterance
    "stop it honey",
    "stop it",  # said to a toddler or a partner, not to the coach
    "that's it good girl",
    "i'm done with this bottle",
    "wait for me",
    "okay",  # a filler alone is no command
    "coach",
    "please",
    "log",  # nothing to log
    "left",
    "log left",
    "log sixty thousand",  # beyond the grammar's numbers
    "left forty left thirty",  # the same side twice is no reading we can trust
    "sixty and forty",  # two amounts, but not asked for one and no verb
    "yes no",
    "next next",
    "log 1.2.3",
    "log 1e5",
    "last step",  # could mean "previous" or "the final step": left out as ambiguous
    "x" * (MAX_CHARS + 1),
    "next " * 100,
]


@pytest.mark.parametrize("text", NOT_COMMANDS)
def test_chatter_and_fragments_are_not_commands(text: str) -> None:
    """Anything that is not exactly one command parses to None."""
    assert parse(text) is None


def test_command_keeps_the_original_text_stripped() -> None:
    """`text` is what she said or typed, only stripped, for the screen and the log."""
    command = parse("  Okay, LOG 60ml!  ")
    assert command is not None
    assert command.text == "Okay, LOG 60ml!"


def test_typed_text_is_normalised_to_spoken_words() -> None:
    """Case, punctuation, glued units, hyphens and stray dots become plain tokens."""
    assert tokens("Log 60ml, Sixty-Five millilitres. I\u2019m 2.5oz -3") == [
        "log", "60", "ml", "sixty", "five", "millilitres", "i'm", "2.5", "oz", "minus", "3",
    ]  # fmt: skip


def test_help_examples_cover_every_intent_and_parse() -> None:
    """The spoken help has one example per intent, and each example is understood."""
    examples = help_examples()
    assert set(examples) == set(get_args(Intent))
    for intent, example in examples.items():
        command = parse(example)
        assert command is not None and command.intent == intent, example


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (0, "zero"),
        (7, "seven"),
        (13, "thirteen"),
        (65, "sixty five"),
        (100, "one hundred"),
        (120, "one hundred and twenty"),
        (999, "nine hundred and ninety nine"),
        (2.5, "two and a half"),
        (0.5, "a half"),
        (10.75, "ten and three quarters"),
        (1.3, "one point three"),
        (65.05, "sixty five point zero five"),
        (-3, "minus three"),
        (Decimal("59.15"), "fifty nine point one five"),
        (1000, "1000"),
    ],
)
def test_number_to_words_reads_numbers_as_the_grammar_says_them(value: float, said: str) -> None:
    """Read-backs use the grammar's own number words; 1000 and over fall back to digits."""
    assert number_to_words(value) == said


# ---------------------------------------------------------------- properties

_VOCABULARY = sorted(words(COMMAND))
_ODD = ["60", "2.5", ".", ",", "-", "'", "60ml", "\u2019", "\x00", "\u0130", "\ufdfa", "  "]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_never_raises_on_any_text(text: str) -> None:
    """Whatever arrives (any unicode), parse returns a Command or None."""
    parse(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY + _ODD), max_size=40))
def test_parse_is_quick_and_safe_on_word_salad(salad: list[str]) -> None:
    """Strings of grammar words (the worst case for backtracking) parse fast, without errors."""
    started = time.perf_counter()
    parse(" ".join(salad))
    assert time.perf_counter() - started < 0.5


@settings(max_examples=400, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from(get_args(Intent)))
def test_every_sentence_of_the_grammar_parses_to_its_intent(
    rng: random.Random, intent: Intent
) -> None:
    """One source: any sentence the grammar generates is understood as its own intent."""
    sentence = sample(INTENT_RULES[intent], rng)
    command = parse(sentence)
    assert command is not None, sentence
    assert command.intent == intent
    assert (command.amounts_ml is not None) == (intent == "log")


@settings(max_examples=300, deadline=None)
@given(st.randoms(use_true_random=False))
def test_every_spoken_sentence_of_the_command_grammar_parses(rng: random.Random) -> None:
    """What a speech engine can hear (wrappers included) always parses to a Command."""
    spoken = speech_only(COMMAND)
    assert spoken is not None
    sentence = sample(spoken, rng)
    assert parse(sentence) is not None, sentence


_SIDE_FORMS = {
    "total": ["log {n}", "log {n} {u}", "{n} {u}", "total {n}", "{n} in total"],
    "left": ["left {n}", "{n} on the left", "left side {n} {u}", "{n} {u} from the left"],
    "right": ["right {n}", "{n} on the right", "on the right {n} {u}"],
}


@settings(max_examples=400, deadline=None)
@given(
    st.integers(0, 999),
    st.sampled_from(["", "0.25", "0.5", "0.75", "0.1", "0.05", "0.35"]),
    st.sampled_from(sorted(_SIDE_FORMS)),
    st.sampled_from(["ml", "millilitres", "mils", "ounces", "fluid ounces", "oz"]),
    st.data(),
)
def test_amounts_in_words_read_back_to_their_value(
    whole: int, fraction: str, side: str, unit: str, data: st.DataObject
) -> None:
    """number_to_words(x) said as an amount (any side, any unit) parses back to x."""
    value = Decimal(whole) + Decimal(fraction or "0")
    form = data.draw(st.sampled_from(_SIDE_FORMS[side]))
    text = form.format(n=number_to_words(value), u=unit)
    in_ounces = "{u}" in form and ("ounce" in unit or unit == "oz")
    expected = to_ml(value, "oz" if in_ounces else "ml")
    command = parse(text)
    assert command is not None, text
    assert command.amounts_ml == {side: expected}, text
    assert expected == pytest.approx(float(value) * (OZ if in_ounces else 1), abs=0.006)

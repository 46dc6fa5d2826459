"""THE command grammar: every phrase, synonym, filler, number word, unit and side is here.

Everything that understands her (the text parser, the speech grammars, the spoken help, the
read-backs of numbers) is generated from this module, so a phrase added here is heard by
every recognizer with no other edit. Speech rules contain words only (no digits, no regex);
typed-only spellings are listed in `TYPED_ONLY_WORDS` and skipped by speech serializers.

A whole utterance must match: "next" is a command, "next time" is not. That is the main
guard against ordinary chatter near her being taken for a command.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, get_args

from assistant.commands import AmountKey, Command, Intent
from assistant.grammar.dsl import Item, Node, Numeral, Rule, Value, alt, opt, phrase, rule, seq
from assistant.units import ML_PER_UNIT, Unit


def _phrases(text: str) -> tuple[str, ...]:
    """Comma-separated phrases, so the tables below read like the lists people would write."""
    return tuple(p.strip() for p in text.split(","))


def _numbered(text: str, first: int, step: int) -> dict[str, int]:
    """Number words in order of value: `first`, then every `step` after it."""
    return {word: first + i * step for i, word in enumerate(_phrases(text))}


TYPED_ONLY_WORDS = frozenset(_phrases("ml, mls, oz, fl, unpause"))
"""Spellings people type but no speech dictionary knows; speech serializers skip them."""

INTENT_PHRASES: dict[Intent, tuple[str, ...]] = {
    "next": _phrases("next, next step, skip, skip it, skip this step, go on, move on"),
    "back": _phrases("back, go back, previous, previous step, step back"),
    "pause": _phrases("pause, wait, hold on, hang on"),
    "resume": _phrases("resume, continue, carry on, keep going, go ahead, unpause"),
    "repeat": _phrases(
        "repeat, repeat that, say again, say that again, again, pardon, what was that"
    ),
    "stop": _phrases(
        "stop, finish, finished, end, end session, i'm done, i am done, that's it, done, quit, exit"
    ),
    "time_left": _phrases(
        "time left, how long, how long left, how much longer, how much time, how much time is left"
    ),
    "status": _phrases("where am i, status, which step, what step"),
    "help": _phrases("help, what can i say, commands"),
    "louder": _phrases("louder, volume up, speak up"),
    "quieter": _phrases("quieter, softer, volume down"),
    "slower": _phrases("slower, slow down, speak slower"),
    "faster": _phrases("faster, speed up, speak faster"),
    "undo": _phrases("undo, undo that, take it back, take that back, scratch that"),
    "yes": _phrases("yes, yeah, yep, yes please, correct, that's right, confirm"),
    "no": _phrases("no, nope, no thanks, cancel, wrong"),
    "start": _phrases("start, begin, let's go, let's start, ready, i'm ready"),
}
"""Phrases per intent (all but `log`), the first one being what the spoken help offers."""

LOG_EXAMPLE = "log sixty millilitres"
"""What the spoken help offers for `log` (a test checks it parses)."""
LOG_VERBS = _phrases("log, record, add, got, i got, i've got, pumped, i pumped")
PREFIXES = _phrases("okay, ok, hey coach, okay coach, ok coach, coach")
SUFFIXES = _phrases("please")

ONES = _numbered("one, two, three, four, five, six, seven, eight, nine", first=1, step=1)
TEENS = _numbered(
    "ten, eleven, twelve, thirteen, fourteen, fifteen, sixteen, seventeen, eighteen, nineteen",
    first=10,
    step=1,
)
TENS = _numbered("twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety", first=20, step=10)
FRACTIONS = {"and a half": "0.5", "and a quarter": "0.25", "and three quarters": "0.75"}
"""Said after a whole number: "two and a half"."""
BARE_FRACTIONS = {"a half": "0.5", "half": "0.5", "a quarter": "0.25", "three quarters": "0.75"}
"""Said alone: "half an ounce", "a quarter ounce"; the first wording is the one read back."""

UNIT_WORDS: dict[Unit, tuple[str, ...]] = {
    "ml": _phrases("millilitres, millilitre, milliliters, milliliter, mils, mil, ccs, cc, mls, ml"),
    "oz": _phrases("fluid ounces, fluid ounce, ounces, ounce, fl oz, oz"),
}
LEFT_WORD, RIGHT_WORD = "left", "right"
SIDE_LEADS = _phrases("on, from")
SIDE_TAILS = _phrases("side, breast")
EACH_AFTER = _phrases("each, each side, on each side, from each side, per side, a side")
EACH_BEFORE = _phrases("each side, on each side")
TOTAL_BEFORE = _phrases("total, total of, a total of, in total")
TOTAL_AFTER = _phrases("total, in total, altogether")
MINUS = _phrases("minus, negative")
HEDGES = _phrases("about, around, roughly")
"""Said before an amount ("about seventy"): she measured by eye; the amount is taken as said."""


# ---------------------------------------------------------------- building blocks


def _p(text: str, value: Value = None) -> Node:
    return phrase(text, value, TYPED_ONLY_WORDS)


def _choice(name: str, table: dict[str, int] | dict[str, str]) -> Rule:
    return rule(name, alt(*(_p(text, Decimal(v)) for text, v in table.items())))


def _sum(values: tuple[Value, ...]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def _or_zero(value: Decimal | None) -> Decimal:
    """An absent optional number counts as zero (a Decimal, so arithmetic stays exact)."""
    return Decimal(0) if value is None else value


def _alt(*texts: str) -> Node:
    return alt(*(_p(t) for t in texts))


# ---------------------------------------------------------------- numbers (0 .. 999.99)

_ONES = _choice("ones", ONES)
_TEENS = _choice("teens", TEENS)
_TENS = _choice("tens", TENS)
_DIGIT = rule("digit", alt(_ONES, _p("zero", Decimal(0)), _p("oh", Decimal(0))))
_TWO_DIGITS = rule("two_digits", alt(seq(_TENS, opt(_ONES), action=_sum), _TEENS))  # 10..99
_BELOW_HUNDRED = rule("below_hundred", alt(_TWO_DIGITS, _ONES))
_HUNDRED_TAIL = seq(
    "hundred", opt(seq(opt("and"), _BELOW_HUNDRED)), action=lambda v: _or_zero(v[1])
)
_AFTER_ONES = rule(
    "after_ones",  # "[two] hundred and five", "[one] twenty" = 120, "[one] oh five" = 105
    alt(_HUNDRED_TAIL, _TWO_DIGITS, seq("oh", _ONES)),
)
_WHOLE = rule(
    "whole",  # 0..999; factored on the leading digit word to keep speech grammars small
    alt(
        seq(_ONES, opt(_AFTER_ONES), action=lambda v: v[0] if v[1] is None else v[0] * 100 + v[1]),
        seq("a", _HUNDRED_TAIL, action=lambda v: 100 + v[1]),
        _TWO_DIGITS,
        _p("zero", Decimal(0)),
    ),
)
_POINT = rule(
    "point_digits",  # "point five", "point two five": hundredths are all we keep
    seq("point", _DIGIT, opt(_DIGIT), action=lambda v: v[1] / 10 + _or_zero(v[2]) / 100),
)
_FRACTION = rule("fraction", alt(*(_p(t, Decimal(v)) for t, v in FRACTIONS.items()), _POINT))
_BARE_FRACTION = rule(
    "bare_fraction", alt(*(_p(t, Decimal(v)) for t, v in BARE_FRACTIONS.items()), _POINT)
)
_NUMBER = rule("number", alt(seq(_WHOLE, opt(_FRACTION), action=_sum), _BARE_FRACTION))
_MINUS = rule("minus", alt(*(_p(t, True) for t in MINUS)))
NUMBER = _NUMBER
"""A spoken number, "sixty" to "nine hundred and ninety nine and three quarters"."""


# ---------------------------------------------------------------- amounts


@dataclass(frozen=True)
class Quantity:
    """A number as said, with its unit if one was said with it."""

    value: Decimal
    unit: Unit | None


@dataclass(frozen=True)
class Part:
    """One piece of a log: an amount for a side, for each side, or for the total."""

    key: AmountKey | Literal["each"]
    quantity: Quantity


def _unit_rule(unit: Unit) -> Rule:
    return rule(f"unit_{unit}", alt(*(_p(t, unit) for t in UNIT_WORDS[unit])))


_OUNCE = _unit_rule("oz")
_UNIT = rule("unit", alt(_unit_rule("ml"), _OUNCE))


def _signed(v: tuple[Value, ...]) -> Decimal:
    value: Decimal = v[1]
    return -value if v[0] else value


_SIGNED_NUMBER = rule("signed_number", seq(opt(_MINUS), alt(_NUMBER, Numeral()), action=_signed))
_HEDGE = rule("hedge", _alt(*HEDGES))


def _amount(name: str, unit_required: bool) -> Rule:
    """A quantity: "sixty", "60 ml", "two and a half ounces", "half an ounce", "an ounce".
    "A" stands for one only before an ounce: nobody logs "a millilitre", and "a mil" is what
    the recognizer makes of a lost "sixty five millilitres"."""
    unit: Item = _UNIT if unit_required else opt(_UNIT)
    return rule(
        name,
        alt(
            seq(opt(_HEDGE), _SIGNED_NUMBER, unit, action=lambda v: Quantity(v[1], v[2])),
            seq(
                opt(_MINUS),
                _BARE_FRACTION,
                _alt("an", "a", "of an", "of a"),
                _OUNCE,
                action=lambda v: Quantity(_signed(v[:2]), v[3]),
            ),
            seq(
                opt(_MINUS),
                _alt("an", "a"),
                _OUNCE,
                opt(_FRACTION),
                action=lambda v: Quantity(_signed((v[0], 1 + _or_zero(v[3]))), v[2]),
            ),
        ),
    )


_AMOUNT = _amount("amount", unit_required=False)
_AMOUNT_WITH_UNIT = _amount("amount_with_unit", unit_required=True)


def _parts(key: AmountKey | Literal["each"], item: Item) -> Node:
    """An amount node whose value becomes a one-part tuple for `key`."""
    return seq(item, action=lambda v: (Part(key, v[0]),))


def _concat(values: tuple[Value, ...]) -> tuple[Part, ...]:
    return tuple(part for parts in values if parts is not None for part in parts)


def _side_ref(word: str) -> Rule:
    """ "left", "left side", "on the left", "from the left breast" ..."""
    return rule(
        f"side_{word}",
        seq(opt(_alt(*SIDE_LEADS)), opt("the"), word, opt(_alt(*SIDE_TAILS))),
    )


def _side_amount(word: str, key: AmountKey) -> Rule:
    """ "left forty", "forty on the left", "left side sixty" """
    ref = _side_ref(word)
    return rule(f"{word}_amount", _parts(key, alt(seq(ref, _AMOUNT), seq(_AMOUNT, ref))))


_LEFT = _side_amount(LEFT_WORD, "left")
_RIGHT = _side_amount(RIGHT_WORD, "right")
_SIDED = rule(
    "sided_amounts",  # "left forty right thirty five", "sixty on the left and forty on the right"
    alt(
        seq(_LEFT, opt(seq(opt("and"), _RIGHT)), action=_concat),
        seq(_RIGHT, opt(seq(opt("and"), _LEFT)), action=_concat),
    ),
)
_EACH = rule(
    "each_amount",  # "thirty each", "thirty on each side", "each side thirty"
    _parts("each", alt(seq(_AMOUNT, _alt(*EACH_AFTER)), seq(_alt(*EACH_BEFORE), _AMOUNT))),
)
_TOTAL = rule(
    "total_amount",  # "total ninety", "ninety in total"
    _parts("total", alt(seq(_alt(*TOTAL_BEFORE), _AMOUNT), seq(_AMOUNT, _alt(*TOTAL_AFTER)))),
)
_MARKED_AMOUNTS = rule(
    "marked_amounts",  # a side, "each", "total" or a unit: a log even without a verb
    alt(_SIDED, _EACH, _TOTAL, _parts("total", _AMOUNT_WITH_UNIT)),
)


def to_ml(value: Decimal, unit: Unit) -> float:
    """Millilitres, rounded half-up to hundredths: two ounces is exactly 59.15."""
    ml = (value * ML_PER_UNIT[unit]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(ml) + 0.0  # + 0.0 turns -0.0 into 0.0


def amounts_ml(parts: tuple[Part, ...]) -> dict[AmountKey, float]:
    """Parts to millilitres per key. A unit said once applies to the amounts said without one
    ("left two right one ounces" is ounces on both sides); with none said, millilitres."""
    said = [p.quantity.unit for p in parts if p.quantity.unit is not None]
    default: Unit = said[0] if said else "ml"
    result: dict[AmountKey, float] = {}
    for part in parts:
        ml = to_ml(part.quantity.value, part.quantity.unit or default)
        keys: tuple[AmountKey, ...] = ("left", "right") if part.key == "each" else (part.key,)
        for key in keys:
            result[key] = ml
    return result


_VERB = rule("log_verb", _alt(*LOG_VERBS))
_BARE_TOTAL = rule(
    "bare_total",  # "sixty", "about sixty": a log only after a verb, or as an answer
    _parts("total", seq(opt(_HEDGE), _SIGNED_NUMBER, action=lambda v: Quantity(v[1], None))),
)
_PAIR = rule(
    "pair",  # "forty and thirty five": left, then right (the read-back names the sides)
    seq(_parts("left", _AMOUNT), "and", _parts("right", _AMOUNT), action=_concat),
)
_LOG = rule(
    "log",
    seq(
        # A bare "sixty" is chatter; "log sixty" and "sixty ml" are logs. Written as two
        # branches rather than verb + any amount | marked amount, so no part of the grammar
        # is repeated: speech engines inline every rule reference, and size costs speed.
        alt(
            seq(opt(_VERB), _MARKED_AMOUNTS),
            seq(_VERB, rule("verb_amount", alt(_BARE_TOTAL, _PAIR))),
        ),
        action=lambda v: Command(intent="log", amounts_ml=amounts_ml(v[0])),
    ),
)


# ---------------------------------------------------------------- intents and the command


def _intent_rule(intent: Intent, phrases: tuple[str, ...]) -> Rule:
    command = Command(intent=intent)
    return rule(intent, seq(_alt(*phrases), action=lambda _v: command))


INTENT_RULES: dict[Intent, Rule] = {
    intent: _LOG if intent == "log" else _intent_rule(intent, INTENT_PHRASES[intent])
    for intent in get_args(Intent)
}
"""One rule per intent, in the contract's order; each yields a `Command` without text."""

_PREFIX = rule("prefix", _alt(*PREFIXES))
_SUFFIX = rule("suffix", _alt(*SUFFIXES))
COMMAND = rule("command", seq(opt(_PREFIX), alt(*INTENT_RULES.values()), opt(_SUFFIX)))
"""The top rule: one whole utterance, yielding a `Command` (its `text` left empty)."""
_BARE_AMOUNT = seq(
    alt(_parts("total", _AMOUNT), _PAIR),
    action=lambda v: Command(intent="log", amounts_ml=amounts_ml(v[0])),
)
ANSWER = rule("answer", seq(opt(_PREFIX), alt(*INTENT_RULES.values(), _BARE_AMOUNT), opt(_SUFFIX)))
"""What may be said while the coach waits for an amount: any command, or the amount alone
("sixty", "about two ounces", "forty and thirty five"), which is then a log of it."""


def help_examples() -> dict[Intent, str]:
    """One phrase per intent for the spoken help: the first listed, and `LOG_EXAMPLE`."""
    return {
        intent: LOG_EXAMPLE if intent == "log" else INTENT_PHRASES[intent][0]
        for intent in get_args(Intent)
    }


# ---------------------------------------------------------------- numbers back to words


def number_to_words(value: float | int | Decimal) -> str:
    """Words the grammar reads back as `value` (to hundredths): 65 -> "sixty five",
    2.5 -> "two and a half", 0.5 -> "a half", 1.3 -> "one point three".

    For spoken read-backs too. Beyond the grammar's range (1000 or more) it gives digits.
    """
    d = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if abs(d) >= 1000:
        return f"{d.normalize():f}"
    sign = "minus " if d < 0 else ""
    whole, fraction = divmod(abs(d), 1)
    if not fraction:
        return sign + _int_words(int(whole))
    named: dict[Decimal, str] = {}
    for text, v in (FRACTIONS if whole else BARE_FRACTIONS).items():
        named.setdefault(Decimal(v), text)  # the first listed wording: "a half", not "half"
    if fraction in named:
        tail = named[fraction]
        return sign + (f"{_int_words(int(whole))} {tail}" if whole else tail)
    digits = f"{fraction:.2f}"[2:].rstrip("0")
    said = " ".join(_DIGIT_WORDS[int(c)] for c in digits)
    return f"{sign}{_int_words(int(whole))} point {said}"


_DIGIT_WORDS = ["zero", *ONES]
_TEEN_WORDS = {v: t for t, v in TEENS.items()}
_TENS_WORDS = {v: t for t, v in TENS.items()}


def _int_words(n: int) -> str:
    """0..999 in words: "one hundred and twenty", "sixty five", "zero"."""
    if n == 0:
        return "zero"
    hundreds, rest = divmod(n, 100)
    parts = [f"{_DIGIT_WORDS[hundreds]} hundred"] if hundreds else []
    if rest:
        if hundreds:
            parts.append("and")
        if rest < 10:
            parts.append(_DIGIT_WORDS[rest])
        elif rest < 20:
            parts.append(_TEEN_WORDS[rest])
        else:
            tens, ones = divmod(rest, 10)
            parts.append(_TENS_WORDS[tens * 10] + (f" {_DIGIT_WORDS[ones]}" if ones else ""))
    return " ".join(parts)

"""Her unit: stored in millilitres, spoken and shown in ml or oz, converted both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.units import (
    ML_PER_OZ,
    Unit,
    exported,
    number,
    parse_amount,
    shown,
    spoken,
    to_ml,
    to_unit,
)

AMOUNT_ML = st.floats(min_value=0, max_value=5000, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("ml", "unit", "said"),
    [
        (60, "ml", "60 millilitres"),
        (59.15, "ml", "59 millilitres"),  # two ounces, as a person says it
        (0.4, "ml", "0 millilitres"),
        (1, "ml", "1 millilitre"),
        (0, "ml", "0 millilitres"),
        (59.15, "oz", "2 ounces"),
        (ML_PER_OZ, "oz", "1 ounce"),
        (44.36, "oz", "1.5 ounces"),
        (100, "oz", "3.4 ounces"),
        (0, "oz", "0 ounces"),
    ],
)
def test_amounts_are_said_in_her_unit(ml: float, unit: Unit, said: str) -> None:
    """Whole millilitres, ounces to one decimal; singular for exactly one."""
    assert spoken(ml, unit) == said


@pytest.mark.parametrize(
    ("ml", "unit", "text"), [(75, "ml", "75 ml"), (75, "oz", "2.5 oz"), (29.57, "oz", "1 oz")]
)
def test_amounts_are_shown_with_the_unit(ml: float, unit: Unit, text: str) -> None:
    """Tables and charts show the number and the unit's short name."""
    assert shown(ml, unit) == text


@given(ml=AMOUNT_ML, unit=st.sampled_from(["ml", "oz"]))
def test_converting_there_and_back_gives_the_same_millilitres(ml: float, unit: Unit) -> None:
    """to_unit then to_ml is the identity (up to float rounding)."""
    assert to_ml(to_unit(ml, unit), unit) == pytest.approx(ml, abs=1e-9)


@given(ml=AMOUNT_ML.map(lambda v: round(v, 2)), unit=st.sampled_from(["ml", "oz"]))
def test_exported_numbers_lose_nothing_that_was_stored(ml: float, unit: Unit) -> None:
    """A CSV value converted back to ml gives the stored hundredths of a millilitre exactly."""
    assert round(to_ml(exported(ml, unit), unit), 2) == ml


@pytest.mark.parametrize(
    ("text", "default", "ml"),
    [
        ("45", "ml", 45.0),
        ("45", "oz", 1330.81),
        ("1.5", "oz", 44.36),
        ("45ml", "oz", 45.0),
        ("45 ML", "oz", 45.0),
        ("1.5oz", "ml", 44.36),
        ("2 ounces", "ml", 59.15),
        ("1 ounce", "ml", 29.57),
        ("60 millilitres", "oz", 60.0),
        (".5oz", "ml", 14.79),
        ("0", "ml", 0.0),
    ],
)
def test_typed_amounts_become_millilitres(text: str, default: Unit, ml: float) -> None:
    """A bare number is in her unit; a unit written after it wins."""
    assert parse_amount(text, default) == ml


@pytest.mark.parametrize("text", ["", "abc", "-5", "5 kg", "1,5", "5 ml ml", "nan", "inf"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    """Negative numbers, other units and words are ValueErrors saying what is expected."""
    with pytest.raises(ValueError, match="not an amount like"):
        parse_amount(text, "ml")


@given(text=st.text(max_size=20))
def test_parsing_any_text_gives_an_amount_or_a_value_error(text: str) -> None:
    """Arbitrary text never crashes the parser in any other way, and amounts are never negative."""
    try:
        value = parse_amount(text, "oz")
    except ValueError:
        return
    assert value >= 0


def test_numbers_are_rounded_for_the_ear_not_truncated() -> None:
    """59.96 ml is "60", not "59.9"; 0.04 oz is "0"."""
    assert number(59.96, "ml") == "60"
    assert number(0.04 * ML_PER_OZ, "oz") == "0"

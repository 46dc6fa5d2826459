"""Her unit of milk: what is spoken and shown is in it; what is stored is always millilitres.

Keeping one conversion point means the store, the `history --json` contract and every
sum stay in ml, and only the last step before her ears or eyes changes the number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

Unit = Literal["ml", "oz"]
"""`ml` (millilitres) or `oz` (US fluid ounces)."""

UNITS: tuple[Unit, ...] = ("ml", "oz")
ML_PER_UNIT: dict[Unit, Decimal] = {"ml": Decimal(1), "oz": Decimal("29.5735")}
"""Millilitres in one of each unit, exactly (the grammar converts what she says with it)."""
ML_PER_OZ = float(ML_PER_UNIT["oz"])
"""Millilitres in one US fluid ounce."""

DASH = "\u2013"
"""The en dash between the ends of a range, as in 60-110 ml or 3-16 May, printed properly."""
SPOKEN = {"ml": "millilitres", "oz": "ounces"}
"""How each unit is said aloud."""
DECIMALS: dict[Unit, int] = {"ml": 1, "oz": 1}
"""Decimals spoken and shown: 0.1 oz is about 3 ml, as fine as anyone measures milk."""
SAID_DECIMALS: dict[Unit, int] = {"ml": 0, "oz": 1}
"""Decimals spoken: nobody says "fifty nine point one millilitres" (two ounces)."""
EXPORT_DECIMALS = {"ml": 2, "oz": 4}
"""Decimals written to CSV: enough that converting back to ml loses nothing that was stored."""


def to_unit(ml: float, unit: Unit) -> float:
    """Millilitres as a number in `unit` (not rounded)."""
    return ml / ML_PER_OZ if unit == "oz" else ml


def to_ml(value: float, unit: Unit) -> float:
    """A number in `unit` as millilitres (not rounded)."""
    return value * ML_PER_OZ if unit == "oz" else value


def number(ml: float, unit: Unit, decimals: dict[Unit, int] = DECIMALS) -> str:
    """Millilitres as her number, for the eye: 60 -> "60", 59.15 ml -> "2" oz."""
    rounded = round(to_unit(ml, unit), decimals[unit])
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def said_number(ml: float, unit: Unit) -> str:
    """Millilitres as her number, for the ear: 59.15 -> "59"; in oz, "2"."""
    return number(ml, unit, SAID_DECIMALS)


def spoken(ml: float, unit: Unit) -> str:
    """60 -> "60 millilitres"; 59.15 in oz -> "2 ounces"; 29.57 in oz -> "1 ounce"."""
    text = said_number(ml, unit)
    word = SPOKEN[unit]
    return f"{text} {word[:-1] if text == '1' else word}"


def shown(ml: float, unit: Unit) -> str:
    """60 -> "60 ml"; for tables and charts."""
    return f"{number(ml, unit)} {unit}"


def exported(ml: float, unit: Unit) -> float:
    """The number written to a spreadsheet column headed with `unit`."""
    return round(to_unit(ml, unit), EXPORT_DECIMALS[unit])


_AMOUNT = re.compile(
    r"^\s*(?P<value>\d+(?:\.\d+)?|\.\d+)\s*(?P<unit>ml|millilitres?|milliliters?|oz|ounces?)?\s*$",
    re.IGNORECASE,
)


def parse_amount(text: str, default: Unit) -> float:
    """ "45", "45ml", "1.5 oz" -> millilitres; a bare number is in `default`. ValueError if not."""
    found = _AMOUNT.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not an amount like 45, 45ml or 1.5oz")
    written = (found["unit"] or default).lower()
    unit: Unit = "oz" if written.startswith(("oz", "ounce")) else "ml"
    return round(to_ml(float(found["value"]), unit), 2)

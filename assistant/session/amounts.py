"""Rules about logged amounts, shared by the state machine, the store and the reports."""

from __future__ import annotations

from collections.abc import Mapping

from assistant.session.events import AmountKey

MAX_SIDE_ML = 500.0
"""More than this from one breast in one session is asked back before it is stored."""
MAX_TOTAL_ML = 2 * MAX_SIDE_ML
"""The same bound for a total said without sides."""


def entry_total(amounts_ml: Mapping[AmountKey, float]) -> float:
    """What one entry adds to the session: its stated total, else left plus right."""
    if "total" in amounts_ml:
        return round(amounts_ml["total"], 2)
    return round(amounts_ml.get("left", 0.0) + amounts_ml.get("right", 0.0), 2)


def has_negative(amounts_ml: Mapping[AmountKey, float]) -> bool:
    return any(value < 0 for value in amounts_ml.values())


def is_implausible(amounts_ml: Mapping[AmountKey, float]) -> bool:
    """Zero, or more than one breast gives in a session: worth a yes/no before storing."""
    too_much_on_a_side = any(amounts_ml.get(side, 0.0) > MAX_SIDE_ML for side in ("left", "right"))
    return (
        too_much_on_a_side
        or amounts_ml.get("total", 0.0) > MAX_TOTAL_ML
        or entry_total(amounts_ml) == 0
    )

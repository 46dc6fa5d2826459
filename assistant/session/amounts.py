"""Rules about logged amounts, shared by the state machine, the store and the reports.

A wrong amount in her record is the worst error, and a question costs her two seconds. So an
amount past what a breast gives in a session, or far past her own best, is asked back before
it is stored; one no person could pump is refused outright, and she says it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from assistant.commands import AmountKey

ASK_SIDE_ML = 250.0
"""More than this from one breast in one session is asked back: in measured feeds a breast gave
0-240 ml (Kent et al., Pediatrics 2006;117:e387)."""
ASK_TOTAL_ML = 2 * ASK_SIDE_ML
"""The same bound for a total said without sides."""
ABSURD_SIDE_ML = 1000.0
"""More than this from one breast is no amount anyone pumps: refused, not asked."""
ABSURD_TOTAL_ML = 2 * ABSURD_SIDE_ML
FAR_ABOVE_HER_BEST = 2.0
"""A session this many times her best of recent sessions is asked back, ..."""
HER_BEST_MATTERS_ML = 150.0
"""... once it is above this: from a best of 30 ml, 70 ml is a good day, not a mishearing."""

Plausibility = Literal["fine", "ask", "absurd"]


def entry_total(amounts_ml: Mapping[AmountKey, float]) -> float:
    """What one entry adds to the session: its stated total, else left plus right."""
    if "total" in amounts_ml:
        return round(amounts_ml["total"], 2)
    return round(amounts_ml.get("left", 0.0) + amounts_ml.get("right", 0.0), 2)


def has_negative(amounts_ml: Mapping[AmountKey, float]) -> bool:
    return any(value < 0 for value in amounts_ml.values())


def plausibility(
    amounts_ml: Mapping[AmountKey, float], session_ml: float = 0.0, her_best_ml: float | None = None
) -> Plausibility:
    """Whether an entry can be stored as said, is worth a yes/no first, or is refused.
    `session_ml`: what the session had before it; `her_best_ml`: her largest recent session
    (None while her record is too short to say)."""
    sides = [amounts_ml.get(side, 0.0) for side in ("left", "right")]
    total = entry_total(amounts_ml)
    if max(sides) > ABSURD_SIDE_ML or total > ABSURD_TOTAL_ML:
        return "absurd"
    if max(sides) > ASK_SIDE_ML or total > ASK_TOTAL_ML or total == 0:
        return "ask"
    after = session_ml + total
    if her_best_ml is not None and after > max(
        FAR_ABOVE_HER_BEST * her_best_ml, HER_BEST_MATTERS_ML
    ):
        return "ask"
    return "fine"

"""The one decision: the likeliest command is taken when it is within the margin of Whisper's
free reading, and a log whose close runner-up says other amounts is asked back."""

from __future__ import annotations

import pytest

from assistant.hearing.decision import decide
from assistant.hearing.grammar_search import Found, Reading

MARGIN, ASK = 3.0, 2.0


def _found(free: float, *commands: tuple[str, float]) -> Found:
    return Found(
        Reading(("free",), "Free reading.", free),
        [Reading(tuple(text.lower().split()), text, lp) for text, lp in commands],
    )


@pytest.mark.parametrize(
    ("found", "text", "confidence", "runner_up"),
    [
        (_found(-2.0, ("Next.", -2.5)), "Next.", 1.0, ""),
        (_found(-2.0, ("Next.", -5.0)), "Next.", 1.0, ""),
        (_found(-2.0, ("Next.", -5.1)), "Free reading.", 0.0, ""),
        (_found(-2.0), "Free reading.", 0.0, ""),
        (_found(-3.0, ("Log 60.", -1.0), ("Log 16.", -2.5)), "Log 60.", 1.0, "Log 16."),
        (_found(-3.0, ("Log 60.", -1.0), ("Log 16.", -3.5)), "Log 60.", 1.0, ""),
        (_found(-3.0, ("Log 60.", -1.0), ("Log sixty.", -1.5)), "Log 60.", 1.0, ""),
        (_found(-3.0, ("Log 60.", -1.0), ("Next.", -1.5)), "Log 60.", 1.0, ""),
        (_found(-3.0, ("Next.", -1.0), ("Log 16.", -1.5)), "Next.", 1.0, ""),
        (
            _found(-3.0, ("Left 40.", -1.0), ("Left 40 right 35.", -2.0)),
            "Left 40.",
            1.0,
            "Left 40 right 35.",
        ),
    ],
)
def test_the_decision_rule(found: Found, text: str, confidence: float, runner_up: str) -> None:
    """Within the margin: the command; beyond it: the free reading, as no command. A log's
    runner-up with other amounts within the ask margin goes with it; the same amounts spelled
    another way, or another kind of command, do not."""
    heard = decide(found, MARGIN, ASK)
    assert (heard.text, heard.confidence, heard.runner_up) == (text, confidence, runner_up)


def test_the_shortfall_is_how_far_below_the_free_reading() -> None:
    """The evidence is kept, for tuning: free reading minus the command's score."""
    assert decide(_found(-2.0, ("Next.", -4.5)), MARGIN, ASK).shortfall == pytest.approx(2.5)

"""Answers in context, typed or scripted as well as spoken: while the coach waits for her
yield, the amount alone is her answer."""

from __future__ import annotations

import pytest

from assistant.runtime.runner import SessionRunner
from assistant.session.plan import build_plan
from assistant.session.state import initial_state
from tests.fakes import tiny_routine


@pytest.mark.parametrize(
    ("answer", "ml"),
    [("sixty five", 65.0), ("a hundred and ten", 110.0), ("2 oz", 59.15), ("65", 65.0)],
)
def test_a_bare_amount_answers_how_much_she_got(answer: str, ml: float) -> None:
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [])
    runner.begin(0.0)
    runner.hear(1.0, "stop")
    runner.hear(2.0, "yes")
    command = runner.hear(3.0, answer)
    assert command is not None and command.intent == "log"
    assert [e.total_ml for e in runner.state.logged] == [ml]


def test_a_bare_amount_is_chatter_while_the_routine_runs() -> None:
    """Mid-routine "sixty five" is no log: a number overheard is not her yield."""
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [])
    runner.begin(0.0)
    assert runner.hear(1.0, "sixty five") is None
    assert not runner.state.logged

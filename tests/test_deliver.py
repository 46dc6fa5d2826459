"""What the session does with what the listener decided (fast: the real runner and machine)."""

from __future__ import annotations

import pytest

from assistant.commands import Command
from assistant.hearing.listener import Heard
from assistant.runtime.recording import deliver
from assistant.runtime.runner import SessionRunner
from assistant.session.plan import build_plan
from assistant.session.state import initial_state
from tests.fakes import tiny_routine


@pytest.mark.parametrize("words", ["1.60", "sixty five", "log 60", "stop"])
def test_what_the_listener_decided_is_no_command_stays_none(words: str) -> None:
    """The coach awaits her yield; Whisper read "log sixty five milliliters" as "1.60" and
    the verifier turned it down. Parsed again as typed words, it logged 1.6 ml."""
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [])
    runner.begin(0.0)
    runner.command(1.0, Command(intent="stop"))
    runner.command(2.0, Command(intent="yes"))
    assert runner.state.phase == "asking_yield"
    deliver(runner, Heard(None, words, 3.0, 3.5, 3.9, 0.0))
    assert runner.state.logged == () and runner.state.phase == "asking_yield"

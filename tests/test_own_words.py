"""The coach's own words heard back over the coach never become a command: the prompts it
reads out ("Say yes or no", "Say undo", "Logged 65 millilitres") are the dangerous ones."""

from __future__ import annotations

import pytest

from assistant.commands import Command
from assistant.grammar import parse
from assistant.runtime.observer import BaseObserver
from assistant.runtime.own_words import OwnWords
from assistant.runtime.runner import SessionRunner
from assistant.session.plan import build_plan
from assistant.session.state import initial_state
from tests.fakes import tiny_routine

STOP_ASKED = "Stop the routine now? Say yes or no."
LOGGED = "Logged 65 millilitres. Say undo to take it back."
REST = "Rest now. Let your shoulders drop, and let the pump do its work."


def _command(text: str) -> Command:
    command = parse(text) or parse(text, "amount")
    assert command is not None, text
    return command


@pytest.mark.parametrize(
    ("cues", "heard", "echo"),
    [
        ([STOP_ASKED], "yes", True),
        ([STOP_ASKED], "no", True),
        ([STOP_ASKED], "stop", True),
        ([STOP_ASKED], "pause", False),
        ([LOGGED], "undo", True),
        ([LOGGED], "take it back", True),
        ([LOGGED], "log sixty five milliliters", True),
        ([LOGGED], "sixty five", True),
        ([LOGGED], "log sixty milliliters", False),
        ([LOGGED], "pause", False),
        ([REST], "pause", False),
        ([REST], "next", False),
        (["Resuming: Rest."], "resume", True),  # heard back without its ending
        (["Okay, stopped. Tell me how much."], "stop", True),
        (["Paused. Say resume when you're ready."], "pause", True),
        (["Resuming: Rest."], "repeat", False),
        ([LOGGED, REST], "undo", True),  # the cue before may still be sounding
        ([LOGGED, STOP_ASKED, REST], "undo", False),  # older cues have long finished
    ],
)
def test_a_command_the_coachs_last_cues_read_as_is_its_own_words(
    cues: list[str], heard: str, echo: bool
) -> None:
    own = OwnWords()
    for cue in cues:
        own.said(cue)
    assert own.could_be(_command(heard)) is echo


class Inputs(BaseObserver):
    def __init__(self) -> None:
        self.inputs: list[tuple[str, Command | None]] = []

    def on_input(self, t: float, text: str, command: Command | None) -> None:
        self.inputs.append((text, command))


@pytest.mark.parametrize("over_coach", [True, False])
def test_the_session_notes_its_own_prompt_heard_back_and_does_not_act_on_it(
    over_coach: bool,
) -> None:
    """The coach asks "Stop the routine now? Say yes or no."; "yes" heard over that question
    is noted, not taken. Said when the coach is quiet, it is taken."""
    inputs = Inputs()
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [inputs])
    runner.begin(0.0)
    runner.command(1.0, _command("stop"))
    asked = runner.state
    yes = _command("yes").model_copy(update={"over_coach": over_coach})
    runner.command(2.0, yes)
    assert inputs.inputs[-1] == ("yes", None if over_coach else yes)
    assert (runner.state == asked) is over_coach


@pytest.mark.parametrize(
    ("asked", "over_coach", "taken"),
    [(False, True, False), (False, False, True), (True, True, True), (True, False, True)],
)
def test_a_yes_over_the_coach_to_no_question_is_her_listening(
    asked: bool, over_coach: bool, taken: bool
) -> None:
    """Through a sound server "yeah" was heard over the coach's read-back, and the coach cut
    itself short to say there was nothing to answer. Over the coach, a yes or no answers only
    a question."""
    inputs = Inputs()
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [inputs])
    runner.begin(0.0)
    if asked:
        runner.command(1.0, _command("stop"))
    before = runner.state
    yeah = _command("yes").model_copy(update={"text": "yeah", "over_coach": over_coach})
    runner.command(5.0, yeah)
    assert inputs.inputs[-1] == ("yeah", yeah if taken else None)
    assert (runner.state != before) is taken

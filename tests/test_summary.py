"""What she hears about her milk: in her unit, and at the end, her day so far against her usual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from assistant.clock import VirtualClock
from assistant.runtime.runner import SessionRunner
from assistant.runtime.script import ScriptLine, run_script
from assistant.runtime.store_recorder import StoreRecorder
from assistant.session import replies
from assistant.session.effects import Effect
from assistant.session.events import Briefing
from assistant.session.machine import step
from assistant.session.plan import build_plan
from assistant.session.recap import Recap
from assistant.session.state import initial_state
from assistant.store.sqlite_store import SessionStore
from assistant.units import Unit
from tests.fakes import Driver, spoken, tiny_routine

START = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)


def ready_for_yield(unit: Unit = "ml", recap: Recap | None = None) -> Driver:
    """A session with every step skipped, waiting for her yield."""
    d = Driver(state=initial_state(unit=unit, recap=recap))
    d.say(0, "start")
    for _ in d.plan.segments:
        d.say(5, "next")
    return d


@pytest.mark.parametrize(
    ("amounts", "unit", "readback", "took_back"),
    [
        ({"total": 60.0}, "ml", "Logged 60 millilitres.", "60 millilitres"),
        ({"total": 59.15}, "oz", "Logged 2 ounces.", "2 ounces"),
        ({"total": 29.57}, "oz", "Logged 1 ounce.", "1 ounce"),
        (
            {"left": 44.36, "right": 29.57},
            "oz",
            "Logged 2.5 ounces, left 1.5, right 1.",
            "2.5 ounces",
        ),
    ],
)
def test_the_read_back_is_in_her_unit(
    amounts: dict[str, float], unit: Unit, readback: str, took_back: str
) -> None:
    """Amounts are stored in ml but read back, and taken back, in ml or oz as she chose."""
    d = ready_for_yield(unit)
    assert spoken(d.say(20, "log", **amounts)) == [f"{readback} Say undo to take it back."]
    assert spoken(d.say(21, "undo")) == [f"Took back {took_back}."]


@pytest.mark.parametrize(
    ("unit", "example"), [("ml", "log 60 millilitres"), ("oz", "log 2 ounces")]
)
def test_examples_of_what_to_say_use_her_unit(unit: Unit, example: str) -> None:
    """Help, the end-of-routine prompt, an empty log and a zero question all name her unit."""
    d = ready_for_yield(unit)
    assert example in replies.routine_done(unit)
    assert example in spoken(d.say(20, "help"))[0]
    assert spoken(d.say(21, "log")) == [f"Tell me the amount, for example {example}."]
    word = "millilitres" if unit == "ml" else "ounces"
    assert spoken(d.say(22, "log", total=0.0)) == [f"Log zero {word}? Say yes or no."]


@pytest.mark.parametrize(
    ("session_ml", "unit", "recap", "said"),
    [
        (90, "ml", None, ""),
        (90, "ml", Recap(today_ml=0, today_sessions=0), ""),
        (90, "ml", Recap(today_ml=200, today_sessions=2), "Today so far: 290 millilitres. "),
        (
            90,
            "ml",
            Recap(today_ml=200, today_sessions=2, usual_by_now_ml=300, recent_days=5),
            "Today so far: 290 millilitres, about what you usually have by this time. ",
        ),
        (
            90,
            "ml",
            Recap(today_ml=300, today_sessions=3, usual_by_now_ml=300, recent_days=5),
            "Today so far: 390 millilitres, more than the 300 you usually have by this time. ",
        ),
        (
            90,
            "oz",
            Recap(today_ml=0, today_sessions=0, usual_by_now_ml=295.735, recent_days=3),
            "Today so far: 3 ounces, under the 10 you usually have by this time. ",
        ),
        (
            0,
            "ml",
            Recap(today_ml=0, today_sessions=1, usual_by_now_ml=300, recent_days=4),
            "",
        ),
        (
            90,
            "ml",
            Recap(today_ml=0, today_sessions=0, usual_by_now_ml=0, recent_days=4),
            "",
        ),
    ],
)
def test_the_day_so_far_is_compared_with_her_usual_by_this_time(
    session_ml: float, unit: Unit, recap: Recap | None, said: str
) -> None:
    """Within 15 % is "about what you usually have"; nothing is said with nothing to add."""
    assert replies.day_so_far(session_ml, unit, recap) == said


def test_a_briefing_is_kept_as_data_and_changes_nothing_else() -> None:
    """The machine stores the recap it is given: no effects, same phase, no I/O."""
    plan = build_plan(tiny_routine())
    state = initial_state()
    recap = Recap(today_ml=120, today_sessions=1)
    after, effects = step(plan, state, Briefing(t=0, recap=recap))
    assert effects == [] and after.phase == "idle" and after.recap == recap


def test_the_last_words_of_a_session_include_her_day() -> None:
    """With a recap, the goodbye says today's total including this session."""
    d = ready_for_yield(recap=Recap(today_ml=200, today_sessions=2))
    d.say(20, "log", total=90.0)
    produced: list[Effect] = d.say(25, "stop")
    assert spoken(produced) == [
        "Session saved. You logged 90 millilitres. Today so far: 290 millilitres. Take care."
    ]


# -- the edge: the store recorder briefs the runner ----------------------------------------


def scripted_session(store: SessionStore, started_at: datetime, amount: str) -> list[str]:
    """Run a tiny scripted session on the virtual clock; returns what the coach said."""
    clock = VirtualClock(started_at)
    said: list[str] = []

    class Ears:
        def on_input(self, *_: object) -> None: ...
        def on_frame(self, *_: object) -> None: ...
        def close(self) -> None: ...
        def on_effect(self, t: float, effect: Effect) -> None:
            said.extend(spoken([effect]))

    recorder = StoreRecorder(store, clock, "tiny", tz=UTC)
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [recorder, Ears()])
    lines = [ScriptLine(1, "stop"), ScriptLine(2, "yes"), ScriptLine(3, amount)]
    run_script(runner, clock, [*lines, ScriptLine(4, "finish")])
    runner.close()
    return said


def test_the_store_recorder_tells_the_session_about_her_day() -> None:
    """A second session today hears today's total, with the first session in it."""
    with SessionStore(":memory:") as store:
        first = scripted_session(store, START, "log sixty ml")
        second = scripted_session(store, START + timedelta(hours=3), "log forty ml")
    assert first[-1] == "Stopped early. Session saved. You logged 60 millilitres. Take care."
    assert second[-1] == (
        "Stopped early. Session saved. You logged 40 millilitres. "
        "Today so far: 100 millilitres. Take care."
    )


def test_with_a_few_days_logged_the_goodbye_compares_with_her_usual() -> None:
    """Three earlier days of 60 ml by noon: today's 60 ml is "about what you usually have"."""
    with SessionStore(":memory:") as store:
        for days_ago in (3, 2, 1):
            scripted_session(store, START - timedelta(days=days_ago), "log sixty ml")
        said = scripted_session(store, START, "log sixty ml")
    assert "Today so far: 60 millilitres, about what you usually have by this time." in said[-1]

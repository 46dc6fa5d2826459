"""The session state machine: every command in every phase, timers, reminders, yields."""

from __future__ import annotations

from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.commands import Command, Intent
from assistant.session.amounts import plausibility
from assistant.session.effects import (
    GateMic,
    NextRoutine,
    SessionEnded,
    SetVoice,
    StepEnded,
    StepEntered,
    YieldLogged,
    YieldUndone,
)
from assistant.session.events import CommandEvent, Tick
from assistant.session.machine import (
    AFTER_LOG_FINISH_S,
    CONFIRM_TIMEOUT_S,
    YIELD_GIVE_UP_S,
    YIELD_NUDGE_S,
    step,
)
from assistant.session.plan import build_plan
from assistant.session.recap import Recap
from assistant.session.replies import routine_done
from assistant.session.state import Phase, initial_state
from tests.fakes import Driver, spoken, tiny_routine

INTENTS: tuple[str, ...] = get_args(Intent)


def driver_in(phase: Phase) -> Driver:
    """A session brought into `phase` by commands, at t = 10 s."""
    d = Driver()
    if phase == "idle":
        return d
    d.say(0, "start")
    if phase == "paused":
        d.say(10, "pause")
    elif phase == "confirming":
        d.say(10, "stop")
    elif phase in ("asking_yield", "finished"):
        for _ in d.plan.segments:
            d.say(5, "next")
        if phase == "finished":
            d.say(10, "stop")
    assert d.state.phase == phase
    return d


EXPECTED_PHASE: dict[Phase, dict[str, Phase]] = {
    "idle": {"start": "running", "stop": "finished"},
    "running": {"pause": "paused", "stop": "confirming"},
    "paused": {
        "resume": "running",
        "start": "running",
        "next": "running",
        "back": "running",
        "stop": "confirming",
    },
    "confirming": {"yes": "asking_yield", "no": "running", "log": "running"},
    "asking_yield": {"stop": "finished", "next": "finished"},
    "finished": {},
}
"""Where each command leads from each phase; a command not listed keeps the phase."""

TABLE = [
    (phase, intent, EXPECTED_PHASE[phase].get(intent, phase))
    for phase in EXPECTED_PHASE
    for intent in INTENTS
]


@pytest.mark.parametrize(("phase", "intent", "expected"), TABLE)
def test_every_command_in_every_phase_leads_where_the_table_says(
    phase: Phase, intent: str, expected: Phase
) -> None:
    """Each (phase, command) pair has one defined outcome and always gets a spoken answer."""
    d = driver_in(phase)
    amounts = {"total": 60.0} if intent == "log" else {}
    produced = d.say(10, intent, **amounts)
    assert d.state.phase == expected
    assert spoken(produced), "every command gets a spoken reply"


def test_start_says_welcome_with_safety_then_the_first_cue() -> None:
    """Starting speaks the routine's safety cue before the first instruction."""
    d = Driver()
    produced = d.say(0, "start")
    texts = spoken(produced)
    assert "Keep it gentle." in texts[0]
    assert texts[1] == "Pump with both breasts."
    assert [e.step_id for e in produced if isinstance(e, StepEntered)] == ["pump"]
    assert GateMic(listen_for="commands") in produced


def test_steps_advance_on_their_own_when_time_is_up() -> None:
    """With no commands, the session walks every segment in order, then asks for the yield."""
    d = Driver()
    d.say(0, "start")
    d.tick_through(0.5, d.plan.total_s + 1)
    entered = [(e.step_id, e.side) for e in d.effects if isinstance(e, StepEntered)]
    assert entered == [("pump", "both"), ("knead", "left"), ("knead", "right"), ("shake", "both")]
    assert [e.how for e in d.effects if isinstance(e, StepEnded)] == ["done"] * 4
    assert d.state.phase == "asking_yield"
    assert d.state.completed


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (60.0, "Halfway through this step."),
        (90.0, "30 seconds left."),
        (170.0, "Halfway through this step."),
        (190.0, "30 seconds left, then switch to the other side."),
        (220.0, "Switch to the other side: your right breast. Knead one breast."),
        (330.0, "Nice and light."),
    ],
)
def test_reminders_are_spoken_at_their_moment(t: float, expected: str) -> None:
    """Halfway, 30 s left (with a side-switch warning), side switches and routine reminders."""
    d = Driver()
    d.say(0, "start")
    d.tick_through(0.5, t - 5)
    assert expected not in spoken(d.tick_through(t - 4.5, t - 0.5))
    produced = d.tick(t)
    assert expected in spoken(produced)


def test_short_steps_get_no_automatic_reminders() -> None:
    """A 30 s step is too short for "halfway" or "30 seconds left"."""
    d = Driver()
    d.say(0, "start")
    d.tick_through(0.5, 319.5)
    produced = d.tick_through(320, 350)
    assert spoken(produced) == ["Lean forward and shake.", "Nice and light.", routine_done("ml")]


def test_pause_freezes_the_step_timer() -> None:
    """Paused time does not count; resuming continues where she left off."""
    d = Driver()
    d.say(0, "start")
    d.tick_through(0.5, 30)
    d.say(30, "pause")
    d.tick_through(31, 500)
    assert d.state.index == 0
    d.say(500, "resume")
    d.tick_through(500.5, 589.5)
    assert d.state.index == 0
    d.tick(590.5)
    assert d.state.index == 1


def test_a_long_pause_gets_one_gentle_reminder() -> None:
    d = Driver()
    d.say(0, "start")
    d.say(10, "pause")
    produced = d.tick_through(10.5, 1000)
    assert spoken(produced) == ["Still paused. Say resume when you're ready."]


@pytest.mark.parametrize(
    ("amounts", "readback"),
    [
        ({"total": 60.0}, "Logged 60 millilitres. Say undo to take it back."),
        (
            {"left": 30.0, "right": 30.0},
            "Logged 60 millilitres, left 30, right 30. Say undo to take it back.",
        ),
        ({"left": 40.0}, "Logged 40 millilitres, left 40. Say undo to take it back."),
        ({"total": 59.15}, "Logged 59 millilitres. Say undo to take it back."),
    ],
)
def test_every_logged_yield_is_read_back(amounts: dict[str, float], readback: str) -> None:
    """A plausible amount is logged at once and read back with its sides."""
    d = driver_in("asking_yield")
    produced = d.say(20, "log", **amounts)
    logged = [e for e in produced if isinstance(e, YieldLogged)]
    assert len(logged) == 1
    assert logged[0].amounts_ml == amounts
    assert spoken(produced) == [readback]


@pytest.mark.parametrize(
    ("amounts", "her_best", "verdict"),
    [
        ({"total": 120.0}, None, "logged"),
        ({"left": 240.0, "right": 240.0}, None, "logged"),
        ({"left": 260.0}, None, "asked"),  # more than a breast gives in a session
        ({"total": 600.0}, None, "asked"),
        ({"total": 1000.0}, None, "asked"),
        ({"total": 0.0}, None, "asked"),
        ({"left": 0.0, "right": 0.0}, None, "asked"),
        ({"total": 9000.0}, None, "refused"),  # no one pumps this: said again, not asked
        ({"left": 1500.0, "right": 40.0}, None, "refused"),
        ({"total": 220.0}, 100.0, "asked"),  # more than twice her best lately
        ({"total": 190.0}, 100.0, "logged"),
        ({"total": 70.0}, 30.0, "logged"),  # a good day, from a small best
    ],
)
def test_amounts_past_a_breast_or_her_best_are_asked_back_and_the_absurd_refused(
    amounts: dict[str, float], her_best: float | None, verdict: str
) -> None:
    """A wrong amount in her record is the worst error: one past what a breast gives, or far
    past her own best, gets a yes/no first; one nobody could pump is refused."""
    d = Driver(
        state=initial_state(recap=Recap(today_ml=0, today_sessions=0, best_session_ml=her_best))
    )
    d.say(0, "start")
    for _ in d.plan.segments:
        d.say(5, "next")
    produced = d.say(20, "log", **amounts)
    stored = [e.amounts_ml for e in produced if isinstance(e, YieldLogged)]
    assert stored == ([amounts] if verdict == "logged" else [])
    assert (d.state.phase == "confirming") == (verdict == "asked")
    if verdict == "asked":
        assert GateMic(listen_for="yes_no") in produced
        assert "Say yes or no" in spoken(produced)[0]
    if verdict == "refused":
        assert "say the amount again" in spoken(produced)[0]


def test_an_implausible_amount_is_stored_on_yes() -> None:
    d = driver_in("asking_yield")
    d.say(20, "log", left=600.0)
    produced = d.say(22, "yes")
    assert [e.amounts_ml for e in produced if isinstance(e, YieldLogged)] == [{"left": 600.0}]
    assert d.state.phase == "asking_yield"


@pytest.mark.parametrize("answer", ["no", None])
def test_an_implausible_amount_is_dropped_on_no_or_silence(answer: str | None) -> None:
    """ "No", or no answer within the time-out, stores nothing."""
    d = driver_in("asking_yield")
    d.say(20, "log", left=600.0)
    if answer:
        d.say(22, answer)
    else:
        d.tick_through(20.5, 20 + CONFIRM_TIMEOUT_S + 1)
    assert d.state.phase == "asking_yield"
    assert not [e for e in d.effects if isinstance(e, YieldLogged)]


def test_a_new_amount_replaces_a_pending_question() -> None:
    """Correcting herself ("log sixty") while asked about 600 logs the new amount."""
    d = driver_in("asking_yield")
    d.say(20, "log", left=600.0)
    produced = d.say(22, "log", left=60.0)
    assert [e.amounts_ml for e in produced if isinstance(e, YieldLogged)] == [{"left": 60.0}]


def test_negative_amounts_are_refused_outright() -> None:
    d = driver_in("asking_yield")
    produced = d.say(20, "log", total=-10.0)
    assert d.state.phase == "asking_yield"
    assert not [e for e in produced if isinstance(e, YieldLogged)]
    assert "negative" in spoken(produced)[0]


def test_undo_takes_back_the_last_entry_then_the_one_before() -> None:
    d = driver_in("asking_yield")
    d.say(20, "log", left=40.0)
    d.say(21, "log", right=35.0)
    first = d.say(22, "undo")
    second = d.say(23, "undo")
    third = d.say(24, "undo")
    assert [e.entry for e in first + second if isinstance(e, YieldUndone)] == [2, 1]
    assert spoken(first) == ["Took back 35 millilitres."]
    assert spoken(third) == ["There's nothing to undo."]


def test_after_a_log_a_quiet_minute_finishes_the_session() -> None:
    d = driver_in("asking_yield")
    d.say(20, "log", total=90.0)
    d.tick_through(20.5, 20 + AFTER_LOG_FINISH_S + 1)
    assert d.state.phase == "finished"
    assert SessionEnded(outcome="completed") in d.effects


def test_without_a_yield_she_is_asked_once_more_then_the_session_is_saved() -> None:
    d = driver_in("asking_yield")
    since = d.state.phase_since
    d.tick_through(since + 1, since + YIELD_NUDGE_S + 1)
    assert "Whenever you're ready" in spoken(d.effects)[-1]
    d.tick_through(since + YIELD_NUDGE_S + 2, since + YIELD_GIVE_UP_S + 1)
    assert d.state.phase == "finished"


def test_stopping_early_asks_first_then_asks_for_the_yield() -> None:
    """ "Stop" is confirmed; after it the yield can still be logged; the outcome is honest."""
    d = Driver()
    d.say(0, "start")
    d.say(30, "stop")
    produced = d.say(32, "yes")
    assert StepEnded(index=0, how="stopped") in produced
    assert d.state.phase == "asking_yield"
    d.say(40, "log", total=20.0)
    produced = d.say(45, "stop")
    assert SessionEnded(outcome="stopped_early") in produced
    assert GateMic(listen_for="nothing") in produced


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("faster", (185, 0.9)),
        ("slower", (145, 0.9)),
        ("louder", (165, 1.0)),
        ("quieter", (165, 0.75)),
    ],
)
def test_voice_commands_change_rate_and_volume(intent: str, expected: tuple[int, float]) -> None:
    d = driver_in("running")
    produced = d.say(10, intent)
    assert SetVoice(rate_wpm=expected[0], volume=expected[1]) in produced


def test_voice_stops_at_its_limits() -> None:
    d = driver_in("running")
    for _ in range(10):
        d.say(10, "louder")
    produced = d.say(10, "louder")
    assert not [e for e in produced if isinstance(e, SetVoice)]
    assert spoken(produced) == ["That's as far as my voice goes."]


def test_repeat_says_the_last_instruction_not_the_last_reminder() -> None:
    d = driver_in("running")
    d.tick_through(10.5, 61)
    produced = d.say(61, "repeat")
    assert spoken(produced) == ["Pump with both breasts."]


@pytest.mark.parametrize(
    "before", ["pause", "resume", "time_left", "status", "louder", "help", "yes", "start"]
)
def test_repeat_after_an_answer_gives_the_instruction_again(before: str) -> None:
    """ "Resuming: Warmth." or the time left are answers of the moment: "repeat" after them
    is for the massage instruction she is following."""
    d = driver_in("running")
    if before == "resume":
        d.say(11, "pause")
    d.say(12, before)
    produced = d.say(13, "repeat")
    assert spoken(produced) == ["Pump with both breasts."]


def test_next_and_back_move_through_the_plan() -> None:
    d = driver_in("running")
    d.say(10, "next")
    assert (d.state.index, d.plan.segments[d.state.index].side) == (1, "left")
    produced = d.say(11, "back")
    assert d.state.index == 0
    assert StepEnded(index=1, how="went_back") in produced
    d.say(12, "back")
    assert d.state.index == 0


def test_time_left_and_status_answer_from_the_plan() -> None:
    d = driver_in("running")
    d.tick_through(10.5, 50)
    assert spoken(d.say(50, "time_left")) == [
        "1 minute 10 seconds left in this step, about 5 minutes in all."
    ]
    assert spoken(d.say(50, "status")) == ["Step 1 of 3: Pump."]


def test_time_never_runs_backwards() -> None:
    d = driver_in("running")
    d.tick(50)
    d.tick(20)
    assert d.state.last_t == 50
    assert d.state.elapsed_s == 50


EVENTS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=120, allow_nan=False),
        st.one_of(
            st.none(),
            st.sampled_from(INTENTS),
        ),
        st.dictionaries(
            st.sampled_from(["left", "right", "total"]),
            st.floats(min_value=-50, max_value=2000, allow_nan=False),
            min_size=1,
        ),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(EVENTS)
def test_any_sequence_of_events_keeps_the_session_sound(events: list) -> None:  # type: ignore[type-arg]
    """No crash; implausible amounts are stored only on a "yes" to the question about them."""
    d = Driver()
    t = 0.0
    logged = undone = 0
    for gap, intent, amounts in events:
        t += gap
        if intent is None:
            event: Tick | CommandEvent = Tick(t=t)
        else:
            command = Command(intent=intent, amounts_ml=amounts if intent == "log" else None)
            event = CommandEvent(t=t, command=command)
        before = d.state
        d.state, produced = step(d.plan, d.state, event)
        answered_yes = before.phase == "confirming" and intent == "yes"
        for effect in produced:
            if isinstance(effect, YieldLogged):
                logged += 1
                assert all(v >= 0 for v in effect.amounts_ml.values())
                if not answered_yes:
                    session_ml = before.logged_ml
                    assert plausibility(effect.amounts_ml, session_ml) == "fine"
                else:
                    assert before.pending is not None
                    assert effect.amounts_ml == before.pending.amounts_ml
            undone += isinstance(effect, YieldUndone)
        assert undone <= logged
        assert 0 <= d.state.index < len(d.plan.segments)


# --- asking which amount ----------------------------------------------------------------


def _asked_which() -> Driver:
    d = driver_in("running")
    heard = Command(intent="log", amounts_ml={"total": 60.0}, runner_up_ml={"total": 16.0})
    effects = d._feed(CommandEvent(t=11, command=heard))
    assert spoken(effects) == ["60, or 16?"]
    assert GateMic(listen_for="amount") in effects
    return d


@pytest.mark.parametrize(
    ("answer", "logged"),
    [
        (Command(intent="log", amounts_ml={"total": 16.0}), [16.0]),
        (Command(intent="log", amounts_ml={"total": 60.0}), [60.0]),
        (Command(intent="log", amounts_ml={"total": 61.0}, runner_up_ml={"total": 60.0}), [60.0]),
        (Command(intent="log", amounts_ml={"total": 70.0}), [70.0]),
        (Command(intent="no"), []),
    ],
)
def test_a_log_the_recognizer_could_not_tell_is_asked_back(
    answer: Command, logged: list[float]
) -> None:
    """ "Sixty, or sixteen?": the answer names one (either reading of it may), or gives a new
    amount, or says no; nothing is logged before she answers."""
    d = _asked_which()
    assert d.state.logged == ()
    effects = d._feed(CommandEvent(t=13, command=answer))
    assert [e.total_ml for e in effects if isinstance(e, YieldLogged)] == logged
    assert GateMic(listen_for="commands") in effects


@pytest.mark.parametrize(
    "answer",
    [
        Command(intent="yes"),
        Command(intent="log", amounts_ml={"total": 16.0}, runner_up_ml={"total": 60.0}),
        Command(intent="log", amounts_ml={"total": 60.0}, runner_up_ml={"total": 16.0}),
    ],
)
def test_an_answer_that_does_not_say_which_asks_again(answer: Command) -> None:
    """ "Yes", or an answer heard as either option, does not say which: the question is
    asked again, and nothing is logged."""
    d = _asked_which()
    effects = d._feed(CommandEvent(t=13, command=answer))
    assert d.state.phase == "confirming" and d.state.logged == ()
    assert spoken(effects) == ["Which one? 60, or 16?"]


@pytest.mark.parametrize(
    "how",
    ["routine over", "stopped", "after a log", "after an implausible amount is confirmed"],
)
def test_once_the_routine_is_over_the_coach_listens_for_an_amount(how: str) -> None:
    """Asked how much milk she got, "sixty five" alone is her answer; the microphone is told
    so, and is told again whenever a question in between is settled."""
    d = Driver()
    d.say(0, "start")
    if how == "stopped":
        d.say(10, "stop")
        d.say(11, "yes")
    else:
        for _ in d.plan.segments:
            d.say(5, "next")
    if how == "after a log":
        d.say(20, "log", total=60.0)
    if how == "after an implausible amount is confirmed":
        d.say(20, "log", total=2000.0)
        assert d.state.phase == "confirming"
        d.say(22, "yes")
    assert d.state.phase == "asking_yield"
    gates = [e for e in d.effects if isinstance(e, GateMic)]
    assert gates[-1] == GateMic(listen_for="amount")


def test_finishing_while_asked_about_an_amount_finishes_without_it() -> None:
    """Asked "Another 60, making 120?" at the end, she says "finish": the session ends, with
    only what she confirmed stored, instead of waiting for a yes or no."""
    d = driver_in("asking_yield")
    d.say(20, "log", total=60.0)
    d.say(25, "log", total=60.0)
    assert d.state.phase == "confirming"
    produced = d.say(30, "stop")
    assert SessionEnded(outcome="completed") in produced
    assert [e.total_ml for e in d.state.logged] == [60.0]


@pytest.mark.parametrize(
    ("first", "again", "asked"),
    [(60.0, 60.0, True), (65.0, 69.0, True), (120.0, 130.0, True), (60.0, 90.0, False)],
)
def test_about_the_same_amount_within_a_minute_is_asked_about(
    first: float, again: float, asked: bool
) -> None:
    """ "sixty five" said again was heard as "sixty nine" and logged as a second bottle."""
    d = driver_in("asking_yield")
    d.say(20, "log", total=first)
    produced = d.say(26, "log", total=again)
    assert (d.state.phase == "confirming") == asked
    assert bool([e for e in produced if isinstance(e, YieldLogged)]) != asked


@pytest.mark.parametrize(
    ("answer", "logged"),
    [("yes", [65.0, 100.0]), ("no", [65.0]), ("stop", [65.0])],
)
def test_an_amount_heard_over_the_coach_is_asked_about(answer: str, logged: list[float]) -> None:
    """Through a sound server, "sixty five" said over the coach's read-back was heard as "a
    hundred" and stored: over the coach, an amount is stored only once she says yes."""
    d = driver_in("asking_yield")
    d.say(20, "log", total=65.0)
    heard = Command(intent="log", amounts_ml={"total": 100.0}, text="a hundred", over_coach=True)
    produced = d._feed(CommandEvent(t=22, command=heard))
    assert spoken(produced) == ["Did you say 100 millilitres?"]
    assert not [e for e in produced if isinstance(e, YieldLogged)]
    d.say(25, answer)
    assert [e.total_ml for e in d.state.logged] == logged


def _before_pumping() -> Driver:
    """A routine before pumping that leads to the tiny pumping routine, run to its end."""
    warm_up = tiny_routine().model_copy(update={"name": "warm", "leads_to": "tiny"})
    d = Driver(plan=build_plan(warm_up, then=build_plan(tiny_routine())))
    d.say(0, "start")
    return d


@pytest.mark.parametrize("how", ["routine over", "stopped"])
def test_a_routine_before_pumping_offers_the_pumping_instead_of_asking_for_milk(how: str) -> None:
    d = _before_pumping()
    if how == "stopped":
        d.say(10, "stop")
        produced = d.say(11, "yes")
    else:
        produced = d.tick_through(1, d.plan.total_s + 1)
    assert d.state.phase == "offering"
    said = spoken(produced)[-1]
    assert said.endswith("You're ready to pump. Say start to begin Tiny, or finish to stop.")
    assert "milk" not in said


@pytest.mark.parametrize(
    ("answer", "ends", "follows"),
    [
        ("start", "completed", True),
        ("yes", "completed", True),
        ("next", "completed", True),
        ("stop", "completed", False),
        ("no", "completed", False),
    ],
)
def test_at_the_offer_start_begins_the_pumping_routine(
    answer: str, ends: str, follows: bool
) -> None:
    d = _before_pumping()
    d.tick_through(1, d.plan.total_s + 1)
    produced = d.say(d.plan.total_s + 5, answer)
    assert SessionEnded(outcome=ends) in produced
    assert (NextRoutine(routine="tiny", pumping=True) in produced) == follows


@pytest.mark.parametrize("phase", ["running", "offering"])
def test_no_milk_is_logged_in_a_routine_before_pumping(phase: str) -> None:
    d = _before_pumping()
    if phase == "offering":
        d.tick_through(1, d.plan.total_s + 1)
    produced = d.say(d.state.last_t + 1, "log", total=60.0)
    assert spoken(produced) == ["Your milk is logged after pumping, in Tiny."]
    assert d.state.logged == () and d.state.phase == phase


def test_an_offer_left_unanswered_is_said_once_more_then_the_session_ends() -> None:
    d = _before_pumping()
    d.tick_through(1, d.plan.total_s + 1)
    end = d.plan.total_s + 1
    nudged = d.tick_through(end, end + YIELD_NUDGE_S + 1)
    assert spoken(nudged) == ["Whenever you're ready, say start to begin Tiny, or finish to stop."]
    ended = d.tick_through(end + YIELD_NUDGE_S + 2, end + YIELD_GIVE_UP_S + 1)
    assert SessionEnded(outcome="completed") in ended

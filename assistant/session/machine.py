"""The session state machine: `step(plan, state, event) -> (state, effects)`.

Pure: no audio, files, threads or clock. Time arrives inside events, and everything the
session should do comes back as effect data for the runner to carry out. Each phase has
one handler; commands that mean the same in every active phase share `_anytime`.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.commands import AmountKey, Command
from assistant.grammar.rules import help_examples
from assistant.session import replies
from assistant.session.amounts import entry_total, has_negative, plausibility
from assistant.session.effects import (
    Effect,
    GateMic,
    HowEnded,
    NextRoutine,
    Say,
    SessionEnded,
    SetVoice,
    StepEnded,
    StepEntered,
    YieldLogged,
    YieldUndone,
)
from assistant.session.events import Briefing, CommandEvent, Event
from assistant.session.plan import Plan, Segment
from assistant.session.state import Entry, Pending, PendingKind, Phase, SessionState

Result = tuple[SessionState, list[Effect]]

CONFIRM_TIMEOUT_S = 20.0
"""Silence this long after a yes/no question counts as "no": nothing is stored unasked."""
YIELD_NUDGE_S = 90.0
"""Ask once more for the yield after this long without an answer."""
YIELD_GIVE_UP_S = 600.0
"""Save the session without a yield after this long."""
SAME_LOG_S = 60.0
"""The same amount logged again within this is asked about: another bottle, or the same one?"""
ALIKE_ML, ALIKE_SHARE = 5.0, 0.1
"""Two amounts this close (ml, or share of the larger) may be one amount said twice."""
AFTER_LOG_FINISH_S = 60.0
"""Once something is logged, finish after this much quiet (time enough to undo or add)."""
PAUSE_NUDGE_S = 300.0
"""One gentle reminder when a pause has lasted this long."""
HALFWAY_MIN_S = 60.0
"""Steps shorter than this get no "halfway" reminder."""
CUE_GAP_S = 15.0
"""An automatic reminder this close to one of the routine's own gives way to it: two cues at
once ("Halfway through this step." over a tip) crowd each other."""
LAST_30_MIN_S = 90.0
"""Steps shorter than this get no "30 seconds left" reminder."""
RATE_STEP, RATE_MIN, RATE_MAX = 20, 100, 260
"""Speaking rate change per command, and its bounds, in words per minute."""
VOLUME_STEP, VOLUME_MIN, VOLUME_MAX = 0.15, 0.25, 1.0


def step(plan: Plan, state: SessionState, event: Event) -> Result:
    """Advance time to the event, then apply its command if it carries one."""
    state, effects = _advance_time(plan, state, event.t)
    if isinstance(event, Briefing):
        state = state.model_copy(update={"recap": event.recap})
    if isinstance(event, CommandEvent):
        heard = event.command.text or event.command.intent
        state = state.model_copy(update={"last_heard": heard})
        state, more = HANDLERS[state.phase](plan, state, event.command)
        effects += more
    return state, effects


# --- time -----------------------------------------------------------------------------


def _advance_time(plan: Plan, state: SessionState, t: float) -> Result:
    dt = max(0.0, t - state.last_t)
    state = state.model_copy(update={"last_t": max(t, state.last_t)})
    waited = state.last_t - state.phase_since
    if state.phase == "running":
        return _run_clock(plan, state, dt)
    if state.phase == "confirming" and waited >= CONFIRM_TIMEOUT_S:
        which = state.pending is not None and state.pending.kind == "which"
        return _declined(state, replies.not_logged() if which else replies.TAKEN_AS_NO)
    if state.phase == "asking_yield":
        return _yield_wait(plan, state, waited)
    if state.phase == "offering":
        return _offer_wait(plan, state, waited)
    if state.phase == "paused" and waited >= PAUSE_NUDGE_S and not state.nudged:
        return _nudge(state, replies.STILL_PAUSED)
    return state, []


def _run_clock(plan: Plan, state: SessionState, dt: float) -> Result:
    segment = plan.segments[state.index]
    before, after = state.elapsed_s, state.elapsed_s + dt
    if after < segment.duration_s:
        state = state.model_copy(update={"elapsed_s": after})
        return state, _reminders(plan, segment, before, after)
    state, effects = _enter(plan, state, state.index + 1, "done", interrupt=False)
    if state.phase != "running":
        return state, effects
    state, more = _run_clock(plan, state, after - segment.duration_s)
    return state, effects + more


def _reminders(plan: Plan, segment: Segment, before: float, after: float) -> list[Effect]:
    """Cues whose moment falls in (before, after]: automatic ones, then the routine's own."""
    own = [(r.after_s, r.text) for r in segment.reminders]
    automatic: list[tuple[float, str]] = []
    if segment.duration_s >= HALFWAY_MIN_S:
        automatic.append((segment.duration_s / 2, replies.halfway()))
    if segment.duration_s >= LAST_30_MIN_S:
        left = replies.seconds_left(_switches_next(plan, segment))
        automatic.append((segment.duration_s - 30, left))
    room = [(at, text) for at, text in automatic if all(abs(at - t) >= CUE_GAP_S for t, _ in own)]
    return [Say(text=text) for at, text in sorted(own + room) if before < at <= after]


def _switches_next(plan: Plan, segment: Segment) -> bool:
    if segment.index + 1 >= len(plan.segments):
        return False
    following = plan.segments[segment.index + 1].side
    return "both" not in (segment.side, following) and following != segment.side


def _yield_wait(plan: Plan, state: SessionState, waited: float) -> Result:
    if state.logged:
        return _finish(state) if waited >= AFTER_LOG_FINISH_S else (state, [])
    if waited >= YIELD_GIVE_UP_S:
        return _finish(state)
    if waited >= YIELD_NUDGE_S and not state.nudged:
        return _nudge(state, replies.ask_yield_again())
    return state, []


def _offer_wait(plan: Plan, state: SessionState, waited: float) -> Result:
    if waited >= YIELD_GIVE_UP_S:
        return _finish(state)
    if waited >= YIELD_NUDGE_S and not state.nudged and plan.then is not None:
        return _nudge(state, replies.offer_again(plan.then.routine.title))
    return state, []


def _nudge(state: SessionState, text: str) -> Result:
    return state.model_copy(update={"nudged": True}), [Say(text=text)]


# --- moving through the plan ----------------------------------------------------------


def _start(plan: Plan, state: SessionState) -> Result:
    state = state.model_copy(update={"phase": "running"})
    state, welcome = _say(state, replies.welcome(plan), interrupt=True)
    state, entered = _enter(plan, state, 0, None, interrupt=False)
    return state, [GateMic(listen_for="commands"), *welcome, *entered]


def _enter(
    plan: Plan, state: SessionState, index: int, how: HowEnded | None, *, interrupt: bool
) -> Result:
    """Leave the current segment (saying how) and begin `index`, or the yield question."""
    effects: list[Effect] = []
    if how is not None:
        effects.append(StepEnded(index=state.index, how=how))
    now = state.last_t
    if index >= len(plan.segments):
        state = state.model_copy(update={"completed": True})
        state, over = _routine_over(plan, state, replies.routine_done(state.unit), interrupt)
        return state, effects + over
    segment = plan.segments[index]
    state = _to_phase(state, "running", now).model_copy(update={"index": index, "elapsed_s": 0.0})
    effects.append(
        StepEntered(
            index=index,
            step_id=segment.step_id,
            title=segment.title,
            side=segment.side,
            cycle=segment.cycle,
            duration_s=segment.duration_s,
        )
    )
    state, said = _say(state, replies.segment_cue(plan, segment), interrupt=interrupt)
    return state, effects + said


def _go_back(plan: Plan, state: SessionState) -> Result:
    if state.index == 0:
        state, said = _say(state, replies.FIRST_STEP_AGAIN, interrupt=True)
        state, entered = _enter(plan, state, 0, "went_back", interrupt=False)
        return state, said + entered
    return _enter(plan, state, state.index - 1, "went_back", interrupt=True)


def _to_phase(state: SessionState, phase: Phase, now: float) -> SessionState:
    return state.model_copy(update={"phase": phase, "phase_since": now, "nudged": False})


def _finish(state: SessionState) -> Result:
    total = state.logged_ml
    state = _to_phase(state, "finished", state.last_t)
    text = replies.finished(total, state.completed, state.unit, state.recap)
    state, said = _say(state, text, interrupt=True)
    outcome = "completed" if state.completed else "stopped_early"
    return state, [*said, SessionEnded(outcome=outcome), GateMic(listen_for="nothing")]


def _stop_routine(plan: Plan, state: SessionState) -> Result:
    ended: list[Effect] = [StepEnded(index=state.index, how="stopped")]
    state, over = _routine_over(plan, state, replies.STOPPED, interrupt=True)
    return state, ended + over


def _routine_over(plan: Plan, state: SessionState, text: str, interrupt: bool) -> Result:
    """Done or stopped: ask for her milk; or, in a routine before pumping, offer the pumping."""
    if plan.then is not None:
        state = _to_phase(state, "offering", state.last_t)
        text = replies.offer(plan.then.routine.title, state.completed)
    else:
        state = _to_phase(state, "asking_yield", state.last_t)
    state, said = _say(state, text, interrupt=interrupt)
    return state, [_listening(state), *said]


def _next_routine(plan: Plan, state: SessionState) -> Result:
    """She said start: this session ends as it is, and the pumping routine begins."""
    assert plan.then is not None
    state = _to_phase(state, "finished", state.last_t)
    outcome = "completed" if state.completed else "stopped_early"
    routine = plan.then.routine
    return state, [
        SessionEnded(outcome=outcome),
        NextRoutine(routine=routine.name, pumping=routine.pumping),
    ]


# --- questions ------------------------------------------------------------------------


def _ask(
    state: SessionState, kind: PendingKind, question: str, amounts: dict[AmountKey, float] | None
) -> Result:
    pending = Pending(kind=kind, question=question, amounts_ml=amounts, asked_at=state.last_t)
    state = _to_phase(state, "confirming", state.last_t).model_copy(
        update={"pending": pending, "resume_phase": state.phase}
    )
    state, said = _say(state, question, interrupt=True)
    return state, [GateMic(listen_for="yes_no"), *said]


def _ask_which(
    state: SessionState, first: dict[AmountKey, float], second: dict[AmountKey, float]
) -> Result:
    """A wrong amount in her record is the worst error; a question costs her two seconds."""
    question = replies.which_amount(first, second, state.unit)
    pending = Pending(
        kind="which", question=question, options=(first, second), asked_at=state.last_t
    )
    state = _to_phase(state, "confirming", state.last_t).model_copy(
        update={"pending": pending, "resume_phase": state.phase}
    )
    state, said = _say(state, question, interrupt=True)
    return state, [GateMic(listen_for="amount"), *said]


def _which(state: SessionState, command: Command) -> Result:
    """Her answer to "sixty, or sixteen?": the option it names, or else a new amount."""
    options = state.pending.options if state.pending else ()
    said = [a for a in (command.amounts_ml, command.runner_up_ml) if a]
    chosen = next((a for a in said if a in options), None)
    state = _settle(state)
    reopened = [_listening(state)]
    if chosen is not None:
        state, effects = _log(state, Command(intent="log", amounts_ml=chosen))
    else:
        state, effects = _log(state, command)
    return state, reopened + effects


def _names_both(state: SessionState, command: Command) -> bool:
    """Her answer, heard as either option (one reading each): as unsure as the question,
    so it answers nothing."""
    options = state.pending.options if state.pending else ()
    said = [a for a in (command.amounts_ml, command.runner_up_ml) if a]
    return len(options) > 1 and all(option in said for option in options)


def _listening(state: SessionState) -> GateMic:
    """What to listen for in the phase she is in: once the routine is over, the coach waits
    for an amount, and "sixty five" alone answers it."""
    return GateMic(listen_for="amount" if state.phase == "asking_yield" else "commands")


def _settle(state: SessionState) -> SessionState:
    """Close the question and go back to where it was asked, timers untouched."""
    back_to = state.resume_phase or "running"
    return state.model_copy(update={"phase": back_to, "pending": None, "resume_phase": None})


def _confirmed(plan: Plan, state: SessionState) -> Result:
    pending = state.pending
    state = _settle(state)
    reopen: list[Effect] = [_listening(state)]
    if pending is not None and pending.kind == "log" and pending.amounts_ml is not None:
        state, effects = _record(state, pending.amounts_ml)
        return state, reopen + effects
    state, effects = _stop_routine(plan, state)
    return state, reopen + effects


def _declined(state: SessionState, text: str) -> Result:
    state = _settle(state)
    state, said = _say(state, text, interrupt=True)
    return state, [_listening(state), *said]


# --- yields ---------------------------------------------------------------------------


def _log(state: SessionState, command: Command) -> Result:
    amounts = command.amounts_ml or {}
    if not amounts:
        return _say(state, replies.ask_amount(state.unit), interrupt=True)
    runner_up = command.runner_up_ml
    if runner_up and runner_up != amounts:
        return _ask_which(state, dict(amounts), dict(runner_up))
    if has_negative(amounts):
        return _say(state, replies.negative_amount(), interrupt=True)
    best = state.recap.best_session_ml if state.recap else None
    verdict = plausibility(amounts, state.logged_ml, best)
    if verdict == "absurd":
        return _say(state, replies.absurd_amount(amounts, state.unit), interrupt=True)
    if verdict == "ask":
        question = replies.confirm_amount(amounts, entry_total(amounts), state.unit)
        return _ask(state, "log", question, dict(amounts))
    if command.over_coach:
        return _ask(state, "log", replies.heard_over_me(amounts, state.unit), dict(amounts))
    if _just_logged(state, amounts):
        session_ml = state.logged_ml + entry_total(amounts)
        question = replies.another(amounts, session_ml, state.unit)
        return _ask(state, "log", question, dict(amounts))
    return _record(state, amounts)


def _just_logged(state: SessionState, amounts: dict[AmountKey, float]) -> bool:
    """About the same amount as her last log, within a minute: a second "two ounces" is more
    often her saying it again than a second bottle, and "sixty five" said again is heard as
    "sixty nine" as often as not."""
    last = state.logged[-1] if state.logged else None
    if last is None or state.last_t - last.at > SAME_LOG_S or set(last.amounts_ml) != set(amounts):
        return False
    return all(_alike(last.amounts_ml[key], amounts[key]) for key in amounts)


def _alike(a: float, b: float) -> bool:
    return abs(a - b) <= max(ALIKE_ML, ALIKE_SHARE * max(a, b))


def _record(state: SessionState, amounts: dict[AmountKey, float]) -> Result:
    total = entry_total(amounts)
    entry = Entry(
        number=len(state.entries) + 1, amounts_ml=dict(amounts), total_ml=total, at=state.last_t
    )
    update: dict[str, object] = {"entries": (*state.entries, entry)}
    if state.phase == "asking_yield":
        update |= {"phase_since": state.last_t, "nudged": False}
    state = state.model_copy(update=update)
    logged = YieldLogged(entry=entry.number, amounts_ml=entry.amounts_ml, total_ml=total)
    session_ml = state.logged_ml if len(state.logged) > 1 else None
    readback = replies.logged(amounts, total, state.unit, session_ml)
    state, said = _say(state, readback, interrupt=True)
    return state, [logged, *said]


def _undo(state: SessionState) -> Result:
    if not state.logged:
        return _say(state, replies.NOTHING_TO_UNDO, interrupt=True)
    last = state.logged[-1]
    entries = tuple(
        e.model_copy(update={"undone": True}) if e is last else e for e in state.entries
    )
    state = state.model_copy(update={"entries": entries, "phase_since": state.last_t})
    state, said = _say(state, replies.undone(last.total_ml, state.unit), interrupt=True)
    return state, [YieldUndone(entry=last.number), *said]


# --- voice ----------------------------------------------------------------------------


def _voice(state: SessionState, intent: str) -> Result:
    rate, volume = state.rate_wpm, state.volume
    if intent == "faster":
        rate, reply = min(RATE_MAX, rate + RATE_STEP), replies.FASTER
    elif intent == "slower":
        rate, reply = max(RATE_MIN, rate - RATE_STEP), replies.SLOWER
    elif intent == "louder":
        volume, reply = min(VOLUME_MAX, round(volume + VOLUME_STEP, 2)), replies.LOUDER
    else:
        volume, reply = max(VOLUME_MIN, round(volume - VOLUME_STEP, 2)), replies.QUIETER
    if (rate, volume) == (state.rate_wpm, state.volume):
        return _reply(state, replies.VOICE_AT_LIMIT)
    state = state.model_copy(update={"rate_wpm": rate, "volume": volume})
    return state, [SetVoice(rate_wpm=rate, volume=volume), Say(text=reply, interrupt=True)]


# --- speech ---------------------------------------------------------------------------


def _say(state: SessionState, text: str, *, interrupt: bool) -> Result:
    """Say something worth repeating: it becomes what "repeat" says again."""
    return state.model_copy(update={"last_said": text}), [Say(text=text, interrupt=interrupt)]


def _reply(state: SessionState, text: str) -> Result:
    """An answer of the moment ("Paused.", the time left): "repeat" after it still gives the
    instruction she is following, not the answer."""
    return state, [Say(text=text, interrupt=True)]


# --- commands, per phase --------------------------------------------------------------


def _anytime(plan: Plan, state: SessionState, command: Command) -> Result:
    """Commands that mean the same in every active phase."""
    intent = command.intent
    if intent == "repeat":
        return state, [
            Say(text=state.last_said or replies.status(plan, _segment(plan, state)), interrupt=True)
        ]
    if intent == "help":
        return _reply(state, replies.help_text(help_examples(), confirming=False, unit=state.unit))
    if intent in ("louder", "quieter", "slower", "faster"):
        return _voice(state, intent)
    if intent == "log" and plan.then is not None:
        return _reply(state, replies.milk_after_pumping(plan.then.routine.title))
    if intent == "log":
        return _log(state, command)
    if intent == "undo":
        return _undo(state)
    if intent == "time_left":
        segment = _segment(plan, state)
        step_left = segment.duration_s - state.elapsed_s
        return _reply(
            state, replies.time_left(step_left, step_left + plan.seconds_after(segment.index))
        )
    if intent == "status":
        return _reply(state, replies.status(plan, _segment(plan, state)))
    if intent in ("yes", "no"):
        return _reply(state, replies.NOTHING_TO_ANSWER)
    return _reply(state, replies.ALREADY_STARTED)


def _segment(plan: Plan, state: SessionState) -> Segment:
    return plan.segments[min(state.index, len(plan.segments) - 1)]


def _idle(plan: Plan, state: SessionState, command: Command) -> Result:
    if command.intent == "start":
        return _start(plan, state)
    if command.intent == "stop":
        return _finish(state)
    return _reply(state, replies.say_start(plan.routine.title))


def _running(plan: Plan, state: SessionState, command: Command) -> Result:
    match command.intent:
        case "next":
            return _enter(plan, state, state.index + 1, "skipped", interrupt=True)
        case "back":
            return _go_back(plan, state)
        case "pause":
            state = _to_phase(state, "paused", state.last_t)
            return _reply(state, replies.PAUSED)
        case "resume":
            return _reply(state, replies.STILL_GOING)
        case "stop":
            return _ask(state, "stop", replies.confirm_stop(), None)
    return _anytime(plan, state, command)


def _paused(plan: Plan, state: SessionState, command: Command) -> Result:
    match command.intent:
        case "resume" | "start":
            state = _to_phase(state, "running", state.last_t)
            title = plan.segments[state.index].title
            return _reply(state, replies.resuming(title))
        case "pause":
            return _reply(state, replies.ALREADY_PAUSED)
        case "next" | "back":
            return _running(plan, state, command)
        case "stop":
            return _ask(state, "stop", replies.confirm_stop(), None)
    return _anytime(plan, state, command)


def _confirming(plan: Plan, state: SessionState, command: Command) -> Result:
    question = state.pending.question if state.pending else ""
    which = state.pending is not None and state.pending.kind == "which"
    match command.intent:
        case "yes" if which:
            return state, [Say(text=replies.which_one(question), interrupt=True)]
        case "log" if which and _names_both(state, command):
            return state, [Say(text=replies.which_one(question), interrupt=True)]
        case "log" if which:
            return _which(state, command)
        case "yes":
            return _confirmed(plan, state)
        case "no":
            kind = state.pending.kind if state.pending else "stop"
            return _declined(
                state, replies.CARRYING_ON if kind == "stop" else replies.NOT_LOGGED_OK
            )
        case "stop" if state.resume_phase == "asking_yield" and not which:
            return _finish(_settle(state))  # done: the amount asked about is not stored
        case _ if which and command.intent not in ("repeat", "help"):
            return state, [Say(text=replies.first_which(question), interrupt=True)]
        case "log":
            state = _settle(state)
            reopened = [_listening(state)]
            state, effects = _log(state, command)
            return state, reopened + effects
        case "repeat" | "help":
            return state, [Say(text=question, interrupt=True)]
    return state, [Say(text=replies.first_yes_or_no(question), interrupt=True)]


def _asking_yield(plan: Plan, state: SessionState, command: Command) -> Result:
    match command.intent:
        case "stop" | "next":
            return _finish(state)
        case "back" | "time_left" | "status" | "pause" | "resume":
            return _reply(state, replies.routine_already_done())
    return _anytime(plan, state, command)


def _offering(plan: Plan, state: SessionState, command: Command) -> Result:
    match command.intent:
        case "start" | "yes" | "next" | "resume":
            return _next_routine(plan, state)
        case "stop" | "no":
            return _finish(state)
        case "back" | "time_left" | "status" | "pause":
            return _reply(state, state.last_said)
    return _anytime(plan, state, command)


def _finished(plan: Plan, state: SessionState, command: Command) -> Result:
    return state, [Say(text=replies.SESSION_OVER, interrupt=True)]


HANDLERS: dict[Phase, Callable[[Plan, SessionState, Command], Result]] = {
    "idle": _idle,
    "running": _running,
    "paused": _paused,
    "confirming": _confirming,
    "asking_yield": _asking_yield,
    "offering": _offering,
    "finished": _finished,
}

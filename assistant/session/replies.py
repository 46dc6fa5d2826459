"""Every sentence the assistant composes itself (routine cues come from the routine files).

Kept apart from the machine so wording can be improved without touching behaviour, and
phrased for the ear: short sentences, numbers as digits that a speech engine reads well.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.commands import AmountKey, Intent
from assistant.session.plan import Plan, Segment
from assistant.session.recap import Recap
from assistant.units import SPOKEN, Unit, said_number, spoken

SIDE_WORDS = {"left": "left breast", "right": "right breast"}
LOG_EXAMPLE = {"ml": "log 60 millilitres", "oz": "log 2 ounces"}
"""How to log, said in her unit (a bare number is heard as millilitres, so oz names the unit)."""
SIDES_EXAMPLE = {"ml": "left 40, right 35", "oz": "left 1.5 ounces, right 1 ounce"}
USUAL_BAND = 0.15
"""Today within this fraction of her usual by this time of day counts as "about the same"."""


def duration(seconds: float) -> str:
    """130 -> "2 minutes 10 seconds", for time-left answers."""
    total = max(0, round(seconds))
    minutes, secs = divmod(total, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs or not minutes:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts)


def welcome(plan: Plan) -> str:
    routine = plan.routine
    rounds = f" {plan.cycles} rounds." if plan.cycles > 1 else ""
    safety = " ".join(routine.safety)
    return (
        f"Starting {routine.title}, about {round(plan.total_s / 60)} minutes.{rounds} "
        f"{safety} Say help at any time to hear what you can say."
    )


def segment_cue(plan: Plan, segment: Segment) -> str:
    """What is said when a segment begins: any change of round or side, then the step's cue."""
    previous = plan.segments[segment.index - 1] if segment.index > 0 else None
    lead: list[str] = []
    if previous is not None and segment.cycle != previous.cycle:
        lead.append(f"Round {segment.cycle} of {plan.cycles}.")
    if segment.side != "both" and (previous is None or previous.side != segment.side):
        if previous is not None and previous.side != "both" and previous.cycle == segment.cycle:
            lead.append(f"Switch to the other side: your {SIDE_WORDS[segment.side]}.")
        else:
            lead.append(f"Start with your {SIDE_WORDS[segment.side]}.")
    if segment.repetitions > 1:
        lead.append(f"{segment.title}, {segment.repetition} of {segment.repetitions}.")
    instruction = segment.cue if segment.repetition == 1 else segment.again
    return " ".join(part for part in [*lead, instruction] if part)


def halfway() -> str:
    return "Halfway through this step."


def seconds_left(next_switches_side: bool) -> str:
    if next_switches_side:
        return "30 seconds left, then switch to the other side."
    return "30 seconds left."


def routine_done(unit: Unit) -> str:
    return (
        "That's the whole routine. Well done. When you're ready, tell me how much milk you got: "
        f"for example, {LOG_EXAMPLE[unit]}, or {SIDES_EXAMPLE[unit]}."
    )


def offer(pumping_title: str, completed: bool) -> str:
    """The end of a routine before pumping: what comes next is the pumping, not her milk."""
    done = "Well done." if completed else "Okay, stopped."
    return f"{done} You're ready to pump. Say start to begin {pumping_title}, or finish to stop."


def offer_again(pumping_title: str) -> str:
    return f"Whenever you're ready, say start to begin {pumping_title}, or finish to stop."


def milk_after_pumping(pumping_title: str) -> str:
    return f"Your milk is logged after pumping, in {pumping_title}."


def ask_amount(unit: Unit) -> str:
    return f"Tell me the amount, for example {LOG_EXAMPLE[unit]}."


def ask_yield_again() -> str:
    return "Whenever you're ready, tell me how much you got, or say finish."


def logged(
    amounts_ml: Mapping[AmountKey, float],
    total_ml: float,
    unit: Unit,
    session_ml: float | None = None,
) -> str:
    """The read-back; `session_ml`, the session's total once she has logged more than once."""
    sides = [
        f"{key} {said_number(amounts_ml[key], unit)}"
        for key in ("left", "right")
        if key in amounts_ml
    ]
    detail = f", {', '.join(sides)}" if sides else ""
    so_far = "" if session_ml is None else f" That makes {spoken(session_ml, unit)} this session."
    return f"Logged {spoken(total_ml, unit)}{detail}.{so_far} Say undo to take it back."


def another(amounts_ml: Mapping[AmountKey, float], session_ml: float, unit: Unit) -> str:
    """The same amount again, just after: a second bottle, or her saying it twice?"""
    said = _amounts_said(amounts_ml, unit)
    making = said_number(session_ml, unit)
    return f"Another {said}, making {making}? Say yes to add it, or no if it was the same one."


def heard_over_me(amounts_ml: Mapping[AmountKey, float], unit: Unit) -> str:
    """Heard while the coach talked, where one reading in two or three is wrong: asked, never
    stored unasked."""
    total_only = list(amounts_ml) == ["total"]
    said = spoken(amounts_ml["total"], unit) if total_only else _amounts_said(amounts_ml, unit)
    return f"Did you say {said}?"


def undone(total_ml: float, unit: Unit) -> str:
    return f"Took back {spoken(total_ml, unit)}."


def confirm_amount(amounts_ml: Mapping[AmountKey, float], total_ml: float, unit: Unit) -> str:
    if total_ml == 0:
        return f"Log zero {SPOKEN[unit]}? Say yes or no."
    parts = ", ".join(f"{key} {said_number(v, unit)}" for key, v in amounts_ml.items())
    return f"That's more than usual: {parts} {SPOKEN[unit]}. Log it anyway? Say yes or no."


def which_amount(
    first: Mapping[AmountKey, float], second: Mapping[AmountKey, float], unit: Unit
) -> str:
    """ "Sixty, or sixteen?": the two readings the recognizer could not tell apart."""
    said = [_amounts_said(a, unit) for a in (first, second)]
    return f"{said[0][:1].upper()}{said[0][1:]}, or {said[1]}?"


def _amounts_said(amounts_ml: Mapping[AmountKey, float], unit: Unit) -> str:
    """ "60", "left 40 and right 35" (the unit only when not millilitres: "2 ounces")."""
    if unit != "ml" and list(amounts_ml) == ["total"]:
        return spoken(amounts_ml["total"], unit)
    parts = [
        (said_number(v, unit) if key == "total" else f"{key} {said_number(v, unit)}")
        for key, v in amounts_ml.items()
    ]
    said = " and ".join(parts)
    return said if unit == "ml" else f"{said} {SPOKEN[unit]}"


def not_logged() -> str:
    return "Nothing logged. Say the amount again when you're ready."


def absurd_amount(amounts_ml: Mapping[AmountKey, float], unit: Unit) -> str:
    said = _amounts_said(amounts_ml, unit) + (f" {SPOKEN[unit]}" if unit == "ml" else "")
    return f"I didn't log {said}: that's more than anyone pumps. Please say the amount again."


def negative_amount() -> str:
    return "I can't log a negative amount. Please say the amount again."


def confirm_stop() -> str:
    return "Stop the routine now? Say yes or no."


def status(plan: Plan, segment: Segment) -> str:
    steps = len(plan.routine.all_steps)
    side = f", {SIDE_WORDS[segment.side]}" if segment.side != "both" else ""
    rounds = f", round {segment.cycle} of {plan.cycles}" if plan.cycles > 1 else ""
    return f"Step {segment.step_number} of {steps}: {segment.title}{side}{rounds}."


def time_left(step_left_s: float, routine_left_s: float) -> str:
    answer = f"{duration(step_left_s)} left in this step"
    if routine_left_s > step_left_s + 1:
        answer += f", about {duration(60 * round(routine_left_s / 60))} in all"
    return answer + "."


def help_text(examples: Mapping[Intent, str], confirming: bool, unit: Unit) -> str:
    if confirming:
        return "Please say yes or no."
    words = [examples[i] for i in examples if i not in ("yes", "no", "log", "start")]
    return (
        f"You can say: {', '.join(words)}. To record your milk, say log and the amount, "
        f"for example {LOG_EXAMPLE[unit]}."
    )


def finished(total_ml: float, completed: bool, unit: Unit, recap: Recap | None) -> str:
    got = f"You logged {spoken(total_ml, unit)}. " if total_ml else ""
    how = "Session saved." if completed else "Stopped early. Session saved."
    return f"{how} {got}{day_so_far(total_ml, unit, recap)}Take care."


def day_so_far(session_ml: float, unit: Unit, recap: Recap | None) -> str:
    """Today's total with this session, and how it compares with her usual by this time.

    Compared by time of day, not with a whole day's average, so a morning total is not
    set against a full day. Nothing is said when there is nothing to add to "you logged".
    """
    if recap is None:
        return ""
    today = recap.today_ml + session_ml
    usual = recap.usual_by_now_ml
    if today == 0 or (recap.today_sessions == 0 and not usual):
        return ""
    said = f"Today so far: {spoken(today, unit)}"
    if not usual:
        return f"{said}. "
    if abs(today - usual) <= USUAL_BAND * usual:
        return f"{said}, about what you usually have by this time. "
    than = "more than" if today > usual else "under"
    return f"{said}, {than} the {said_number(usual, unit)} you usually have by this time. "


# --- short answers ------------------------------------------------------------------------

PAUSED = "Paused. Say resume when you're ready."
STILL_PAUSED = "Still paused. Say resume when you're ready."
ALREADY_PAUSED = "Already paused. Say resume when you're ready."
STILL_GOING = "We're still going."
ALREADY_STARTED = "We've already started."
FIRST_STEP_AGAIN = "This is the first step; starting it again."
STOPPED = "Okay, stopped. If you pumped some milk, tell me how much, or say finish."
CARRYING_ON = "Okay, carrying on."
NOT_LOGGED_OK = "Okay, not logged."
TAKEN_AS_NO = "I'll take that as a no."
NOTHING_TO_UNDO = "There's nothing to undo."
NOTHING_TO_ANSWER = "There's nothing to answer right now."
SESSION_OVER = "This session is over."
FASTER, SLOWER, LOUDER, QUIETER = "Speaking faster.", "Speaking more slowly.", "Louder.", "Quieter."
VOICE_AT_LIMIT = "That's as far as my voice goes."


def say_start(title: str) -> str:
    return f"Say start when you're ready for {title}."


def resuming(title: str) -> str:
    return f"Resuming: {title}."


def which_one(question: str) -> str:
    return f"Which one? {question}"


def first_which(question: str) -> str:
    return f"First, which amount? {question}"


def first_yes_or_no(question: str) -> str:
    return f"First, yes or no? {question}"


def routine_already_done() -> str:
    return "The routine is done. " + ask_yield_again()

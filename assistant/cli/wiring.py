"""One way to put a session together, shared by `start`, `run` and `demo`: so a session
heard live, from a recording or in the demo is stored, spoken and closed the same way."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.clock import Clock
from assistant.errors import RoutineError
from assistant.hearing.echo import EchoRemoval
from assistant.hearing.engines import build
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Listener
from assistant.hearing.models import EngineChoice
from assistant.routines.loader import find_routine
from assistant.routines.model import Routine
from assistant.runtime.observer import Observer
from assistant.runtime.recording import ListenerControl
from assistant.runtime.runner import SessionRunner
from assistant.runtime.speaker_output import SpeakerOutput
from assistant.runtime.store_recorder import StoreRecorder
from assistant.session.plan import Plan, build_plan
from assistant.session.state import initial_state
from assistant.settings import Settings
from assistant.speech.speaker import Speaker
from assistant.store.sqlite_store import SessionStore


@dataclass(frozen=True)
class Wired:
    runner: SessionRunner
    recorder: StoreRecorder

    @property
    def session_ids(self) -> list[int]:
        """The sessions stored: one, or a warm-up and the pumping routine it led to."""
        return list(self.recorder.session_ids)


def plan_for(routine: Routine, cycles: int | None, folder: Path | None) -> Plan:
    """The routine's plan and, for a routine before pumping, the pumping routine it offers."""
    if routine.leads_to is None:
        return build_plan(routine, cycles)
    following = find_routine(routine.leads_to, folder)
    if not following.pumping:
        raise RoutineError(
            f'"{routine.name}" leads to "{following.name}", which leads to another routine '
            "in turn: a routine before pumping must lead to a pumping routine."
        )
    return build_plan(routine, cycles, then=build_plan(following))


@contextmanager
def wired_session(
    plan: Plan,
    settings: Settings,
    store: SessionStore,
    clock: Clock,
    note: str,
    shown: Sequence[Observer],
    speaker: Speaker | None = None,
    listener: Listener | None = None,
) -> Iterator[Wired]:
    """The session's runner: every step stored first, then spoken, passed to the listener
    (what to listen for) and `shown`. However the `with` ends (Ctrl-C, an error) the session
    is closed, so it gets its end, and the listener lets go of its engine."""
    recorder = StoreRecorder(store, clock, plan.routine.name, note, pumping=plan.routine.pumping)
    observers: list[Observer] = [recorder]
    observers += [SpeakerOutput(speaker)] if speaker is not None else []
    observers += [ListenerControl(listener)] if listener is not None else []
    observers += shown
    state = initial_state(settings.rate_wpm, settings.volume, settings.unit)
    runner = SessionRunner(plan, state, observers)
    recorder.tell = runner.announce
    try:
        yield Wired(runner, recorder)
    finally:
        runner.close()
        if listener is not None:
            listener.close()


def listener_for(
    choice: EngineChoice,
    settings: Settings,
    coach_sounding: Callable[[float], bool],
    echo: EchoRemoval | None,
) -> Listener:
    """The engine's listener. With the coach's echo taken out she is heard while it talks;
    without, the microphone is shut while `coach_sounding`."""
    sounding = never_speaking if echo is not None else coach_sounding
    gate = MicGate(sounding, settings.recognition.gate_tail_s)
    return Listener(build(choice, settings, os.environ), settings.recognition, gate, echo)

"""Hand-written fakes and small fixtures shared by the tests (no patching needed)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.audio.pcm import Samples
from assistant.commands import Command
from assistant.hearing.recognizer import Hypothesis, ListenFor
from assistant.routines.model import Reminder, Routine, Source, Step
from assistant.session.effects import Effect, Say
from assistant.session.events import CommandEvent, Tick
from assistant.session.machine import step
from assistant.session.plan import Plan, build_plan
from assistant.session.state import SessionState, initial_state


def tiny_routine(cycles: int = 1) -> Routine:
    """Three steps covering both breasts at once, each side in turn, and a routine reminder."""
    return Routine(
        name="tiny",
        title="Tiny",
        summary="A short routine for tests.",
        cycles=cycles,
        safety=("Keep it gentle.",),
        sources=(Source(title="Test", credit="Test credit", document="test.txt"),),
        steps=(
            Step(id="pump", title="Pump", cue="Pump with both breasts.", duration_s=120),
            Step(id="knead", title="Knead", cue="Knead one breast.", duration_s=100, side="each"),
            Step(
                id="shake",
                title="Shake",
                cue="Lean forward and shake.",
                duration_s=30,
                reminders=(Reminder(after_s=10, text="Nice and light."),),
            ),
        ),
    )


@dataclass
class Driver:
    """Drives the pure machine the way the runner does, keeping every effect it returns."""

    plan: Plan = field(default_factory=lambda: build_plan(tiny_routine()))
    state: SessionState = field(default_factory=initial_state)
    effects: list[Effect] = field(default_factory=list)

    def say(self, t: float, intent: str, **amounts: float) -> list[Effect]:
        command = Command(intent=intent, amounts_ml=amounts or None, text=intent)
        return self._feed(CommandEvent(t=t, command=command))

    def tick(self, t: float) -> list[Effect]:
        return self._feed(Tick(t=t))

    def tick_through(self, start: float, end: float, step_s: float = 0.5) -> list[Effect]:
        produced: list[Effect] = []
        t = start
        while t <= end:
            produced += self.tick(t)
            t += step_s
        return produced

    def _feed(self, event: CommandEvent | Tick) -> list[Effect]:
        self.state, produced = step(self.plan, self.state, event)
        self.effects += produced
        return produced


def spoken(effects: list[Effect]) -> list[str]:
    return [e.text for e in effects if isinstance(e, Say)]


@dataclass
class FakeSpeaker:
    """Records what it was asked to say, with the session time and interrupt flag."""

    said: list[tuple[float, str, bool]] = field(default_factory=list)
    voice: tuple[int, float] | None = None
    closed: bool = False

    def say(self, text: str, t: float, interrupt: bool = False) -> None:
        self.said.append((t, text, interrupt))

    def set_voice(self, rate_wpm: int, volume: float) -> None:
        self.voice = (rate_wpm, volume)

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeRecognizer:
    """Answers every utterance with the readings it was given, and notes what it heard."""

    readings: list[Hypothesis]
    name: str = "fake"
    listening: str = "commands"
    utterances: int = 0

    def listen_for(self, what: ListenFor) -> None:
        self.listening = what

    def decode(self, samples: Samples) -> list[Hypothesis]:
        self.utterances += 1
        return list(self.readings)

    def close(self) -> None:
        pass

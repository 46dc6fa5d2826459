"""Feeds events to the state machine and hands each effect to every observer.

This is the only place where the pure machine meets the world; it holds the current state
and nothing else, so live and scripted sessions share every line of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from assistant.commands import Command
from assistant.grammar import parse
from assistant.grammar.parser import Expecting
from assistant.runtime.observer import Observer
from assistant.runtime.own_words import OwnWords
from assistant.session.effects import Effect, GateMic, NextRoutine, Say
from assistant.session.events import Briefing, CommandEvent, Event, Tick
from assistant.session.machine import step
from assistant.session.plan import Plan
from assistant.session.snapshot import snapshot
from assistant.session.state import SessionState, initial_state


@runtime_checkable
class Briefer(Protocol):
    """An observer that knows her history (the store) and briefs the machine before the start."""

    def briefing(self, t: float) -> Briefing:
        """What the session should know about her day, as data for the pure machine."""
        ...


class SessionRunner:
    """Owns the session state; everything else is told, never asked."""

    def __init__(self, plan: Plan, state: SessionState, observers: Sequence[Observer]) -> None:
        self.plan = plan
        self.state = state
        self._observers = list(observers)
        self._own_words = OwnWords()
        self._listening: str = "commands"
        """What the machine last said to listen for (`GateMic`)."""

    @property
    def _expecting(self) -> Expecting:
        """What typed words are read as: while the coach waits for an amount, "sixty five"
        alone answers it, as it does when she says it."""
        return "amount" if self._listening == "amount" else "command"

    @property
    def _asking(self) -> bool:
        """A yes/no question is waiting for her answer."""
        return self._listening == "yes_no"

    @property
    def finished(self) -> bool:
        return self.state.phase == "finished"

    def begin(self, t: float = 0.0) -> None:
        """Start the routine: she started the session, so she need not also say "start".

        Briefers (the store recorder) go first, so the summary at the end can mention her day.
        """
        for observer in self._observers:
            if isinstance(observer, Briefer):
                self.feed(observer.briefing(t))
        self.feed(CommandEvent(t=t, command=Command(intent="start")))

    def announce(self, t: float, text: str) -> None:
        """News from outside the session (the microphone stopped): said and shown like a cue,
        without touching the session's state."""
        self._own_words.said(text)
        for observer in self._observers:
            observer.on_effect(t, Say(text=text))

    def hear(self, t: float, text: str) -> Command | None:
        """Words arrived: act on them if they are a command, otherwise just note them."""
        command = parse(text, self._expecting)
        for observer in self._observers:
            observer.on_input(t, text, command)
        if command is not None:
            self.feed(CommandEvent(t=t, command=command))
        return command

    def note(self, t: float, text: str) -> None:
        """Words heard that are no command (the listener decided so): only shown and logged."""
        for observer in self._observers:
            observer.on_input(t, text, None)

    def command(self, t: float, command: Command) -> None:
        """A command already decided elsewhere (a recognizer that parsed its own result).
        Heard over the coach, it is only noted if the coach's own words could be read as it,
        or if it is a yes or no to no question: "yeah" while the coach talks is her
        listening (or the coach's echo), not an answer."""
        backchannel = command.intent in ("yes", "no") and not self._asking
        if command.over_coach and (backchannel or self._own_words.could_be(command)):
            self.note(t, command.text)
            return
        for observer in self._observers:
            observer.on_input(t, command.text, command)
        self.feed(CommandEvent(t=t, command=command))

    def tick(self, t: float) -> None:
        self.feed(Tick(t=t))

    def feed(self, event: Event) -> None:
        self.state, effects = step(self.plan, self.state, event)
        self._carry_out(event.t, effects)
        if self.plan.then is not None and any(isinstance(e, NextRoutine) for e in effects):
            self._follow_on(event.t, self.plan.then)

    def _follow_on(self, t: float, plan: Plan) -> None:
        """The pumping routine she chose at the end of the one before it, begun at once with
        her voice settings; observers were told (the store opened its session)."""
        voice = self.state
        self.plan = plan
        self.state = initial_state(voice.rate_wpm, voice.volume, voice.unit)
        self.begin(t)

    def _carry_out(self, t: float, effects: list[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Say):
                self._own_words.said(effect.text)
            if isinstance(effect, GateMic):
                self._listening = effect.listen_for
            for observer in self._observers:
                observer.on_effect(t, effect)
        frame = snapshot(self.plan, self.state)
        for observer in self._observers:
            observer.on_frame(t, frame)

    def close(self) -> None:
        for observer in self._observers:
            observer.close()

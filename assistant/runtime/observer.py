"""What the runner tells the outside world, one small interface for every output."""

from __future__ import annotations

from typing import Protocol

from assistant.commands import Command
from assistant.session.effects import Effect
from assistant.session.snapshot import Snapshot


class Observer(Protocol):
    """Something that reacts to a session: speaker, store, event log, screen."""

    def on_input(self, t: float, text: str, command: Command | None) -> None:
        """Words arrived (typed, scripted or heard); `command` is None when they meant nothing."""
        ...

    def on_effect(self, t: float, effect: Effect) -> None:
        """The machine asked for `effect` at session time `t`."""
        ...

    def on_frame(self, t: float, frame: Snapshot) -> None:
        """The state changed or time moved; here is what the screen should show."""
        ...

    def close(self) -> None:
        """The session is over (or interrupted): flush and release."""
        ...


class BaseObserver:
    """No-op defaults, so each observer writes only the methods it cares about."""

    def on_input(self, t: float, text: str, command: Command | None) -> None:
        return None

    def on_effect(self, t: float, effect: Effect) -> None:
        return None

    def on_frame(self, t: float, frame: Snapshot) -> None:
        return None

    def close(self) -> None:
        return None

"""The live terminal view: current step, countdown, what was heard and said, what is logged."""

from __future__ import annotations

from collections import deque

from rich.console import Console, Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from assistant.cli.shown_words import command_text
from assistant.commands import Command
from assistant.runtime.event_log import clock_label
from assistant.runtime.observer import BaseObserver
from assistant.session.effects import Effect, Say
from assistant.session.snapshot import Snapshot
from assistant.units import shown

PHASE_STYLES = {
    "running": "bold green",
    "paused": "bold yellow",
    "confirming": "bold magenta",
    "asking_yield": "bold cyan",
    "offering": "bold cyan",
    "finished": "bold blue",
    "idle": "dim",
}


class LiveView(BaseObserver):
    """Redraws one panel in place; the typed line is drawn inside it."""

    def __init__(self, console: Console, hint: str) -> None:
        self._console = console
        self._hint = hint
        self._frame: Snapshot | None = None
        self._t = 0.0
        self._typed = ""
        self._said: deque[str] = deque(maxlen=3)
        self._heard = Text("")
        self._live = Live(console=console, auto_refresh=False, transient=False)
        self._live.start()

    def typing(self, buffer: str) -> None:
        self._typed = buffer
        self._refresh()

    def on_input(self, t: float, text: str, command: Command | None) -> None:
        if command is None:
            self._heard = Text(f"“{text}” is not a command. Say or type help.", style="yellow")
        else:
            unit = self._frame.unit if self._frame is not None else "ml"
            self._heard = Text(f"{text}  →  {command_text(command, unit)}", style="bold")

    def on_effect(self, t: float, effect: Effect) -> None:
        if isinstance(effect, Say):
            self._said.append(f"{clock_label(t)}  {effect.text}")

    def on_frame(self, t: float, frame: Snapshot) -> None:
        self._frame, self._t = frame, t
        self._refresh()

    def close(self) -> None:
        self._refresh()
        self._live.stop()

    def _refresh(self) -> None:
        if self._frame is not None:
            self._live.update(self._render(self._frame), refresh=True)

    def _render(self, frame: Snapshot) -> Panel:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", justify="right")
        grid.add_column()
        phase = Text(frame.phase.replace("_", " "), style=PHASE_STYLES[frame.phase])
        grid.add_row("now", Group(phase, Text(frame.step)))
        if frame.step_duration_s:
            done = frame.step_duration_s - frame.step_left_s
            bar = ProgressBar(total=frame.step_duration_s, completed=done, width=30)
            step_left, all_left = clock_label(frame.step_left_s), clock_label(frame.routine_left_s)
            left = f"{step_left} left · {all_left} in all"
            grid.add_row("step", Group(bar, Text(left)))
        if frame.question:
            grid.add_row("asking", Text(frame.question, style="magenta"))
        grid.add_row("coach", Text("\n".join(self._said) or "…"))
        grid.add_row("heard", self._heard)
        grid.add_row("logged", Text(shown(frame.logged_ml, frame.unit)))
        grid.add_row("type", Text(f"> {self._typed}▌", style="bold"))
        # Text, not markup: the routine's title is her words ("Evening [short]").
        title = Text(f"Pump Coach · {frame.routine} · {clock_label(self._t)}")
        return Panel(grid, title=title, subtitle=Text(self._hint), border_style="cyan")

"""Scripted sessions: commands typed in advance, played on the virtual clock.

The commands file is a contract: one command a line as `SECONDS TEXT`, seconds counted
from the session's start. Blank lines and lines starting with `#` are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.clock import VirtualClock
from assistant.errors import CommandsFileError
from assistant.runtime.runner import SessionRunner
from assistant.user_files import FileProblem, read_text

TICK_S = 0.5
"""Virtual time between clock ticks; reminders land within this of their moment."""
OVERTIME_S = 3600.0
"""A scripted session still unfinished this long after its routine should have ended is stopped."""
LATEST_S = 86_400.0
"""The latest moment a line may name: a day. The virtual clock ticks up to each line, so a line
at 1e300 (or inf) seconds would tick for ever; no session is that long."""


@dataclass(frozen=True)
class ScriptLine:
    t: float
    text: str


def read_commands(path: Path) -> list[ScriptLine]:
    """Parse a commands file; a bad line is reported with its number, never skipped."""
    try:
        raw = read_text(path, "a commands file")
    except FileProblem as problem:
        raise CommandsFileError(f"The commands file {path} {problem}.") from None
    lines = []
    for number, line in enumerate(raw.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            lines.append(_parse_line(path, number, stripped))
    return sorted(lines, key=lambda line: line.t)


def _parse_line(path: Path, number: int, line: str) -> ScriptLine:
    seconds, _, text = line.partition(" ")
    try:
        t = float(seconds)
    except ValueError:
        t = -1.0
    if not 0 <= t <= LATEST_S or not text.strip():
        shown = repr(line) if len(line) <= 60 else repr(line[:57]) + "..."
        raise CommandsFileError(
            f"{path}:{number}: expected `SECONDS TEXT` with SECONDS from 0 to {LATEST_S:.0f} "
            f"(e.g. `12.5 log sixty ml`), got {shown}."
        )
    return ScriptLine(t=t, text=text.strip())


def run_script(runner: SessionRunner, clock: VirtualClock, lines: list[ScriptLine]) -> None:
    """Start the session at 0, play each line at its time, tick until the session ends."""
    runner.begin(0.0)
    t = 0.0
    for line in lines:
        t = _tick_until(runner, clock, t, line.t)
        if runner.finished:
            return
        clock.advance_to(line.t)
        runner.hear(line.t, line.text)
    finish_on_virtual_clock(runner, clock, t)


def finish_on_virtual_clock(runner: SessionRunner, clock: VirtualClock, t: float) -> None:
    """With no more input, let virtual time run until the session ends by itself."""
    _tick_until(runner, clock, t, t + runner.plan.total_s + OVERTIME_S)


def _tick_until(runner: SessionRunner, clock: VirtualClock, t: float, until: float) -> float:
    """Tick every TICK_S from `t` up to `until` (or until the session ends); returns the time."""
    while not runner.finished and t + TICK_S <= until:
        t += TICK_S
        clock.advance_to(t)
        runner.tick(t)
    return t

"""Live sessions on the real clock: typed (and, later, spoken) words arrive on a queue."""

from __future__ import annotations

import queue

from assistant.clock import Clock
from assistant.runtime.runner import SessionRunner

TICK_S = 0.25
"""How often the clock is checked while no words arrive; also the screen's refresh rate."""


def run_live(runner: SessionRunner, clock: Clock, words: queue.Queue[str]) -> None:
    """Run until the session finishes; words are handled the moment they arrive."""
    runner.begin(clock.now())
    while not runner.finished:
        try:
            text = words.get(timeout=TICK_S)
        except queue.Empty:
            text = ""
        if text.strip():
            runner.hear(clock.now(), text)
        runner.tick(clock.now())

"""Live sessions on the real clock: typed lines and heard utterances arrive on one queue.

Only this loop touches the session runner, so the keyboard and microphone threads never
race each other: they just post what they got.
"""

from __future__ import annotations

import queue
import threading

from assistant.audio.source import AudioSource
from assistant.clock import Clock
from assistant.hearing.listener import Heard, Listener
from assistant.runtime.recording import deliver
from assistant.runtime.runner import SessionRunner

TICK_S = 0.25
"""How often the clock is checked while nothing arrives; also the screen's refresh rate."""

Arrival = str | Heard
"""A typed line, or an utterance the listener decided."""


def run_live(runner: SessionRunner, clock: Clock, arrivals: queue.Queue[Arrival]) -> None:
    """Run until the session finishes; whatever arrives is handled at once."""
    runner.begin(clock.now())
    while not runner.finished:
        try:
            arrival = arrivals.get(timeout=TICK_S)
        except queue.Empty:
            arrival = ""
        if isinstance(arrival, Heard):
            deliver(runner, arrival)
        elif arrival.strip():
            runner.hear(clock.now(), arrival)
        runner.tick(clock.now())


def listen_in_background(
    source: AudioSource, listener: Listener, arrivals: queue.Queue[Arrival]
) -> threading.Thread:
    """Feed the microphone to the listener on its own thread, posting each decided utterance."""

    def listen() -> None:
        for frame in source.frames():
            heard = listener.push(frame)
            if heard is not None:
                arrivals.put(heard)

    thread = threading.Thread(target=listen, name="pumpcoach-listener", daemon=True)
    thread.start()
    return thread

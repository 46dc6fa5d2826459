"""Live sessions on the real clock: typed lines and heard utterances arrive on one queue.

Only this loop touches the session runner, so the keyboard and microphone threads never
race each other: they just post what they got.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from assistant.audio.source import AudioSource
from assistant.clock import Clock
from assistant.errors import AudioError
from assistant.hearing.listener import Heard, Listener
from assistant.runtime.recording import deliver
from assistant.runtime.runner import SessionRunner

TICK_S = 0.25
"""How often the clock is checked while nothing arrives; also the screen's refresh rate."""
RETRY_S = 2.0
"""How often a microphone that stopped is looked for again."""
MIC_BACK = "The microphone is back; I'm listening again."


@dataclass(frozen=True)
class MicNews:
    """The microphone stopped, or came back: a sentence for her, spoken and shown."""

    text: str


Arrival = str | Heard | MicNews
"""A typed line, an utterance the listener decided, or news of the microphone."""


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
        elif isinstance(arrival, MicNews):
            runner.announce(clock.now(), arrival.text)
        elif arrival.strip():
            runner.hear(clock.now(), arrival)
        runner.tick(clock.now())


class Hearing:
    """The microphone on a thread of its own, feeding the listener and posting what it
    decides. A microphone that stops (unplugged, its server gone) is said once; typing goes
    on, and the microphone is opened again every RETRY_S until it is back."""

    def __init__(
        self,
        open_source: Callable[[], AudioSource],
        listener: Listener,
        arrivals: queue.Queue[Arrival],
    ) -> None:
        self._open = open_source
        self._listener = listener
        self._arrivals = arrivals
        self._stopped = threading.Event()
        self._source: AudioSource | None = None
        self._thread = threading.Thread(target=self._listen, name="pumpcoach-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stopped.set()
        if self._source is not None:
            self._source.close()
        self._thread.join(timeout=5)

    def _listen(self) -> None:
        lost = False
        while not self._stopped.is_set():
            try:
                self._source = self._open()
                if lost:
                    self._arrivals.put(MicNews(MIC_BACK))
                lost = False
                self._hear(self._source)
            except AudioError as error:
                if not lost:
                    self._arrivals.put(MicNews(f"{error} Type your commands meanwhile."))
                lost = True
            finally:
                if self._source is not None:
                    self._source.close()
            self._stopped.wait(RETRY_S)

    def _hear(self, source: AudioSource) -> None:
        for frame in source.frames():
            heard = self._listener.push(frame)
            if heard is not None:
                self._arrivals.put(heard)

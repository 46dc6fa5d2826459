"""A microphone that stops mid-session: one sentence, typing goes on, and it is picked up again
when it comes back (fast: fake sources that fail as a real one does)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

import numpy as np
import pytest

from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES
from assistant.audio.source import AudioSource, Frame
from assistant.clock import VirtualClock
from assistant.errors import AudioError
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Listener
from assistant.hearing.recognizer import Hypothesis
from assistant.runtime import live
from assistant.runtime.live import MIC_BACK, Arrival, Hearing, MicNews, run_live
from assistant.runtime.observer import BaseObserver
from assistant.runtime.runner import SessionRunner
from assistant.session.effects import Effect
from assistant.session.plan import build_plan
from assistant.session.state import initial_state
from assistant.settings import Settings
from tests.fakes import FakeRecognizer, spoken, tiny_routine

STOPPED = "The microphone 'fake' stopped sending sound; check that it is still connected."


class Failing:
    """A microphone that sends `frames` of quiet and then stops sending."""

    def __init__(self, frames: int) -> None:
        self._frames = frames
        self.closed = threading.Event()

    def frames(self) -> Iterator[Frame]:
        for i in range(self._frames):
            yield Frame(np.zeros(FRAME_SAMPLES, np.int16), i * FRAME_S)
        raise AudioError(STOPPED)

    def close(self) -> None:
        self.closed.set()


class Steady(Failing):
    """A microphone that sends quiet until it is closed."""

    def frames(self) -> Iterator[Frame]:
        i = 0
        while not self.closed.is_set():
            yield Frame(np.zeros(FRAME_SAMPLES, np.int16), i * FRAME_S)
            i += 1
            self.closed.wait(0.001)


def _news(arrivals: queue.Queue[Arrival], count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        arrival = arrivals.get(timeout=5)
        if isinstance(arrival, MicNews):
            found.append(arrival.text)
    return found


def test_a_microphone_that_stops_is_said_once_and_picked_up_when_it_comes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(live, "RETRY_S", 0.01)
    back = Steady(0)
    opens: list[AudioSource | AudioError] = [Failing(10), AudioError("No microphone."), back]

    def open_source() -> AudioSource:
        found = opens.pop(0) if opens else back
        if isinstance(found, AudioError):
            raise found
        return found

    settings = Settings().recognition
    listener = Listener(
        FakeRecognizer([Hypothesis("next", 0.9)]), settings, MicGate(never_speaking, 0)
    )
    arrivals: queue.Queue[Arrival] = queue.Queue()
    hearing = Hearing(open_source, listener, arrivals)
    hearing.start()
    try:
        assert _news(arrivals, 2) == [f"{STOPPED} Type your commands meanwhile.", MIC_BACK]
    finally:
        hearing.close()
    assert back.closed.is_set()
    assert opens == []


class Kept(BaseObserver):
    def __init__(self) -> None:
        self.effects: list[Effect] = []

    def on_effect(self, t: float, effect: Effect) -> None:
        self.effects.append(effect)


def test_news_of_the_microphone_is_said_and_the_session_goes_on_typed() -> None:
    kept = Kept()
    runner = SessionRunner(build_plan(tiny_routine()), initial_state(), [kept])
    arrivals: queue.Queue[Arrival] = queue.Queue()
    for arrival in (MicNews(STOPPED), "stop", "yes", "finish"):
        arrivals.put(arrival)
    run_live(runner, VirtualClock(), arrivals)
    said = spoken(kept.effects)
    assert STOPPED in said
    assert runner.finished
    assert said.index(STOPPED) < len(said) - 1  # typed commands were still acted on after it

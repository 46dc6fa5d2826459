"""The listener decodes in the endpointer's hangover, with the real engines on real audio."""

from __future__ import annotations

import pytest

from assistant.audio.pcm import FRAME_S, Audio, Samples
from assistant.audio.pump_noise import PROFILES
from assistant.audio.source import frames_of
from assistant.audio.voices import WOMEN, speak
from assistant.demo.scenario import Utterance, render
from assistant.hearing.engines import build, choose
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Heard, Listener
from assistant.hearing.models import default_models_dir
from assistant.hearing.recognizer import Hypothesis, ListenFor, Recognizer
from assistant.settings import Settings

pytestmark = pytest.mark.slow
SETTINGS = Settings()


class Watched:
    """The real recognizer, noting which frame each decode ended on."""

    def __init__(self, inner: Recognizer) -> None:
        self.name = inner.name
        self._inner = inner
        self.frame = 0
        self.decoded_at: list[int] = []

    def listen_for(self, what: ListenFor) -> None:
        self._inner.listen_for(what)

    def decode(self, samples: Samples) -> list[Hypothesis]:
        self.decoded_at.append(self.frame)
        return self._inner.decode(samples)

    def close(self) -> None:
        self._inner.close()


def hear(audio: Audio) -> tuple[list[tuple[int, Heard]], Watched]:
    choice = choose(SETTINGS, {}, default_models_dir(), "pocketsphinx")
    watched = Watched(build(choice, SETTINGS, {}))
    listener = Listener(watched, SETTINGS.recognition, MicGate(never_speaking, 0.0))
    decided = []
    for i, frame in enumerate(frames_of(audio)):
        watched.frame = i
        heard = listener.push(frame)
        if heard is not None:
            decided.append((i, heard))
    watched.close()
    return decided, watched


def said(texts: list[str], gap_s: float) -> Audio:
    utterances, t = [], 3.5
    for text in texts:
        duration = speak(text, WOMEN[1]).duration_s
        utterances.append(Utterance(text, t, t + duration))
        t += duration + gap_s
    return render(utterances, WOMEN[1], PROFILES["double-electric"], 20.0, seed=3)


def test_the_decode_is_done_before_the_hangover_ends() -> None:
    """The frame that decides does no decoding: it was done a trail after her last word."""
    [(frame, heard)], watched = hear(said(["pause"], 2.0))
    assert heard.command is not None and heard.command.intent == "pause"
    [decoded] = watched.decoded_at
    hangover = SETTINGS.recognition.hangover_s - SETTINGS.recognition.trail_s
    assert frame - decoded >= round(hangover / FRAME_S) - 2


def test_when_she_goes_on_after_a_pause_the_early_guess_is_dropped() -> None:
    """A pause longer than the trail but shorter than the hangover: the guess made in it is
    dropped, and the one utterance is decided on all of it."""
    first = speak("log sixty", WOMEN[1]).duration_s
    decided, watched = hear(said(["log sixty", "five milliliters"], gap_s=0.15))
    assert len(watched.decoded_at) == 2  # the guess after "log sixty", then the whole
    [(_, heard)] = decided
    assert heard.end_s > 3.5 + first + 0.5
    assert "five" in heard.text or "5" in heard.text

"""Sessions driven by audio: a recording on the virtual clock, or the microphone live.

File time is session time: each 20 ms frame moves the virtual clock, so a twenty-minute
recording runs in a fraction of that and the result is the same every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol

import numpy as np

from assistant.audio.pcm import FRAME_S, FRAME_SAMPLES, SAMPLE_RATE, Samples, to_int16
from assistant.audio.room import convolve, impulse_response
from assistant.audio.source import Frame
from assistant.clock import VirtualClock
from assistant.hearing.listener import Heard, Listener
from assistant.runtime.observer import BaseObserver
from assistant.runtime.runner import SessionRunner
from assistant.runtime.script import finish_on_virtual_clock
from assistant.session.effects import Effect, GateMic

TICK_S = 0.1
"""Virtual time between clock ticks while audio plays."""
ECHO_DELAY_S = 0.05
"""How late the coach's voice reaches the microphone by default (`--echo-delay`)."""
ECHO_RT60_S = 0.3
ECHO_WET_DB = -6.0
"""The simulated room's reverberation time, and its reflections' energy against the direct
sound: a small, fairly bare room."""


class ListenerControl(BaseObserver):
    """Carries the machine's `GateMic` effects to the listener (yes/no, or nothing more)."""

    def __init__(self, listener: Listener) -> None:
        self._listener = listener

    def on_effect(self, t: float, effect: Effect) -> None:
        if isinstance(effect, GateMic):
            self._listener.listen_for(effect.listen_for)


class Timeline(Protocol):
    """What a speaker sounded when (a WavSpeaker)."""

    def audio_between(self, start_s: float, end_s: float) -> Samples: ...


class Echo:
    """Plays the coach's cues back into the input as a room would: `delay_s` late (the
    speaker's and the mic's buffers, the distance), through a reverberant room (`ECHO_RT60_S`),
    `gain_db` relative to the cues as spoken."""

    def __init__(self, speaker: Timeline, gain_db: float, delay_s: float = ECHO_DELAY_S) -> None:
        self._speaker = speaker
        self._gain = 10 ** (gain_db / 20)
        self._delay_s = delay_s
        self._response = impulse_response(ECHO_RT60_S, ECHO_WET_DB, seed=0)
        self._span_s = (len(self._response) - 1) / SAMPLE_RATE

    def __call__(self, samples: Samples, t: float) -> Samples:
        start = t - self._delay_s - self._span_s
        cue = self._speaker.audio_between(start, t - self._delay_s + len(samples) / SAMPLE_RATE)
        if not cue.any():
            return samples
        echo = convolve(cue.astype(np.float64), self._response)[-len(samples) :]
        return to_int16(samples.astype(np.float64) + self._gain * echo)


def deliver(runner: SessionRunner, heard: Heard) -> None:
    """Hand a decided utterance to the session at the moment it was decided. What the
    listener decided is no command stays none: its words (Whisper's reading, "1.60") are
    shown, never parsed again."""
    if heard.command is not None:
        runner.command(heard.decided_s, heard.command)
    else:
        runner.note(heard.decided_s, heard.text)


def run_recording(
    runner: SessionRunner,
    clock: VirtualClock,
    frames: Iterable[Frame],
    listener: Listener,
    echo: Echo | None = None,
) -> None:
    """Start the session, play the recording through the listener, then let time run out."""
    runner.begin(0.0)
    next_tick = TICK_S
    t = 0.0
    for frame in with_trailing_silence(frames):
        samples = echo(frame.samples, frame.t) if echo else frame.samples
        heard = listener.push(Frame(samples, frame.t))
        t = frame.t + FRAME_S
        clock.advance_to(t)
        if heard is not None:
            deliver(runner, heard)
        if t >= next_tick:
            runner.tick(t)
            next_tick += TICK_S
        if runner.finished:
            return
    finish_on_virtual_clock(runner, clock, t)


def heard_in(listener: Listener, frames: Iterable[Frame]) -> Iterator[Heard]:
    """Everything the listener decides in a recording (what `pumpcoach hear` prints)."""
    for frame in with_trailing_silence(frames):
        heard = listener.push(frame)
        if heard is not None:
            yield heard


def with_trailing_silence(frames: Iterable[Frame], seconds: float = 1.0) -> Iterator[Frame]:
    """The frames, then `seconds` of silence, so speech at the very end is still decided."""
    t = 0.0
    for frame in frames:
        t = frame.t + FRAME_S
        yield frame
    quiet = np.zeros(FRAME_SAMPLES, dtype=np.int16)
    for i in range(round(seconds / FRAME_S)):
        yield Frame(quiet, t + i * FRAME_S)

"""Where she starts and stops speaking, in 20 ms frames, over a breast pump that never stops.

A plain voice-activity detector compares each frame to one slowly tracked noise floor. A
pump defeats that: its suction whoosh swells and fades about once a second, so a floor that
sits at the quiet phase takes every pull for speech and the utterance never closes. Here the
floor is what the pump did at this point of its cycle (noise_floor.py), and:

- Each frame becomes ten band energies (features.py): 250 Hz to 8 kHz, above the hum.
- A frame's score is the mean excess over the floor of its four most-raised bands, in dB.
  Speech starts after three frames at least onset_db above (a 12 ms click is one or two
  frames), backdated over the frames just before it that were at least offset_db above; it
  continues while the median of the last three scores is at least offset_db and ends after
  hangover_s below.
- An utterance that has lasted PUMP_CHECK_S is checked for the pump's cycle; if it is one
  (the pump just started), it is ended as dropped and its frames become the floor at once.
  Anything else (a fan) is cut at max_speech_s; the endpointer then waits, learning the new
  noise, until it quietens.

Frames are placed by their time stamps, so a caller that stops pushing while the coach speaks
(the mic gate) leaves a gap that is treated as unknown audio, not as silence.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.audio.pcm import FRAME_S, Samples
from assistant.audio.source import Frame
from assistant.hearing.echo_floor import EchoFloor, together
from assistant.hearing.features import BANDS, SILENT_DB, Vector, band_energies_db
from assistant.hearing.noise_floor import PERIOD_EVERY, NoiseFloor
from assistant.settings import RecognitionSettings


@dataclass(frozen=True)
class SpeechStart:
    """An utterance begins."""

    t: float
    """Where the speech starts, in source seconds: the first frame above the floor."""
    preroll: list[Samples]
    """Frames to feed the recognizer first, oldest first: up to preroll_s from before `t`,
    then every frame from `t` up to and including the frame that was just pushed."""


@dataclass(frozen=True)
class SpeechEnd:
    """An utterance is over."""

    t: float
    """Where the speech ended (the end of its last speech frame), in source seconds."""
    decided_t: float
    """When that was decided: the end of the frame just pushed (about t + hangover_s)."""
    dropped: bool
    """True when the segment was shorter than min_speech_s or was cut at max_speech_s: the
    caller discards the recognizer's result."""


Event = SpeechStart | SpeechEnd

PUMP_CHECK_S = 2.4
"""An utterance this long (s) is checked for being the pump's cycle (one that just started)."""
ONSET_FRAMES = 3
"""Consecutive frames at or above onset_db that start an utterance."""
TOP_BANDS = 4
"""The score is the mean excess of this many most-raised bands."""


class SpeechDetector(Protocol):
    """The stage that says where her speech starts and ends (the Endpointer is the one)."""

    @property
    def period_s(self) -> float | None:
        """The pump's cycle in seconds, when one is heard (the cleaner learns per phase)."""
        ...

    @property
    def quiet_s(self) -> float:
        """How long the utterance in progress has been quiet since her last speech frame."""
        ...

    @property
    def last_speech_t(self) -> float:
        """Where the utterance in progress last had speech: its end, if she says no more."""
        ...

    @property
    def hears_echo(self) -> bool:
        """Whether the last frame may hold what is left of the coach's echo (the room is then
        not learnt from it: a cleaner that took the echo's residue for the pump would take
        her words apart)."""
        ...

    def push(self, frame: Frame) -> list[Event]:
        """Take the next frame; the events it caused, in order."""
        ...

    def listen_only(self, frame: Frame) -> None:
        """Learn a frame known to hold none of her speech (the coach is talking)."""
        ...

    def play(self, played: Samples, clipped: bool) -> None:
        """What the coach's speaker sent out over the next frame (and whether the microphone
        overloaded in it): what is left of its echo must not be taken for her."""
        ...

    def reset(self) -> None:
        """Forget any utterance in progress; what was learnt of the noise stays."""
        ...


def _median(scores: list[float]) -> float:
    return sorted(scores)[len(scores) // 2]


def _score(excess: Vector) -> float:
    """The mean excess of the TOP_BANDS most-raised bands."""
    return float(np.mean(np.partition(excess, BANDS - TOP_BANDS)[-TOP_BANDS:]))


class Endpointer:
    """A SpeechDetector: push 20 ms frames in order; get SpeechStart / SpeechEnd events back."""

    def __init__(self, settings: RecognitionSettings) -> None:
        self._settings = settings
        self._hangover = max(1, round(settings.hangover_s / FRAME_S))
        self._preroll = max(0, int(settings.preroll_s / FRAME_S + 1e-9))  # up to preroll_s
        self._noise = NoiseFloor()
        self._echo = EchoFloor()
        self._hears_echo = False
        self._frames: deque[Frame] = deque(maxlen=self._preroll + 32)
        self._scores: deque[float] = deque(maxlen=self._preroll + 32)
        self._over_echo: deque[float] = deque(maxlen=ONSET_FRAMES)
        """The last scores over the pump and what is left of the coach's echo: her onset must
        stand above both, and so must her speech for her utterance to go on (where it began
        is found against the pump alone, so that her first sound is kept)."""
        self._in_speech = False
        self._deaf = False
        self._start_t = 0.0
        self._last_speech_t = 0.0
        self._quiet = 0
        self._last_t = -FRAME_S
        self.score = 0.0
        """The last frame's score in dB above the floor (for tuning and tests)."""

    @property
    def in_speech(self) -> bool:
        """Whether an utterance is in progress (between a SpeechStart and its SpeechEnd)."""
        return self._in_speech

    @property
    def quiet_s(self) -> float:
        """How long the utterance in progress has been quiet since her last speech frame."""
        return self._quiet * FRAME_S if self._in_speech else 0.0

    @property
    def last_speech_t(self) -> float:
        """Where the utterance in progress last had speech: its end, if she says no more."""
        return self._last_speech_t

    @property
    def period_s(self) -> float | None:
        """The pump cycle being followed, in seconds (None: no cycle heard)."""
        period = self._noise.period
        return None if period is None else period * FRAME_S

    @property
    def hears_echo(self) -> bool:
        return self._hears_echo

    def reset(self) -> None:
        """Forget any utterance in progress, without an event; the noise learnt stays."""
        self._in_speech = False
        self._deaf = False
        self._quiet = 0
        self._frames.clear()
        self._scores.clear()

    def push(self, frame: Frame) -> list[Event]:
        """Take the next frame; return the events it caused, in order (so far at most one)."""
        if not math.isfinite(frame.t):  # keep time going rather than spread a NaN
            frame = Frame(frame.samples, self._last_t + FRAME_S)
        self._last_t = frame.t
        if self._noise.place(frame.t):
            self._frames.clear()  # a gap: the frames before it are not contiguous audio
            self._scores.clear()
        energies = band_energies_db(frame.samples)
        noise = self._noise.floor(self._in_speech)
        self.score = _score(energies - noise)
        self._frames.append(frame)
        self._scores.append(self.score)
        echo = self._echo.floor()
        self._over_echo.append(_score(energies - together(noise, echo)))
        self._hears_echo = bool(np.any(echo > SILENT_DB))
        events = self._decide(frame)
        self._noise.record(energies, speech=self._in_speech)
        if not self._in_speech:
            self._echo.learn(energies, noise)
        return events

    def play(self, played: Samples, clipped: bool) -> None:
        self._echo.play(played, clipped)

    def listen_only(self, frame: Frame) -> None:
        """Learn a frame known to hold no speech of hers (the mic is gated and the coach is
        silent): it becomes noise history at once, and nothing in progress survives it."""
        if not math.isfinite(frame.t):
            frame = Frame(frame.samples, self._last_t + FRAME_S)
        self._last_t = frame.t
        self.reset()
        self._noise.place(frame.t)
        self._noise.record(band_energies_db(frame.samples), speech=False)

    def _forget_scores(self) -> None:
        """Scores so far were against a floor now known wrong: no onset may build on them."""
        self._scores = deque([-np.inf] * len(self._scores), maxlen=self._scores.maxlen)

    def _decide(self, frame: Frame) -> list[Event]:
        settings = self._settings
        end_t = frame.t + FRAME_S
        scores = list(self._scores)
        steady = _median(scores[-3:])
        if self._in_speech:
            # Over the coach, what is left of its echo would keep her utterance open until
            # the cue pauses: she has stopped when she no longer stands above it.
            if _median(list(self._over_echo)) >= settings.offset_db:
                self._quiet = 0
                now = self._over_echo[-1]
                self._last_speech_t = end_t if now >= settings.offset_db else frame.t
            else:
                self._quiet += 1
            if (
                end_t - self._start_t >= PUMP_CHECK_S
                and self._noise.heard % PERIOD_EVERY == 0
                and self._noise.segment_is_cycle()
            ):  # not speech: the pump (re)started
                self._in_speech, self._quiet = False, 0
                self._forget_scores()
                return [SpeechEnd(end_t, end_t, dropped=True)]
            if end_t - self._start_t > settings.max_speech_s:
                self._in_speech, self._deaf, self._quiet = False, True, 0
                self._forget_scores()
                return [SpeechEnd(end_t, end_t, dropped=True)]
            if self._quiet >= self._hangover:
                self._in_speech = False
                length = self._last_speech_t - self._start_t
                return [SpeechEnd(self._last_speech_t, end_t, length < settings.min_speech_s)]
            return []
        if self._deaf:  # after a cut: wait for the chatter to stop before listening again
            self._quiet = self._quiet + 1 if steady < settings.offset_db else 0
            if self._quiet >= self._hangover:
                self._deaf, self._quiet = False, 0
            return []
        if not self._noise.ready() or len(scores) < ONSET_FRAMES:
            return []
        if (
            min(scores[-ONSET_FRAMES:]) < settings.onset_db
            or min(self._over_echo) < settings.onset_db
        ):
            return []
        first = len(scores) - ONSET_FRAMES
        while first > 0 and scores[first - 1] >= settings.offset_db:
            first -= 1
        frames = list(self._frames)
        self._start_t = frames[first].t
        self._noise.begin_speech(len(scores) - 1 - first)
        self._in_speech, self._quiet, self._last_speech_t = True, 0, end_t
        preroll = [f.samples for f in frames[max(0, first - self._preroll) :]]
        return [SpeechStart(self._start_t, preroll)]

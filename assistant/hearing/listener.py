"""From frames of audio to decided commands: gate, endpointer, noise suppressor, recognizer,
parser.

The utterance is kept while she speaks and, once a short trail of quiet follows her last
word, cleaned of the pump and decoded whole (the noise estimate must not move under her
words). That decode runs during the endpointer's hangover, so when the hangover ends with
no more speech the decision is ready; if she goes on, it is done again when she stops.
With noise suppression off (`denoise_over = 0`), frames go to the recognizer as they arrive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from assistant.audio.pcm import FRAME_S, Samples
from assistant.audio.source import Frame
from assistant.grammar import parse
from assistant.grammar.parser import Expecting
from assistant.hearing.denoise import NoiseSuppressor
from assistant.hearing.endpointer import Endpointer, SpeechEnd, SpeechStart
from assistant.hearing.gate import MicGate
from assistant.hearing.recognizer import Hypothesis, ListenFor, Recognizer
from assistant.session.events import AmountKey, Command
from assistant.settings import RecognitionSettings


@dataclass(frozen=True)
class Heard:
    """One utterance, decided."""

    command: Command | None
    """What it meant, or None when it was not a command (chatter, noise, low confidence)."""
    text: str
    """The words of the reading chosen (the best reading when none was a command)."""
    start_s: float
    """Where the speech began, in source seconds."""
    end_s: float
    """Where the speech ended."""
    decided_s: float
    """When the decision was made (end of speech plus the endpointer's hangover)."""
    confidence: float
    shortfall: float = 0.0
    """How much less likely than the engine's free reading the command was (natural log)."""
    runner_up: str = ""
    """A close second reading with other amounts: the coach asks which she said."""


class Listener:
    """Push frames in; get a `Heard` back whenever an utterance is decided."""

    def __init__(
        self,
        recognizer: Recognizer,
        settings: RecognitionSettings,
        gate: MicGate,
    ) -> None:
        self._recognizer = recognizer
        self._endpointer = Endpointer(settings)
        self._gate = gate
        self._min_confidence = settings.min_confidence
        self._expecting: Expecting = "command"
        self._start_s = 0.0
        self._lock = threading.Lock()  # frames come from the mic thread, modes from the session
        self._in_utterance = False
        self._gated = False
        self._denoise = (
            NoiseSuppressor(
                settings.denoise_over, settings.denoise_smoothing, settings.denoise_floor
            )
            if settings.denoise_over > 0
            else None
        )
        self._said: list[Samples] = []
        self._said_t = 0.0
        self._trail_s = settings.trail_s
        self._min_speech_s = settings.min_speech_s
        self._early: tuple[float, list[Hypothesis]] | None = None
        """Readings decoded during the hangover, and the end of speech they assumed."""

    @property
    def engine(self) -> str:
        return self._recognizer.name

    def listen_for(self, what: ListenFor | str) -> None:
        """Follow the session's `GateMic` effect: commands, yes/no, an amount, or nothing."""
        with self._lock:
            if what == "nothing":
                self._gate.shut()
            elif what in ("commands", "yes_no", "amount"):
                self._expecting = "amount" if what == "amount" else "command"
                self._recognizer.listen_for(what)  # type: ignore[arg-type]

    def push(self, frame: Frame) -> Heard | None:
        with self._lock:
            return self._push(frame)

    def _push(self, frame: Frame) -> Heard | None:
        if not self._gate.is_open(frame.t):
            # The coach is talking: nothing she says now is trusted. Between the coach's words
            # the endpointer hears the room, so it knows the pump when the gate opens; frames
            # with the coach's voice in them are left out (a gap, not noise).
            if self._in_utterance:
                self._said, self._early = [], None
                self._recognizer.end()
                self._in_utterance = False
            if self._gate.hears_room(frame.t):
                self._endpointer.listen_only(frame)
                self._learn_room(frame)
            self._gated = True
            return None
        if self._gated:
            self._gated = False
            self._endpointer.reset()  # whatever it was following was the coach's voice
        heard = None
        fed = False
        for event in self._endpointer.push(frame):
            if isinstance(event, SpeechStart):
                self._start_s = event.t
                self._in_utterance = True
                self._early = None
                self._recognizer.begin()
                self._said_t = frame.t - (len(event.preroll) - 1) * FRAME_S
                for earlier in event.preroll:
                    self._feed(earlier)
                fed = any(earlier is frame.samples for earlier in event.preroll)
            elif isinstance(event, SpeechEnd):
                self._in_utterance = False
                readings = self._end_utterance(event)
                if not event.dropped:
                    heard = self._decide(readings, event)
        if self._endpointer.in_speech and not fed:
            self._feed(frame.samples)
            self._decode_early()
        elif not self._endpointer.in_speech:
            self._learn_room(frame)
        return heard

    def _learn_room(self, frame: Frame) -> None:
        if self._denoise is not None:
            self._denoise.learn(frame.samples, frame.t, self._endpointer.period_s)

    def _feed(self, samples: Samples) -> None:
        """Straight to the recognizer; or, when denoising, kept until the utterance ends,
        because the noise estimate must not move while she speaks."""
        if self._denoise is None:
            self._recognizer.feed(samples)
        else:
            self._said.append(samples)

    def _decode_early(self) -> None:
        """Once the trail after her last word has been heard, decode it now, in the hangover:
        if she says no more, the decision is ready as the hangover ends instead of one decode
        (pocketsphinx and Whisper, 0.1-0.3 s) later. If she goes on, the guess is dropped."""
        if self._denoise is None or self._endpointer.quiet_s < self._trail_s - 1e-9:
            return
        last = self._endpointer.last_speech_t
        too_short = last - self._start_s < self._min_speech_s
        if too_short or (self._early is not None and self._early[0] == last):
            return
        self._early = (last, self._decode(last))

    def _end_utterance(self, end: SpeechEnd) -> list[Hypothesis]:
        early, self._early = self._early, None
        if self._denoise is None or not self._said:
            self._said = []
            return self._recognizer.end()
        readings = early[1] if early is not None and early[0] == end.t else self._decode(end.t)
        self._said = []
        return readings

    def _decode(self, end_t: float) -> list[Hypothesis]:
        """What was kept, cleaned of the pump, up to a short trail after her last word (at
        `end_t`): the rest of the hangover is pump only, and every stretch of noise decoded is
        a chance of a stray word."""
        assert self._denoise is not None
        keep = round((end_t + self._trail_s - self._said_t) / FRAME_S)
        said = np.concatenate(self._said[:keep] or self._said)
        self._recognizer.begin()
        self._recognizer.feed(self._denoise.clean(said, self._said_t))
        return self._recognizer.end()

    def _decide(self, readings: list[Hypothesis], end: SpeechEnd) -> Heard | None:
        if not readings:
            return None
        chosen, command = readings[0], None
        for reading in readings:
            meaning = parse(reading.text, self._expecting)
            if meaning is not None and reading.confidence >= self._min_confidence:
                chosen, command = (
                    reading,
                    meaning.model_copy(
                        update={"text": reading.text, "runner_up_ml": self._amounts(reading)}
                    ),
                )
                break
        return Heard(
            command,
            chosen.text,
            self._start_s,
            end.t,
            end.decided_t,
            chosen.confidence,
            chosen.shortfall,
            chosen.runner_up if command is not None else "",
        )

    def _amounts(self, reading: Hypothesis) -> dict[AmountKey, float] | None:
        """The runner-up's amounts, when the engine could not tell them from the best's."""
        second = parse(reading.runner_up, self._expecting) if reading.runner_up else None
        return None if second is None else second.amounts_ml

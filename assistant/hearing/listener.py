"""From frames of audio to decided commands, one stage after another: echo removal (take the
coach's voice out), the gate (is the coach talking, with no echo removal?), the endpointer (is
she?), the cleaner (take the pump out), the recognizer (which words?) and the parser (which
command?).

Her words are kept while she speaks and, once a short trail of quiet follows her last word,
cleaned and read whole (the noise estimate must not move under her words). That reading is
done during the endpointer's hangover, so when the hangover ends with no more speech the
decision is ready; if she goes on, it is done again when she stops.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from assistant.audio.pcm import FRAME_S, Samples
from assistant.audio.source import Frame
from assistant.commands import AmountKey, Command
from assistant.grammar import parse
from assistant.grammar.parser import Expecting
from assistant.hearing.cleaner import Cleaner, cleaner_for
from assistant.hearing.echo import EchoRemoval
from assistant.hearing.endpointer import Endpointer, SpeechDetector, SpeechEnd, SpeechStart
from assistant.hearing.gate import MicGate
from assistant.hearing.recognizer import Hypothesis, ListenFor, Recognizer
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
    spelled_near: bool = False
    """Whether the command was found only by its spelling (`Hypothesis.spelled_near`)."""


@dataclass
class _Utterance:
    """Her words so far, frame by frame."""

    start_s: float
    """Where the endpointer found her speech beginning."""
    first_t: float
    """Where the first frame kept begins (a little before `start_s`)."""
    frames: list[Samples] = field(default_factory=list)
    over_coach: bool = False
    """Whether the coach was sounding (or its echo fading) where she began."""


class Listener:
    """Push frames in; get a `Heard` back whenever an utterance is decided."""

    def __init__(
        self,
        recognizer: Recognizer,
        settings: RecognitionSettings,
        gate: MicGate,
        echo: EchoRemoval | None = None,
    ) -> None:
        """`echo`: take the coach's voice out of every frame, so she can be heard over it
        (the gate then need not shut while the coach talks)."""
        self._echo = echo
        self._gate = gate
        self._endpointer: SpeechDetector = Endpointer(settings)
        self._cleaner: Cleaner = cleaner_for(settings)
        self._recognizer = recognizer
        self._min_confidence = settings.min_confidence
        self._trail_s = settings.trail_s
        self._min_speech_s = settings.min_speech_s
        self._expecting: Expecting = "command"
        self._lock = threading.Lock()  # frames come from the mic thread, modes from the session
        self._gated = False
        self._said: _Utterance | None = None
        self._early: tuple[float, list[Hypothesis]] | None = None
        """Readings made during the hangover, and the end of speech they assumed."""

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

    def close(self) -> None:
        """Let go of the engine (its native decoders, temporary files)."""
        self._recognizer.close()

    def push(self, frame: Frame) -> Heard | None:
        with self._lock:
            if self._echo is not None:
                frame, played, clipped = self._echo.remove(frame)
                self._endpointer.play(played, clipped)
            if not self._gate.is_open(frame.t):
                self._while_gated(frame)
                return None
            return self._hear(frame)

    def _while_gated(self, frame: Frame) -> None:
        """The coach is talking: nothing she says now is trusted. Between the coach's words the
        room is learnt, so the pump is known when the gate opens; frames with the coach's voice
        in them are left out (a gap, not noise)."""
        self._said, self._early, self._gated = None, None, True
        if self._gate.hears_room(frame.t):
            self._endpointer.listen_only(frame)
            self._cleaner.learn(frame.samples, frame.t, self._endpointer.period_s)

    def _hear(self, frame: Frame) -> Heard | None:
        if self._gated:
            self._gated = False
            self._endpointer.reset()  # whatever it was following was the coach's voice
        heard = None
        for event in self._endpointer.push(frame):
            if isinstance(event, SpeechStart):
                first_t = frame.t - (len(event.preroll) - 1) * FRAME_S
                over_coach = self._endpointer.hears_echo
                utterance = _Utterance(event.t, first_t, list(event.preroll), over_coach)
                self._said, self._early = utterance, None
                return None  # the preroll ends with this frame
            heard = self._end(event)
        if self._said is None:
            if not self._endpointer.hears_echo:  # the room alone
                self._cleaner.learn(frame.samples, frame.t, self._endpointer.period_s)
        else:
            self._said.frames.append(frame.samples)
            self._read_early()
        return heard

    def _read_early(self) -> None:
        """Once the trail after her last word has been heard, read it now, in the hangover:
        if she says no more, the decision is ready as the hangover ends instead of one reading
        (pocketsphinx and Whisper, 0.1-0.3 s) later. If she goes on, the guess is dropped."""
        assert self._said is not None
        if self._endpointer.quiet_s < self._trail_s - 1e-9:
            return
        last = self._endpointer.last_speech_t
        too_short = last - self._said.start_s < self._min_speech_s
        if too_short or (self._early is not None and self._early[0] == last):
            return
        self._early = (last, self._read(self._said, last))

    def _end(self, end: SpeechEnd) -> Heard | None:
        said, early = self._said, self._early
        self._said, self._early = None, None
        if end.dropped or said is None:
            return None
        readings = early[1] if early is not None and early[0] == end.t else self._read(said, end.t)
        return self._decide(readings, said, end)

    def _read(self, said: _Utterance, end_t: float) -> list[Hypothesis]:
        """Her words, cleaned, up to a short trail after her last word (at `end_t`): the rest
        of the hangover is pump only, and every stretch of noise read is a chance of a stray
        word."""
        keep = round((end_t + self._trail_s - said.first_t) / FRAME_S)
        samples = np.concatenate(said.frames[:keep] or said.frames)
        return self._recognizer.decode(self._cleaner.clean(samples, said.first_t))

    def _decide(self, readings: list[Hypothesis], said: _Utterance, end: SpeechEnd) -> Heard | None:
        """The first reading that is a command the engine is sure enough of. Over the coach,
        not one found only by its spelling: an echo's reading ("we can") is near some command
        ("again") as often as her words are, and through a sound server such echoes were
        acted on after she had spoken over the coach."""
        if not readings:
            return None
        chosen, command = readings[0], None
        for reading in readings:
            meaning = parse(reading.text, self._expecting)
            trusted = not (said.over_coach and reading.spelled_near)
            if meaning is not None and reading.confidence >= self._min_confidence and trusted:
                chosen, command = (
                    reading,
                    meaning.model_copy(
                        update={
                            "text": reading.text,
                            "runner_up_ml": self._amounts(reading),
                            "over_coach": said.over_coach,
                        }
                    ),
                )
                break
        return Heard(
            command,
            chosen.text,
            said.start_s,
            end.t,
            end.decided_t,
            chosen.confidence,
            chosen.shortfall,
            chosen.runner_up if command is not None else "",
            chosen.spelled_near,
        )

    def _amounts(self, reading: Hypothesis) -> dict[AmountKey, float] | None:
        """The runner-up's amounts, when the engine could not tell them from the best's."""
        second = parse(reading.runner_up, self._expecting) if reading.runner_up else None
        return None if second is None else second.amounts_ml

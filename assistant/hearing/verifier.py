"""One engine proposes, Whisper disposes: a Recognizer that checks another's commands.

pocketsphinx, held to the command grammar, bends whatever it hears into a command: chatter
over the pump comes out as "i got three". Whisper knows English at large, so it can tell
"she said that" from "that is the nearest command to what she said". When the proposer's
readings hold commands, Whisper scores each (and its own free reading) against the audio;
the likeliest command is accepted only if it is within a margin (natural log, a little more
for each word of the command) of Whisper's own reading. On the benchmark's chatter the
shortfall is mostly 20 to 60; for a command said over the pump it is a few.

Whisper hears every utterance, so it costs 0.1-0.25 s of CPU each (the real-time factor
goes from about 0.03 to 0.06); its own reading counts as a candidate when it is a command,
which saves a few commands the proposer missed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from assistant.audio.pcm import Samples
from assistant.grammar import parse
from assistant.grammar.numerals import with_numerals
from assistant.grammar.parser import tokens
from assistant.hearing.recognizer import Hypothesis, ListenFor, Recognizer
from assistant.hearing.whisper_judge import WhisperJudge
from assistant.settings import RecognitionSettings

CANDIDATES = 5
"""Commands among the proposer's readings that Whisper weighs (the first ones, best first)."""


@dataclass(frozen=True)
class Verdict:
    """What the verifier decided about the last utterance (kept for tests and tuning)."""

    chosen: str
    """The command reading Whisper liked best ("" when no reading was a command)."""
    whisper: str
    """Whisper's own reading."""
    shortfall: float
    """How far (natural log) the chosen reading scored below Whisper's own."""
    accepted: bool


class VerifiedRecognizer:
    """A Recognizer: `proposer`'s readings, with commands vetted by a `WhisperJudge`."""

    def __init__(
        self, proposer: Recognizer, judge: WhisperJudge, settings: RecognitionSettings
    ) -> None:
        self.name = f"{proposer.name}+whisper"
        self._proposer = proposer
        self._judge = judge
        self._margin = settings.verify_margin
        self._margin_per_word = settings.verify_margin_per_word
        self._min_confidence = settings.min_confidence
        self._said: list[Samples] = []
        self.last: Verdict | None = None

    def listen_for(self, what: ListenFor) -> None:
        self._proposer.listen_for(what)

    def begin(self) -> None:
        self._said = []
        self._proposer.begin()

    def feed(self, samples: Samples) -> None:
        self._said.append(samples)
        self._proposer.feed(samples)

    def end(self) -> list[Hypothesis]:
        readings = self._proposer.end()
        said, self._said = self._said, []
        if not said:
            self.last = None
            return readings
        verdict, chosen = self._weigh(np.concatenate(said), self._commands(readings))
        self.last = verdict
        if verdict.accepted:
            return [chosen]
        return [Hypothesis(verdict.whisper or chosen.text, 0.0)]

    def close(self) -> None:
        self._proposer.close()

    def _commands(self, readings: list[Hypothesis]) -> list[Hypothesis]:
        """The first few readings that are commands the listener would take."""
        found: list[Hypothesis] = []
        for reading in readings:
            fresh = all(reading.text != other.text for other in found)
            sure = reading.confidence >= self._min_confidence
            if fresh and sure and parse(reading.text) is not None:
                found.append(reading)
            if len(found) == CANDIDATES:
                break
        return found

    def _weigh(self, said: Samples, commands: list[Hypothesis]) -> tuple[Verdict, Hypothesis]:
        """Score every command as spoken and, when it has numbers, as written with numerals
        (Whisper writes "60 ml"). Whisper's own reading is a candidate too when it is a
        command: the proposer may have missed one that Whisper heard plainly."""
        texts = [c.text for c in commands]
        renderings = {text: {text, with_numerals(text)} for text in texts}
        asked = sorted({r for both in renderings.values() for r in both})
        weighing = self._judge.weigh(said, asked)
        score = dict(zip(asked, weighing.log_probs, strict=True))
        scores = [max(score[r] for r in renderings[text]) for text in texts]
        own = " ".join(tokens(weighing.free))
        if own and own not in texts and parse(own) is not None:
            commands = [*commands, Hypothesis(own, 1.0)]
            scores.append(weighing.free_log_prob)
        if not commands:
            return Verdict("", weighing.free, math.inf, False), Hypothesis(weighing.free, 0.0)
        best = int(np.argmax(scores))
        chosen = commands[best].text
        shortfall = weighing.free_log_prob - scores[best]
        allowed = self._margin + self._margin_per_word * len(chosen.split())
        return Verdict(chosen, weighing.free, shortfall, shortfall <= allowed), commands[best]

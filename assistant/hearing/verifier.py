"""One engine proposes, Whisper disposes: a Recognizer that checks another's commands.

pocketsphinx, held to the command grammar, bends whatever it hears into a command: chatter
over the pump comes out as "i got three". Whisper knows English at large, so it can tell
"she said that" from "that is the nearest command to what she said". Whisper scores the
proposer's commands, and the commands spelled most like its own free reading, against the
audio; the likeliest is accepted only if it is within a margin (natural log, a little more
for each word of the command) of Whisper's own reading. On the benchmark's chatter the
shortfall is mostly 20 to 60; for a command said over the pump it is a few.

Whisper hears every utterance, so it costs 0.1-0.3 s of CPU each (the real-time factor
goes from about 0.03 to 0.08). Commands near its own reading matter most in loud noise,
where pocketsphinx often proposes nothing close to what she said ("and session" is
weighed as "end session").
"""

from __future__ import annotations

import math

import numpy as np

from assistant.audio.pcm import Samples
from assistant.grammar import parse
from assistant.grammar.numerals import with_numerals
from assistant.grammar.parser import Expecting, tokens
from assistant.hearing.nearest import nearest_commands
from assistant.hearing.recognizer import Hypothesis, ListenFor, Recognizer
from assistant.hearing.scorer import Scorer
from assistant.settings import RecognitionSettings

CANDIDATES = 5
"""Commands among the proposer's readings that Whisper weighs (the first ones, best first)."""


class VerifiedRecognizer:
    """A Recognizer: `proposer`'s readings, with commands vetted by a `Scorer` (Whisper)."""

    def __init__(self, proposer: Recognizer, judge: Scorer, settings: RecognitionSettings) -> None:
        self.name = f"{proposer.name}+whisper"
        self._proposer = proposer
        self._judge = judge
        self._margin = settings.verify_margin
        self._margin_per_word = settings.verify_margin_per_word
        self._min_confidence = settings.min_confidence
        self._nearest = settings.verify_nearest
        self._likeness = settings.verify_nearest_likeness
        self._ask_margin = settings.ask_margin
        self._listening_for: ListenFor = "commands"

    def listen_for(self, what: ListenFor) -> None:
        self._listening_for = what
        self._proposer.listen_for(what)

    def decode(self, samples: Samples) -> list[Hypothesis]:
        readings = self._proposer.decode(samples)
        if not len(samples):
            return readings
        return [self._weigh(samples, self._commands(readings))]

    def close(self) -> None:
        self._proposer.close()

    def _commands(self, readings: list[Hypothesis]) -> list[Hypothesis]:
        """The first few readings that are commands the listener would take."""
        found: list[Hypothesis] = []
        for reading in readings:
            fresh = all(reading.text != other.text for other in found)
            sure = reading.confidence >= self._min_confidence
            if fresh and sure and parse(reading.text, self._expecting) is not None:
                found.append(reading)
            if len(found) == CANDIDATES:
                break
        return found

    def _weigh(self, said: Samples, commands: list[Hypothesis]) -> Hypothesis:
        """Score every candidate in each way Whisper might write it (`renderings_of`) to
        choose the likeliest; it is accepted if, in lower case, it is close enough to Whisper's
        own reading, and a long command is allowed more (each word is a chance to mishear).
        Not accepted, the reading returned is Whisper's own, with no confidence and the
        shortfall of the best command (infinite when there was none to weigh).

        Acceptance is judged on the lower-case forms only: the sentence forms help choose
        between commands, but also bring chatter closer to passing."""
        heard = self._judge.hear(said)
        texts = self._candidates(commands, heard.free)
        if not texts:
            return Hypothesis(heard.free, 0.0, math.inf)
        renderings = {text: renderings_of(text) for text in texts}
        asked = sorted({r for both in renderings.values() for r in both})
        *weighed, free_log_prob = self._judge.log_probs(heard, [*asked, heard.free])
        score = dict(zip(asked, weighed, strict=True))
        scores = [max(score[r] for r in renderings[text]) for text in texts]
        chosen = texts[int(np.argmax(scores))]
        shortfall = free_log_prob - max(score[r] for r in spoken_forms(chosen))
        if shortfall > self._margin + self._margin_per_word * len(chosen.split()):
            return Hypothesis(heard.free or chosen, 0.0, shortfall)
        confidence = next((c.confidence for c in commands if c.text == chosen), 1.0)
        weighed_scores = dict(zip(texts, scores, strict=True))
        runner_up = close_runner_up(weighed_scores, chosen, self._ask_margin, self._expecting)
        runner_up = runner_up or self._disputed(chosen, heard.free)
        heard_as = " ".join(tokens(heard.free))
        near = chosen != heard_as and all(c.text != chosen for c in commands)
        return Hypothesis(chosen, confidence, shortfall, runner_up, spelled_near=near)

    def _candidates(self, commands: list[Hypothesis], free: str) -> list[str]:
        """The proposer's commands; then Whisper's own reading, when it is a command in words,
        and the commands (not logs) spelled most like it ("and session" -> "end session"):
        over a loud pump the proposer often offers nothing near what she said. Never a
        reading Whisper wrote in digits: it writes "log sixty five millilitres" as "1.60" or
        "Log 625 milliliters", and read back as words that is an amount she never said."""
        own = " ".join(tokens(free))
        mine = [own] if own and not any(c.isdigit() for c in own) else []
        if self._nearest:
            mine += nearest_commands(free, self._nearest, self._likeness)
        texts = [c.text for c in commands] + [t for t in mine if self._expected(t)]
        return list(dict.fromkeys(texts))

    def _disputed(self, chosen: str, free: str) -> str:
        """Whisper's own reading when it logs other amounts than the chosen log ("log 65
        milliliters" for "sixty nine"), so the coach asks which. Never logged on its own (its
        digits can be an amount she never said), it is reason enough to ask. Weighing its
        amount spelled out first, to drop questions such as "65, or 625?", let one more wrong
        amount through on the report voices (7 against 6), so it is not done."""
        own = " ".join(tokens(free))
        mine, theirs = _amounts(chosen, self._expecting), _amounts(own, self._expecting)
        return own if None not in (mine, theirs) and mine != theirs else ""

    def _expected(self, text: str) -> bool:
        """A command, and while she is asked to confirm, a yes or a no (as the proposer's
        grammar is then)."""
        command = parse(text, self._expecting)
        if command is None:
            return False
        return self._listening_for != "yes_no" or command.intent in ("yes", "no")

    @property
    def _expecting(self) -> Expecting:
        return "amount" if self._listening_for == "amount" else "command"


def close_runner_up(
    scores: dict[str, float], chosen: str, within: float, expecting: Expecting = "command"
) -> str:
    """The likeliest other log with other amounts, if it scores within `within` of the chosen
    log: then the coach asks which she said ("60, or 16?"); "" when the chosen is no log or
    stands clear. A wrong amount in her record is the worst error; a question is cheap.
    `expecting` an amount, "sixty nine" alone is a log too."""
    amounts = _amounts(chosen, expecting)
    if amounts is None:
        return ""
    close = [
        (score, text)
        for text, score in scores.items()
        if scores[chosen] - score <= within and _amounts(text, expecting) not in (None, amounts)
    ]
    return max(close)[1] if close else ""


def _amounts(text: str, expecting: Expecting) -> dict[str, float] | None:
    command = parse(text, expecting)
    if command is None or command.amounts_ml is None:
        return None
    return {str(key): ml for key, ml in command.amounts_ml.items()}


def renderings_of(text: str) -> set[str]:
    """The ways Whisper might write a command: as spoken and with numerals ("log 60"), each
    in lower case and as a sentence ("Log 60", "I got 8"); the likeliest counts when
    choosing. In lower case only, flite's "stop", which Whisper read "Stop", scored below
    "start"."""
    spoken = spoken_forms(text)
    return spoken | {_as_sentence(r) for r in spoken}


def spoken_forms(text: str) -> set[str]:
    """A command in lower case, as spoken and with numerals: the scores the margins were
    chosen on."""
    return {text, with_numerals(text)}


def _as_sentence(text: str) -> str:
    """A capital first letter and a capital "I" ("i've got 8" -> "I've got 8")."""
    said = " ".join("I" + w[1:] if w == "i" or w.startswith("i'") else w for w in text.split())
    return said[:1].upper() + said[1:]

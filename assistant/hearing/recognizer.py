"""The one interface every speech engine adapter implements.

Adapters only turn audio into word hypotheses; deciding what they mean (the parser),
when she is speaking (the endpointer), whether to listen at all (the gate) and taking the
pump out (the cleaner) happen elsewhere, so an engine can be swapped without touching any
of that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from assistant.audio.pcm import Samples

ListenFor = Literal["commands", "yes_no", "amount"]
"""Any command; only yes or no (a question is pending); any command or an amount alone (the
coach asked how much)."""


@dataclass(frozen=True)
class Hypothesis:
    """One reading of an utterance."""

    text: str
    """Lower-case words as the engine heard them; "" when it heard no words."""
    confidence: float
    """0 (a guess) to 1 (sure), the engine's own measure mapped onto that range."""
    shortfall: float = 0.0
    """How much less likely (natural log) than the engine's own free reading this one is:
    the evidence its acceptance rests on, kept for tuning (0 where the engine has none). For
    a reading that is no command because the best command fell short, that command's."""
    runner_up: str = ""
    """A close second reading that means something else ("log sixteen" for "log sixty"),
    when the engine could not tell the two apart; "" when it could."""
    spelled_near: bool = False
    """Found only because it is spelled like another engine's free reading of the audio
    ("we can" -> "again"), neither offered by this engine nor heard as such."""


class Recognizer(Protocol):
    """A speech engine that reads one whole utterance at a time (16 kHz mono int16).

    Whole, because the utterance is cleaned of the pump before it is read, and the noise
    estimate must not move under her words."""

    name: str
    """Short engine name for messages and the event log, e.g. "pocketsphinx"."""

    def listen_for(self, what: ListenFor) -> None:
        """Narrow or widen what can be heard (a yes/no question needs only yes/no)."""
        ...

    def decode(self, samples: Samples) -> list[Hypothesis]:
        """The utterance's readings, best first (empty if none)."""
        ...

    def close(self) -> None:
        """Let go of the engine's resources (temporary files, native decoders)."""

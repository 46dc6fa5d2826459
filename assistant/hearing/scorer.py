"""The one interface an acoustic judge implements: how well does each text fit this audio?

The verifier asks it about the commands a proposer offered, next to the judge's own free
reading. Any model that can be teacher-forced on a text can sit behind it (Whisper today).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from assistant.audio.pcm import Samples


@dataclass(frozen=True)
class Hearing:
    """One utterance as the scorer took it in."""

    free: str
    """What the scorer itself heard, as it would write it ("" if nothing)."""
    encoded: Any
    """The scorer's own view of the audio, shared by every text scored against it."""


class Scorer(Protocol):
    def hear(self, samples: Samples) -> Hearing:
        """Take in one utterance, once, and read it freely."""
        ...

    def log_probs(self, heard: Hearing, texts: Sequence[str]) -> list[float]:
        """How likely (natural log) each text is, given the audio heard."""
        ...

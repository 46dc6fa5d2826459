"""The coach's own words, heard back: a command that the coach's last cues could be read as is
not trusted when it was heard over the coach.

The echo canceller takes most of the coach's voice out of the microphone, but not all, and not
at once: after she has talked over a cue, or when the sound server's timing jumps, the filter
needs a second or two to find the room again. What leaks through is the coach's own words,
and the most dangerous of them are the ones it asks her to say: "Say yes or no", "Say undo to
take it back", "Logged 65 millilitres". Heard back as commands, they would answer the coach's
question for her, delete her log, or log the amount twice. So a command heard while the coach
was talking is dropped if the words of the coach's last cues could be read as the same
command. If she really said it, she says it again when the coach is quiet, and it is taken.
"""

from __future__ import annotations

import re
from collections import deque
from functools import cache

from assistant.commands import Command
from assistant.grammar import parse
from assistant.grammar.sentences import speech_vocabulary

RECENT = 2
"""Cues whose words may still be sounding: the one being spoken and the one before it."""
LONGEST = 5
"""The longest stretch of the coach's words read as one command."""
BEFORE = 2
"""A stretch may start this many words before a word she was heard to say ("log 65 ml")."""
INFLECTIONS = ("ing", "ed", "s")


class OwnWords:
    """Told every cue (`said`); asked whether a command could be the coach's own words."""

    def __init__(self) -> None:
        self._recent: deque[list[str]] = deque(maxlen=RECENT)

    def said(self, text: str) -> None:
        self._recent.append([_as_heard(word) for word in _words(text)])

    def could_be(self, command: Command) -> bool:
        """Whether some stretch of the last cues reads as `command` (same intent, same amount).
        Only stretches around a word she was heard to say, or a number, are read."""
        heard = set(_words(command.text))
        for words in self._recent:
            for start in _starts(words, heard):
                for end in range(start + 1, min(start + LONGEST, len(words)) + 1):
                    if _reads_as(" ".join(words[start:end]), command):
                        return True
        return False


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+(?:\.[0-9]+)?", text.lower())


def _as_heard(word: str) -> str:
    """The command word an inflected cue word sounds like: "Resuming" is heard back as
    "resume", "Stopped" as "stop", "Logged" as "log"."""
    vocabulary = _vocabulary()
    if word in vocabulary:
        return word
    for suffix in INFLECTIONS:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: -len(suffix)]
            for stem in (base, base + "e", base[:-1]):
                if stem in vocabulary:
                    return stem
    return word


@cache
def _vocabulary() -> frozenset[str]:
    return frozenset(speech_vocabulary())


def _starts(words: list[str], heard: set[str]) -> set[int]:
    anchors = [i for i, w in enumerate(words) if w in heard or w[:1].isdigit()]
    return {max(0, i - back) for i in anchors for back in range(BEFORE + 1)}


def _reads_as(stretch: str, command: Command) -> bool:
    for reading in (stretch, f"log {stretch}"):
        said = parse(reading)
        if said is not None and (said.intent, said.amounts_ml) == (
            command.intent,
            command.amounts_ml,
        ):
            return True
    return False

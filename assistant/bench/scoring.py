"""From what a system heard to the benchmark's figures.

A heard command belongs to the utterance it overlaps (with a little slack either side, for
the endpointer's edges); it is right when both the intent and the amounts are. Commands that
belong to no utterance are false activations. A log whose amounts are not the ones she said
(or said nothing of) is a wrong amount: the worst error, as it goes into her record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.bench.corpus import Clip, Spoken
from assistant.commands import Command
from assistant.grammar import parse
from assistant.hearing.listener import Heard

SLACK_BEFORE_S = 0.3
SLACK_AFTER_S = 1.0
AMOUNT_TOLERANCE_ML = 0.01


@dataclass
class Tally:
    """Counts over some clips."""

    utterances: int = 0
    correct: int = 0
    false: int = 0
    seconds: float = 0.0
    logs_said: int = 0
    asked: int = 0
    """Logs asked back ("sixty, or sixteen?") instead of read back."""
    wrong_amounts: int = 0
    """Logs decided with amounts she did not say (for another log, another command or
    nothing at all)."""
    latencies: list[float] = field(default_factory=list)
    """End of speech to decision, for utterances heard right (s)."""
    misses: list[str] = field(default_factory=list)
    """'said -> heard' for each utterance not heard right, for reading."""

    def add(self, other: Tally) -> None:
        self.utterances += other.utterances
        self.correct += other.correct
        self.false += other.false
        self.seconds += other.seconds
        self.logs_said += other.logs_said
        self.asked += other.asked
        self.wrong_amounts += other.wrong_amounts
        self.latencies += other.latencies
        self.misses += other.misses

    @property
    def accuracy(self) -> float:
        return self.correct / self.utterances if self.utterances else float("nan")

    @property
    def false_per_hour(self) -> float:
        return self.false / (self.seconds / 3600) if self.seconds else float("nan")


def score(clip: Clip, heard: Sequence[Heard]) -> Tally:
    """How well `heard` matches what was said in `clip`."""
    tally = Tally(utterances=len(clip.said), seconds=clip.duration_s)
    tally.logs_said = sum(spoken.intent == "log" for spoken in clip.said)
    claimed: set[int] = set()
    for spoken in clip.said:
        mine = [i for i, h in enumerate(heard) if i not in claimed and _overlaps(h, spoken)]
        claimed.update(mine)
        first = heard[mine[0]] if mine else None
        if first is not None and _right(first, spoken):
            tally.correct += 1
            tally.latencies.append(first.decided_s - spoken.end_s)
        else:
            tally.misses.append(f"{spoken.text!r} -> {first.text if first else '(nothing)'!r}")
        tally.wrong_amounts += sum(_wrong_log(heard[i], spoken) for i in mine)
        tally.asked += sum(_asked_back(heard[i]) for i in mine if _is_log(heard[i]))
    unclaimed = [h for i, h in enumerate(heard) if i not in claimed]
    tally.false = len(unclaimed)
    tally.wrong_amounts += sum(_wrong_log(h, None) for h in unclaimed)
    tally.misses += [f"nothing said at {h.start_s:.1f} s -> {h.text!r}" for h in unclaimed]
    return tally


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _overlaps(heard: Heard, spoken: Spoken) -> bool:
    return (
        heard.start_s < spoken.end_s + SLACK_AFTER_S
        and heard.end_s > spoken.start_s - SLACK_BEFORE_S
    )


def _wrong_log(heard: Heard, spoken: Spoken | None) -> bool:
    """A log stored as heard (not asked back) with amounts she did not say."""
    wrong = spoken is None or not _right(heard, spoken)
    return _is_log(heard) and not _asked_back(heard) and wrong


def _is_log(heard: Heard) -> bool:
    return heard.command is not None and heard.command.intent == "log"


def _asked_back(heard: Heard) -> bool:
    """The session asks before storing an amount the engine could not tell from another, or
    one heard while the coach talked."""
    return bool(heard.runner_up) or (heard.command is not None and heard.command.over_coach)


def _right(heard: Heard, spoken: Spoken) -> bool:
    """The command she said; for a log asked back, one of the two offered is hers."""
    if heard.runner_up:
        second = parse(heard.runner_up)
        if second is not None and _same(second, spoken):
            return True
    return heard.command is not None and _same(heard.command, spoken)


def _same(command: Command, spoken: Spoken) -> bool:
    if command.intent != spoken.intent:
        return False
    got = {str(k): v for k, v in (command.amounts_ml or {}).items()}
    want = spoken.amounts_ml or {}
    ok = (abs(got[k] - want[k]) <= AMOUNT_TOLERANCE_ML for k in want)
    return got.keys() == want.keys() and all(ok)

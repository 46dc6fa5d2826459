"""Choosing the one margin on the tuning set, never on the report set.

The benchmark hears every clip once with the margin wide open (each command kept with its
shortfall, `--tune`); a margin is then only a filter on what was heard, so every candidate is
tried on the tuning set without hearing anything again. The one chosen gets the most commands
right while the tuning set's false activations stay within their targets.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Protocol

from assistant.bench.corpus import Clip
from assistant.bench.scoring import Tally, score
from assistant.hearing.listener import Heard

MARGINS = tuple(m / 2 for m in range(0, 25))
"""Candidates, natural log: 0 to 12 in steps of 0.5."""
FALSE_PER_HOUR = {"pump": 1.0, "changing-pump": 1.0, "chatter": 3.0}
"""The targets a tuning margin must keep on the tuning set."""


class Heards(Protocol):
    heard: dict[str, list[Heard]]
    tallies: dict[str, Tally]


def filtered(heard: Sequence[Heard], margin: float) -> list[Heard]:
    """What would have been decided at `margin`: commands further below are nothing."""
    return [h for h in heard if h.command is not None and h.shortfall <= margin]


def choose_margin(clips: Sequence[Clip], measured: Heards) -> float:
    """The tuning set's best margin; its sweep is printed to stderr."""
    tuning = [c for c in clips if c.voice_set == "tuning"]
    best: tuple[int, float] | None = None
    print("margin  right  false/h (pump, changing, chatter)  wrong amounts", file=sys.stderr)
    for margin in MARGINS:
        right, rates, wrong = _tried(tuning, measured, margin)
        ok = all(rates[k] <= limit for k, limit in FALSE_PER_HOUR.items())
        print(
            f"{margin:6.1f}  {right:5d}  {rates['pump']:5.1f} {rates['changing-pump']:5.1f} "
            f"{rates['chatter']:5.1f}  {wrong:3d}{'' if ok else '  (over)'}",
            file=sys.stderr,
        )
        if ok and (best is None or right > best[0]):
            best = (right, margin)
    chosen = MARGINS[0] if best is None else best[1]
    print(f"chosen on the tuning set: margin {chosen}", file=sys.stderr)
    return chosen


def at_margin(clips: Sequence[Clip], measured: Heards, margin: float) -> None:
    """Rescore every clip as if heard at `margin`."""
    for clip in clips:
        kept = filtered(measured.heard[clip.name], margin)
        measured.heard[clip.name] = kept
        measured.tallies[clip.name] = score(clip, kept)


def _tried(
    clips: Sequence[Clip], measured: Heards, margin: float
) -> tuple[int, dict[str, float], int]:
    right, wrong = 0, 0
    negatives = {key: Tally() for key in FALSE_PER_HOUR}
    for clip in clips:
        tally = score(clip, filtered(measured.heard[clip.name], margin))
        right += tally.correct
        wrong += tally.wrong_amounts
        if clip.kind in negatives:
            negatives[clip.kind].add(tally)
    rates = {k: t.false_per_hour if t.seconds else 0.0 for k, t in negatives.items()}
    return right, rates, wrong

"""How fast the coach reacts on the live path: `pumpcoach start` through a real sound server
(PulseAudio with a null sink and a virtual microphone), on the real clock.

    .venv/bin/python scripts/bench_live.py [--runs N]

Two scenarios, each run N times: "quiet", her commands in the coach's silences; "barge-in",
the speaker played back into the microphone and two of her commands said over a long cue.
For each command, from the end of her word: to the first sound of the coach's answer if the
coach was quiet, or to the moment it fell silent if she talked over it (the cue cut short).
That is end of speech, the endpointer's hangover, the decision, text-to-speech and the sound
server's buffers together. A second table gives the same for each command, to show which
are slow (a long log takes longer to read than "pause").
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

import numpy as np

from assistant.bench.live import Reaction, run_through_sound_server
from assistant.bench.sound_server import available

NOT_A_COMMAND = "sixty five"
"""Said only in case the coach asks which amount she meant: not counted."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="sessions per scenario (1 min each)")
    args = parser.parse_args()
    if not available():
        print("PulseAudio is not installed: run scripts/setup.sh --dev.", file=sys.stderr)
        return 1
    by_scenario: dict[str, list[Reaction]] = {}
    for scenario, barge_in in (("quiet", False), ("barge-in", True)):
        reactions = by_scenario.setdefault(scenario, [])
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                run = run_through_sound_server(Path(folder), barge_in=barge_in)
            reactions += [r for r in run.reactions() if r.said != NOT_A_COMMAND]
    print("| scenario | reaction | commands reacted to | median | p95 | max |")
    print("|---|---|---|---|---|---|")
    for scenario, reactions in by_scenario.items():
        for kind in ("answer", "interrupt"):
            print(_row(scenario, kind, [r.delay_s for r in reactions if r.kind == kind]))
    print()
    print("| scenario | reaction | command | commands reacted to | median | p95 | max |")
    print("|---|---|---|---|---|---|---|")
    for scenario, reactions in by_scenario.items():
        for kind, said in dict.fromkeys((r.kind, r.said) for r in reactions):
            delays = [r.delay_s for r in reactions if (r.kind, r.said) == (kind, said)]
            print(_row(f"{scenario} | {kind}", said, delays))
    print(f"command: {shlex.join(['python', 'scripts/bench_live.py', *sys.argv[1:]])}")
    return 0


def _row(scenario: str, kind: str, delays: list[float | None]) -> str:
    known = [d for d in delays if d is not None]
    if not known:
        return f"| {scenario} | {kind} | 0 of {len(delays)} | - | - | - |"
    return (
        f"| {scenario} | {kind} | {len(known)} of {len(delays)} | {np.median(known):.2f} s "
        f"| {np.percentile(known, 95):.2f} s | {max(known):.2f} s |"
    )


if __name__ == "__main__":
    raise SystemExit(main())

"""How fast the coach answers on the live path: `pumpcoach start` through a real sound server
(PulseAudio with a null sink and a virtual microphone), on the real clock.

    .venv/bin/python scripts/bench_live.py [--runs N]

For each command she says, the time from the end of her word to the first sound of the
coach's answer on the speaker's monitor: end of speech, the endpointer's hangover, the
decision, text-to-speech and the sound server's buffers together.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
from pathlib import Path

import numpy as np

from assistant.bench.live import SAID, run_through_sound_server
from assistant.bench.sound_server import available


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="sessions to run (about 1 min each)")
    args = parser.parse_args()
    if not available():
        print("PulseAudio is not installed: run scripts/setup.sh --dev.", file=sys.stderr)
        return 1
    delays: list[float] = []
    unanswered = 0
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            run = run_through_sound_server(Path(folder))
        answers = [
            d
            for (_, text), d in zip(SAID, run.answer_delays(), strict=True)
            if text != "sixty five"
        ]
        delays += [d for d in answers if d is not None]
        unanswered += sum(d is None for d in answers)
    print("| runs | commands answered | median | p95 | max |")
    print("|---|---|---|---|---|")
    print(
        f"| {args.runs} | {len(delays)} of {len(delays) + unanswered} "
        f"| {np.median(delays):.2f} s | {np.percentile(delays, 95):.2f} s | {max(delays):.2f} s |"
    )
    print(f"command: {shlex.join(['python', 'scripts/bench_live.py', *sys.argv[1:]])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

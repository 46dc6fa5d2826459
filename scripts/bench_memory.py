#!/usr/bin/env python3
"""The memory benchmark (issue 18): `python scripts/bench_memory.py [--soak]`.

Generates recordings of 5, 20 and 60 minutes at 16 kHz mono and 48 kHz stereo, runs
`pumpcoach hear` and `pumpcoach run --audio-in` (with and without the cues' echo) on each
under `/usr/bin/time -v`, and prints peak memory and wall time with each exact command line.
`--soak` instead runs one 8-hour recording through `run --audio-in` and samples its memory
as it goes. Each run adds a line to assistant/bench/memory_history.jsonl.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from assistant.bench.memory import (
    HISTORY,
    KINDS,
    SOAK_HOURS,
    record,
    render_rows,
    render_soak,
    rows,
    soak,
)


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[5, 20, 60], metavar="MIN")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--soak", action="store_true", help="the long run instead of the table")
    parser.add_argument("--hours", type=int, default=SOAK_HOURS, help="the soak's length")
    parser.add_argument(
        "--progress",
        type=Path,
        default=Path(tempfile.gettempdir()) / "pumpcoach-soak-progress.jsonl",
        help="where the soak writes its memory samples as it goes",
    )
    args = parser.parse_args(words)
    # SIGTERM unwinds like Ctrl-C, so the recordings in /tmp (920 MB for the soak) are deleted.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not args.soak and shutil.which("/usr/bin/time") is None:
        print("/usr/bin/time is missing: run `sudo apt-get install time` (scripts/setup.sh "
              "installs it).", file=sys.stderr)  # fmt: skip
        return 2
    with tempfile.TemporaryDirectory(prefix="pumpcoach-memory-") as scratch:
        if args.soak:
            print(f"(soak: memory samples in {args.progress})", file=sys.stderr, flush=True)
            result = soak(Path(scratch), args.hours, args.progress)
            print(render_soak(result))
            figures: dict[str, object] = {"soak": asdict(result)}
        else:
            measured = []
            for row in rows(args.lengths, args.kinds, Path(scratch)):
                print(f"  {row.command} {row.minutes} min {row.format}: {row.peak_mb} MB",
                      file=sys.stderr, flush=True)  # fmt: skip
                measured.append(row)
            print(render_rows(measured))
            figures = {"rows": [asdict(row) for row in measured]}
    with HISTORY.open("a", encoding="utf-8") as history:
        history.write(json.dumps(record(words, figures)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

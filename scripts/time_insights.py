"""How long her insight commands take on a big log: the median of several runs of each.

    python scripts/time_insights.py [--sessions 1000] [--runs 7]

Seeds a made-up log (steps included, as real sessions leave them) into a temporary file,
then times `history`, `history --csv`, `stats`, `plot` and `report` in this process (the
work itself), and `pumpcoach stats` as a new process (what she waits for, start-up included).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from assistant.cli.main import main
from assistant.demo.history import FEED_HOURS, seed_history
from assistant.store.sqlite_store import SessionStore


def median_s(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def quietly(argv: list[str]) -> Callable[[], object]:
    def call() -> object:
        with contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
        if code != 0:
            raise SystemExit(f"{argv} exited with {code}")
        return code

    return call


def main_timing() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "log.sqlite3"
        with SessionStore(":memory:") as store:
            seed_history(store, args.sessions, datetime.now().astimezone(), steps=12)
            store.backup_to(db)
        days = str(-(-args.sessions // len(FEED_HOURS)) + 1)
        png, pdf = str(Path(folder) / "c.png"), str(Path(folder) / "r.pdf")
        cases = {
            "history (table)": ["history", "--db", str(db)],
            "history --csv": ["history", "--db", str(db), "--csv"],
            f"stats --days {days}": ["stats", "--db", str(db), "--days", days],
            f"plot --days {days}": ["plot", "--db", str(db), "--days", days, "--out", png],
            "report --days 31": ["report", "--db", str(db), "--days", "31", "--out", pdf],
        }  # fmt: skip
        print(f"{args.sessions} sessions (12 steps each), median of {args.runs} runs:")
        for name, argv in cases.items():
            print(f"  {name:<24} {median_s(quietly(argv), args.runs) * 1000:7.0f} ms (in process)")
        command = [sys.executable, "-m", "assistant", "stats", "--db", str(db), "--days", days]
        cold = median_s(lambda: subprocess.run(command, check=True, capture_output=True), args.runs)
        print(f"  {'pumpcoach stats':<24} {cold * 1000:7.0f} ms (new process, start-up included)")


if __name__ == "__main__":
    main_timing()

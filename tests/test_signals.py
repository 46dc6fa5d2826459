"""A closed terminal, a logout or a shutdown ends her session as Ctrl-C does: closed, kept."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def yields_in(db: Path) -> list[float]:
    if not db.exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT amount_ml FROM yields")]
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def session_rows(db: Path) -> list[tuple[str | None, str | None]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT ended_at, outcome FROM sessions").fetchall()
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize(
    "signum, code, said",
    [
        (signal.SIGTERM, 143, "pumpcoach: was asked to stop; stopped."),
        (signal.SIGHUP, 129, "pumpcoach: lost its terminal; stopped."),
        (signal.SIGINT, 0, None),  # Ctrl-C: she chose to stop, and is told what was saved
    ],
)
def test_a_stopping_signal_closes_the_session_and_keeps_her_amount(
    tmp_path: Path, signum: int, code: int, said: str | None
) -> None:
    """Mid-session, with an amount logged: the session gets its end and the amount is there, as
    for Ctrl-C; a signal from outside exits 128 + its number, with one sentence saying why."""
    db = tmp_path / "s.sqlite3"
    session = subprocess.Popen(
        [sys.executable, "-m", "assistant", "start", "mss", "--no-mic", "--db", str(db),
         "--speak-to", str(tmp_path / "cues.wav")],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert session.stdin is not None
    session.stdin.write("log 60 ml\n")
    session.stdin.flush()
    deadline = time.monotonic() + 60
    while yields_in(db) != [60.0] and session.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert yields_in(db) == [60.0], session.communicate(timeout=5)
    session.send_signal(signum)
    out, err = session.communicate(timeout=60)
    assert session.returncode == code, err
    assert "Traceback" not in err
    assert said is None or err.strip().splitlines()[-1] == said
    assert "Saved session 1: 60 ml logged" in out
    [(ended_at, outcome)] = session_rows(db)
    assert ended_at is not None and outcome == "stopped_early"
    assert yields_in(db) == [60.0]

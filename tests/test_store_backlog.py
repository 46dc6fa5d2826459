"""A busy or full database never costs her a confirmed amount: real locks, a real full disk."""

from __future__ import annotations

import errno
import json
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.cli.common import open_store
from assistant.cli.wiring import Wired, wired_session
from assistant.clock import VirtualClock
from assistant.commands import Command
from assistant.runtime.store_recorder import KEPT, SAVED, STILL_SAVING
from assistant.session.events import CommandEvent
from assistant.session.plan import build_plan
from assistant.settings import Settings
from assistant.store import backlog
from assistant.store.sqlite_store import SessionStore
from tests.fakes import FakeSpeaker, tiny_routine

LOG_60 = Command(intent="log", amounts_ml={"total": 60.0}, text="log 60")


@pytest.fixture(autouse=True)
def own_state_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept files that do not fit beside the database go to her state folder: a test's own."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()


def finish(runner: object, t: float) -> None:
    for n, intent in enumerate(("stop", "yes", "stop")):
        runner.feed(CommandEvent(t=t + n, command=Command(intent=intent)))  # type: ignore[attr-defined]


def ticks(runner: object, start: float, end: float) -> None:
    t = start
    while t < end:
        runner.tick(t)  # type: ignore[attr-defined]
        t += 0.25


class Lock:
    """Another program's write lock on the database, let go after `seconds` of real time."""

    def __init__(self, db: Path, seconds: float) -> None:
        self._conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        self._conn.execute("BEGIN IMMEDIATE")
        self._timer = threading.Timer(seconds, self._conn.execute, ("ROLLBACK",))
        self._timer.start()

    def join(self) -> None:
        self._timer.join()
        self._conn.close()


@contextmanager
def a_session(store: SessionStore, speaker: FakeSpeaker) -> Iterator[Wired]:
    """A short routine, stored in `store` and spoken to `speaker`, begun at 0 s."""
    plan = build_plan(tiny_routine())
    with wired_session(plan, Settings(), store, VirtualClock(), "", [], speaker) as wired:
        wired.runner.begin(0.0)
        yield wired


@pytest.mark.slow
def test_a_lock_held_ten_seconds_while_she_logs_loses_nothing(tmp_path: Path) -> None:
    """Another program holds the database for 10 s from just before she logs: the session goes
    on, she hears "Still saving", and the amount, the steps and the end are all stored."""
    db = tmp_path / "s.sqlite3"
    speaker = FakeSpeaker()
    with SessionStore(db) as store:
        with a_session(store, speaker) as wired:
            lock = Lock(db, seconds=10.0)
            wired.runner.feed(CommandEvent(t=5.0, command=LOG_60))
            ticks(wired.runner, 5.0, 20.0)
            finish(wired.runner, 20.0)
        lock.join()
        [record] = [store.session(sid) for sid in wired.session_ids]
    assert record.yields_ml == {"total": 60.0}
    assert record.outcome == "stopped_early" and all(s.how for s in record.steps)
    said = [text for _, text, _ in speaker.said]
    assert STILL_SAVING in said and said.index(STILL_SAVING) > 0
    assert not backlog.kept_files(db)


def test_a_short_lock_is_waited_out_and_nothing_is_said(tmp_path: Path) -> None:
    """A lock shorter than a try's pause is no news: the write lands on the next try."""
    db = tmp_path / "s.sqlite3"
    speaker = FakeSpeaker()
    with SessionStore(db) as store, a_session(store, speaker) as wired:
        lock = Lock(db, seconds=0.3)
        wired.runner.feed(CommandEvent(t=5.0, command=LOG_60))
        lock.join()
        ticks(wired.runner, 5.0, 7.0)
        assert store.session(wired.session_ids[0]).yields_ml == {"total": 60.0}
    said = [text for _, text, _ in speaker.said]
    assert STILL_SAVING not in said and SAVED not in said


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB file system, to fill: needs root and mount (as CI has); skipped otherwise."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a small file system needs root and mount here")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`; returns the filler, to delete to free it again."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def test_a_full_disk_keeps_the_amount_and_the_next_start_saves_it(
    small_disk: Path, tmp_path: Path
) -> None:
    """The disk fills mid-session: the session still ends properly, she is told her amount
    was kept, it is kept privately elsewhere, and the next session's opening saves it."""
    db = small_disk / "s.sqlite3"
    speaker = FakeSpeaker()
    with SessionStore(db) as store:
        with a_session(store, speaker) as wired:
            ticks(wired.runner, 0.0, 2.0)
            filler = fill(small_disk)
            wired.runner.feed(CommandEvent(t=5.0, command=LOG_60))
            ticks(wired.runner, 5.0, 10.0)
            finish(wired.runner, 10.0)
        [session_id] = wired.session_ids
        assert store.session(session_id).yields_ml == {}
    said = [text for _, text, _ in speaker.said]
    assert STILL_SAVING in said and said[-1] == KEPT
    [kept] = backlog.kept_files(db)
    assert wired.recorder.kept == str(kept)
    assert kept.parent == tmp_path / "state" / "pumpcoach" / "unsaved"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert [w["op"] for w in json.loads(kept.read_text())["waiting"]][-1] == "end_session"

    filler.unlink()
    with open_store(Settings(db_path=db)) as store:
        record = store.session(session_id)
    assert record.yields_ml == {"total": 60.0} and record.outcome == "stopped_early"
    assert not kept.exists()


def test_a_kept_amount_is_saved_once_even_if_kept_twice(tmp_path: Path) -> None:
    """A kill between saving a kept file and deleting it: the next opening adds no second
    yield for the same entry."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as store:
        sid = store.begin_session("mss", VirtualClock().started_at)
    waiting = backlog.Backlog(session_ids=[sid])
    at = VirtualClock().started_at.isoformat()
    waiting.add(backlog.Write("log_yield", 0, at, {"entry": 1, "amounts_ml": {"total": 60.0}}))
    first = backlog.keep(waiting, db)
    copy = first.with_name(first.name.replace(".unsaved", "9.unsaved"))
    copy.write_bytes(first.read_bytes())
    with open_store(Settings(db_path=db)) as store:
        assert store.session(sid).yields_ml == {"total": 60.0}
    assert backlog.kept_files(db) == []


def test_an_unreadable_kept_file_is_one_sentence_and_the_session_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A kept file damaged by hand is named and left alone; the database still opens."""
    db = tmp_path / "s.sqlite3"
    SessionStore(db).close()
    damaged = tmp_path / f"{db.name}.2025{backlog.KEPT_SUFFIX}"
    damaged.write_text("{not json")
    with open_store(Settings(db_path=db)):
        pass
    err = capsys.readouterr().err
    assert f"pumpcoach: {damaged} should hold what a session could not save" in err
    assert damaged.exists()

"""The session store, on real SQLite files and in memory: round trips, privacy, crashes, errors."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.cli.main import main
from assistant.errors import StoreError
from assistant.store import SessionStore, default_db_path, history_json
from assistant.store.migrations import MIGRATIONS, SCHEMA_VERSION

T0 = datetime(2025, 3, 1, 6, 30, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def raw(path: Path) -> sqlite3.Connection:
    """A plain SQLite connection, to look at the file without going through the store."""
    return sqlite3.connect(path, isolation_level=None)


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SessionStore]:
    where = ":memory:" if request.param == "memory" else tmp_path / "sessions.sqlite3"
    with SessionStore(where) as opened:
        yield opened


# -- round trips ---------------------------------------------------------------------------


def test_a_whole_session_reads_back_exactly_as_written(store: SessionStore) -> None:
    """Begin, steps, yields, an undo and the end come back from sessions() exactly."""
    sid = store.begin_session("mss", at(0), notes="after feeding")
    knead = store.step_started(sid, "knead", "Knead", "left", 1, at(0))
    store.step_ended(knead, at(60), "done")
    shake = store.step_started(sid, "shake", "Shake", "both", 2, at(60))
    store.step_ended(shake, at(70), "skipped")
    store.log_yield(sid, 1, {"left": 40, "right": 35.5}, at(80))
    store.log_yield(sid, 2, {"total": 12.25}, at(90))
    store.log_yield(sid, 3, {"right": 99}, at(95))
    store.undo_yield(sid, 3, at(96))
    store.end_session(sid, at(100), "completed")

    [record] = store.sessions()
    assert record == store.session(sid)
    assert (record.id, record.routine, record.notes) == (sid, "mss", "after feeding")
    assert (record.started_at, record.ended_at, record.outcome) == (at(0), at(100), "completed")
    assert record.yields_ml == {"left": 40.0, "right": 35.5, "total": 12.25}
    assert record.total_ml == 87.75
    assert [(e.entry, e.amounts_ml, e.logged_at, e.undone_at) for e in record.entries] == [
        (1, {"left": 40.0, "right": 35.5}, at(80), None),
        (2, {"total": 12.25}, at(90), None),
        (3, {"right": 99.0}, at(95), at(96)),
    ]
    assert [e.total_ml for e in record.entries] == [75.5, 12.25, 99.0]
    assert [(s.step_id, s.title, s.side, s.cycle, s.started_at, s.ended_at, s.how)
            for s in record.steps] == [
        ("knead", "Knead", "left", 1, at(0), at(60), "done"),
        ("shake", "Shake", "both", 2, at(60), at(70), "skipped"),
    ]  # fmt: skip


AMOUNT = st.integers(0, 200_000).map(lambda hundredths: hundredths / 100)
ENTRY = st.dictionaries(st.sampled_from(["left", "right", "total"]), AMOUNT, min_size=1)
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
)
MOMENT = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=ZONES)


@settings(max_examples=75, deadline=None)
@given(entries=st.lists(st.tuples(ENTRY, st.booleans(), MOMENT), max_size=8))
def test_any_entries_read_back_unchanged(
    entries: list[tuple[dict[str, float], bool, datetime]],
) -> None:
    """Whatever entries are logged (and undone), entries, yields_ml and total_ml come back true."""
    with SessionStore(":memory:") as store:
        sid = store.begin_session("mss", T0)
        for number, (amounts, undone, moment) in enumerate(entries, start=1):
            store.log_yield(sid, number, amounts, moment)
            if undone:
                store.undo_yield(sid, number, moment + timedelta(seconds=1))
        record = store.session(sid)

    assert [(e.entry, e.amounts_ml, e.logged_at, e.undone_at is not None)
            for e in record.entries] == [
        (n, amounts, moment, undone) for n, (amounts, undone, moment) in enumerate(entries, 1)
    ]  # fmt: skip
    kept = [amounts for amounts, undone, _ in entries if not undone]
    sums: dict[str, float] = {}
    for amounts in kept:
        for key, value in amounts.items():
            sums[key] = sums.get(key, 0.0) + value
    assert record.yields_ml == {key: round(value, 2) for key, value in sums.items()}
    totals = [a["total"] if "total" in a else a.get("left", 0) + a.get("right", 0) for a in kept]
    assert record.total_ml == round(sum(totals), 2)


def test_an_entry_total_counts_instead_of_its_sides(store: SessionStore) -> None:
    """Per entry, a dictated total is the entry's total; otherwise left plus right."""
    sid = store.begin_session("mss", at(0))
    store.log_yield(sid, 1, {"left": 30, "right": 20, "total": 55}, at(1))
    store.log_yield(sid, 2, {"left": 10}, at(2))
    record = store.session(sid)
    assert record.total_ml == 65.0
    assert record.yields_ml == {"left": 40.0, "right": 20.0, "total": 55.0}


def test_undo_keeps_the_rows_and_only_marks_them(tmp_path: Path) -> None:
    """Undo never deletes: every key's row stays, stamped with undone_at."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as store:
        sid = store.begin_session("mss", at(0))
        store.log_yield(sid, 1, {"left": 40, "right": 35}, at(1))
        store.undo_yield(sid, 1, at(2))
        store.undo_yield(sid, 1, at(3))
        assert store.session(sid).total_ml == 0
    rows = raw(db).execute("SELECT key, amount_ml, undone_at FROM yields ORDER BY key").fetchall()
    assert rows == [("left", 40.0, at(2).isoformat(timespec="microseconds")),
                    ("right", 35.0, at(2).isoformat(timespec="microseconds"))]  # fmt: skip


def test_the_schema_itself_refuses_to_delete_a_yield(tmp_path: Path) -> None:
    """Even a raw DELETE on yields is aborted by the database."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as store:
        store.log_yield(store.begin_session("mss", at(0)), 1, {"total": 5}, at(1))
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        raw(db).execute("DELETE FROM yields")


def test_notes_gain_one_line_per_add_note(store: SessionStore) -> None:
    """add_note appends a line; blank notes add nothing."""
    sid = store.begin_session("mss", at(0))
    store.add_note(sid, "left felt full")
    store.add_note(sid, "   ")
    store.add_note(sid, "used the  bigger\nflange")
    assert store.session(sid).notes == "left felt full\nused the bigger flange"


def test_sessions_come_oldest_first_and_filter_by_since_and_routine(store: SessionStore) -> None:
    """sessions() orders by start time and keeps only matching ones when asked."""
    late = store.begin_session("mss", at(7200))
    early = store.begin_session("warm-up", at(0))
    middle = store.begin_session("mss", at(3600))
    assert [r.id for r in store.sessions()] == [early, middle, late]
    assert [r.id for r in store.sessions(since=at(3600))] == [middle, late]
    assert [r.id for r in store.sessions(routine="mss")] == [middle, late]
    local_since = at(3601).astimezone(timezone(timedelta(hours=-8)))
    assert [r.id for r in store.sessions(since=local_since, routine="mss")] == [late]
    assert store.sessions(routine="nope") == []


def test_history_json_is_the_cli_contract(store: SessionStore) -> None:
    """history_json gives routine, ISO started_at/ended_at (or null), yields_ml and total_ml."""
    done = store.begin_session("mss", at(0))
    store.log_yield(done, 1, {"left": 40, "right": 35}, at(10))
    store.end_session(done, at(20), "completed")
    open_ = store.begin_session("mss", at(30))
    out = json.loads(json.dumps(history_json(store.sessions())))
    assert out[0] == {
        "id": done, "routine": "mss", "pumping": True, "outcome": "completed", "notes": "",
        "started_at": "2025-03-01T06:30:00.000000+00:00",
        "ended_at": "2025-03-01T06:30:20.000000+00:00",
        "yields_ml": {"left": 40.0, "right": 35.0}, "total_ml": 75.0,
    }  # fmt: skip
    assert out[1]["id"] == open_ and out[1]["ended_at"] is None and out[1]["yields_ml"] == {}
    assert datetime.fromisoformat(out[0]["started_at"]) == at(0)


# -- rules the store enforces -----------------------------------------------------------


def test_bad_values_are_refused_and_nothing_is_written(store: SessionStore) -> None:
    """Naive times, unknown keys or words, bad amounts and reused entries raise ValueError."""
    sid = store.begin_session("mss", at(0))
    with pytest.raises(ValueError, match="timezone-aware"):
        store.begin_session("mss", datetime(2025, 3, 1, 6, 30))
    for amounts in ({}, {"middle": 5.0}, {"left": -1.0}, {"left": float("nan")}):
        with pytest.raises(ValueError):
            store.log_yield(sid, 1, amounts, at(1))
    with pytest.raises(ValueError, match="outcome"):
        store.end_session(sid, at(2), "finished")
    with pytest.raises(ValueError, match="side"):
        store.step_started(sid, "knead", "Knead", "middle", 1, at(1))
    row = store.step_started(sid, "knead", "Knead", "left", 1, at(1))
    with pytest.raises(ValueError, match="how"):
        store.step_ended(row, at(2), "sort of")
    with pytest.raises(ValueError, match="no yield entry 9"):
        store.undo_yield(sid, 9, at(3))
    store.log_yield(sid, 1, {"left": 5}, at(1))
    with pytest.raises(ValueError, match="already logged"):
        store.log_yield(sid, 1, {"right": 5}, at(2))
    [record] = store.sessions()
    assert [e.amounts_ml for e in record.entries] == [{"left": 5.0}]
    assert (record.ended_at, record.outcome) == (None, None)


def test_an_unknown_session_is_a_store_error(store: SessionStore) -> None:
    """Reading or writing a session id that does not exist names the id and the file."""
    for call in (
        lambda: store.session(42),
        lambda: store.log_yield(42, 1, {"left": 1}, at(0)),
        lambda: store.end_session(42, at(0), "completed"),
        lambda: store.add_note(42, "hello"),
        lambda: store.step_started(42, "s", "S", "both", 1, at(0)),
    ):
        with pytest.raises(StoreError, match=f"no session 42 in {store.path}"):
            call()


def test_a_closed_store_raises_a_store_error(tmp_path: Path) -> None:
    """Using a store after close() is a StoreError, not a raw sqlite3 error."""
    store = SessionStore(tmp_path / "s.sqlite3")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.sessions()


def test_writes_from_several_threads_all_land(tmp_path: Path) -> None:
    """Speaker and input threads may share the store; no write is lost or interleaved."""
    with SessionStore(tmp_path / "s.sqlite3") as store:
        sid = store.begin_session("mss", at(0))

        def log(first: int) -> None:
            for n in range(first, first + 25):
                store.log_yield(sid, n, {"left": n, "right": 1}, at(n))
                store.add_note(sid, f"n{n}")

        threads = [threading.Thread(target=log, args=(1 + 25 * k,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        record = store.session(sid)
    assert [e.entry for e in record.entries] == list(range(1, 101))
    assert record.yields_ml == {"left": 5050.0, "right": 100.0}
    assert len(record.notes.splitlines()) == 100


# -- the file on disk ---------------------------------------------------------------------


def test_data_survives_closing_and_reopening_the_file(tmp_path: Path) -> None:
    """A reopened file holds every session written before."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as store:
        sid = store.begin_session("mss", at(0))
        store.log_yield(sid, 1, {"total": 80}, at(5))
        store.end_session(sid, at(10), "stopped_early")
        before = store.sessions()
    with SessionStore(db) as again:
        assert again.sessions() == before


def test_a_new_file_is_private_and_so_are_the_folders_made_for_it(tmp_path: Path) -> None:
    """The database (and its WAL) is created 0600; every folder made for it is 0700."""
    db = tmp_path / "new" / "deeper" / "pumpcoach.sqlite3"
    with SessionStore(db) as store:
        store.begin_session("mss", at(0))
        assert mode_of(db) == 0o600
        assert mode_of(Path(f"{db}-wal")) == 0o600
    assert mode_of(db.parent) == 0o700
    assert mode_of(db.parent.parent) == 0o700


def test_an_existing_looser_database_of_ours_is_tightened(tmp_path: Path) -> None:
    """Group and other permissions are removed from a database Pump Coach made; owner bits stay."""
    for before in (0o644, 0o660):
        db = tmp_path / f"loose-{before:o}.sqlite3"
        SessionStore(db).close()
        db.chmod(before)
        SessionStore(db).close()
        assert mode_of(db) == 0o600


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def other_database(path: Path) -> None:
    conn = raw(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('bread')")
    conn.close()


FOREIGN_FILES = [
    ("text", lambda p: p.write_text("Monday: 80 ml\n" * 200), "not an SQLite file"),
    ("short", lambda p: p.write_bytes(b"SQLite format 3\x00"), "not an SQLite file"),
    ("another database", other_database, "not a Pump Coach one"),
    ("a fifo", lambda p: os.mkfifo(p), "not a regular file"),
]


@pytest.mark.parametrize(
    "make, refused", [row[1:] for row in FOREIGN_FILES], ids=[row[0] for row in FOREIGN_FILES]
)
@pytest.mark.parametrize("opening", ["to write", "to read"])
def test_a_file_not_ours_is_refused_before_anything_about_it_changes(
    tmp_path: Path, make: Any, refused: str, opening: str
) -> None:
    """Check first, then refuse: its mode, its bytes and its folder stay as they were (no WAL
    switch, no chmod, no journal left beside it)."""
    path = tmp_path / "theirs"
    make(path)
    path.chmod(0o644)
    before = (mode_of(path), sha256(path) if path.is_file() else None)
    with pytest.raises(StoreError, match=refused):
        SessionStore(path) if opening == "to write" else SessionStore.for_reading(path)
    assert (mode_of(path), sha256(path) if path.is_file() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theirs"]


def test_an_empty_file_she_made_becomes_her_database_without_a_chmod(tmp_path: Path) -> None:
    """`touch log.sqlite3` then `--db log.sqlite3`: a new database, at the mode she chose."""
    db = tmp_path / "log.sqlite3"
    db.touch()
    db.chmod(0o640)
    with SessionStore(db) as store:
        store.begin_session("mss", at(0))
    assert mode_of(db) == 0o640


def read_only_copy(source: Path, tmp_path: Path) -> Iterator[Path]:
    """`source`'s folder seen through a read-only bind mount: a truly read-only database even
    for root, whom file modes do not stop."""
    view = tmp_path / "read-only"
    view.mkdir()
    mounted = subprocess.run(
        ["mount", "--bind", "-o", "ro", str(source.parent), str(view)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("a read-only bind mount needs root and mount here")
    try:
        yield view / source.name
    finally:
        subprocess.run(["umount", str(view)], check=False)


def test_a_database_on_read_only_media_can_be_read(tmp_path: Path) -> None:
    """history, stats and report read a database they cannot write: WAL and all."""
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "s.sqlite3"
    with SessionStore(db) as store:
        sid = store.begin_session("mss", at(0))
        store.log_yield(sid, 1, {"total": 75}, at(60))
    for seen in read_only_copy(db, tmp_path):
        with pytest.raises(StoreError):
            SessionStore(seen)
        with SessionStore.for_reading(seen) as reader:
            assert [record.total_ml for record in reader.sessions()] == [75.0]
        for command in (["history", "--json"], ["stats", "--days", "3660"]):
            assert main([*command, "--db", str(seen)]) == 0, command


def test_reading_changes_nothing_in_the_file_or_beside_it(tmp_path: Path) -> None:
    """A reader leaves the bytes and the mode as they were; SQLite may keep its WAL index
    beside the file, as it does for any reader of a WAL database."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as store:
        sid = store.begin_session("mss", at(0))
        store.log_yield(sid, 1, {"left": 40, "right": 35}, at(60))
    db.chmod(0o640)
    before = (sha256(db), mode_of(db))
    with SessionStore.for_reading(db) as reader:
        assert reader.session(sid).yields_ml == {"left": 40.0, "right": 35.0}
        with pytest.raises(StoreError):
            reader.begin_session("mss", at(100))
    assert (sha256(db), mode_of(db)) == before
    assert set(os.listdir(tmp_path)) <= {db.name, f"{db.name}-wal", f"{db.name}-shm"}


def test_an_older_schema_is_read_without_being_upgraded(tmp_path: Path) -> None:
    """A database from before the last migration is read through an upgraded copy in memory;
    the file keeps its old schema for the next writer to upgrade."""
    db = tmp_path / "old.sqlite3"
    conn = raw(db)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO schema_migrations VALUES (1, '2025-01-01T00:00:00Z')")
    conn.execute(
        "INSERT INTO sessions (routine, started_at) VALUES ('mss', ?)", (at(0).isoformat(),)
    )
    conn.commit()
    conn.close()
    before = sha256(db)
    with SessionStore.for_reading(db) as reader:
        assert [record.routine for record in reader.sessions()] == ["mss"]
    assert sha256(db) == before


BAD_ROWS = [
    ("UPDATE sessions SET started_at = 'yesterday'", "started_at"),
    ("UPDATE sessions SET pumping = 7", "pumping"),
    ("UPDATE yields SET amount_ml = 'lots'", "amount"),
    ("UPDATE steps SET side = 'middle'", "side"),
]


@pytest.mark.parametrize("change, named", BAD_ROWS)
def test_a_row_changed_outside_pump_coach_is_one_sentence(
    tmp_path: Path, change: str, named: str
) -> None:
    """A value no Pump Coach wrote is named with what to do, not a validation traceback."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as store:
        sid = store.begin_session("mss", at(0))
        store.step_started(sid, "knead", "Knead", "left", 1, at(1))
        store.log_yield(sid, 1, {"total": 75}, at(60))
    conn = raw(db)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("DROP TRIGGER IF EXISTS yields_are_never_deleted")
    conn.execute(change)
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=f"{named}.*restore a backup") as caught:
        SessionStore.for_reading(db).sessions()
    assert str(db) in str(caught.value)


def test_the_file_is_opened_in_wal_mode_with_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    """Durability settings: WAL journal, synchronous=FULL (2), foreign keys on."""
    with SessionStore(tmp_path / "s.sqlite3") as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_default_db_path_is_in_the_user_data_folder() -> None:
    """The default database is pumpcoach/pumpcoach.sqlite3 under the platform data folder."""
    path = default_db_path()
    assert path.name == "pumpcoach.sqlite3" and path.parent.name == "pumpcoach"


# -- crashes: SIGKILL at any moment loses nothing confirmed --------------------------------

WRITER = """\
import sys
from datetime import UTC, datetime, timedelta
from assistant.store import SessionStore

store = SessionStore(sys.argv[1])
t0 = datetime(2025, 3, 1, 6, 30, tzinfo=UTC)
sid = store.begin_session("mss", t0)
print(f"session {sid}", flush=True)
for n in range(1, 1_000_000):
    when = t0 + timedelta(seconds=n)
    row = store.step_started(sid, "knead", "Knead", "left", 1, when)
    store.log_yield(sid, n, {"left": n, "right": n / 100, "total": n + n / 100}, when)
    print(f"logged {n}", flush=True)
    if n % 3 == 0:
        store.undo_yield(sid, n, when)
        print(f"undone {n}", flush=True)
    store.step_ended(row, when, "done")
"""


def start_writer(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip


def assert_intact(db: Path) -> None:
    conn = raw(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 5, 17, 60])
def test_a_kill_loses_no_confirmed_yield(tmp_path: Path, kill_after: int) -> None:
    """SIGKILL right after N confirmations: all of them (and each whole) are in an intact file."""
    db = tmp_path / "s.sqlite3"
    writer = start_writer(db)
    watchdog = threading.Timer(60, writer.kill)
    watchdog.start()
    assert writer.stdout is not None and writer.stderr is not None
    lines: list[str] = []
    try:
        while sum(line.startswith("logged") for line in lines) < kill_after:
            line = writer.stdout.readline()
            assert line, f"writer died early: {writer.stderr.read()}"
            lines.append(line.strip())
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        watchdog.cancel()
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    lines += writer.stdout.read().splitlines()  # printed before the kill landed: confirmed too
    logged = {int(line.split()[1]) for line in lines if line.startswith("logged ")}
    undone = {int(line.split()[1]) for line in lines if line.startswith("undone ")}

    assert_intact(db)
    with SessionStore(db) as store:
        [record] = store.sessions()
    assert (record.ended_at, record.outcome) == (None, None)
    stored = {e.entry: e for e in record.entries}
    assert logged <= set(stored)
    assert sorted(stored) == list(range(1, len(stored) + 1))
    for n, item in stored.items():
        assert item.amounts_ml == {"left": n, "right": n / 100, "total": n + n / 100}
    assert all(stored[n].undone_at is not None for n in undone)
    assert len(record.steps) >= len(logged)


@pytest.mark.slow
@pytest.mark.parametrize("delay_s", [0.0, 0.1, 0.25, 0.4])
def test_a_kill_while_the_file_is_being_created_leaves_a_usable_database(
    tmp_path: Path, delay_s: float
) -> None:
    """Killed at any point of creating and migrating, the file still opens and is intact."""
    db = tmp_path / "s.sqlite3"
    writer = start_writer(db)
    time.sleep(delay_s)
    writer.kill()
    writer.wait()
    if db.exists():
        assert_intact(db)
    with SessionStore(db) as store:
        records = store.sessions()
        assert len(records) <= 1
        for record in records:
            assert all(len(e.amounts_ml) == 3 for e in record.entries)
    versions = raw(db).execute("SELECT version FROM schema_migrations").fetchall()
    assert versions == [(n,) for n in range(1, SCHEMA_VERSION + 1)]


# -- files that cannot be used ------------------------------------------------------------


def test_a_folder_where_the_file_should_be_is_a_store_error(tmp_path: Path) -> None:
    """A path that is a directory is refused in one sentence naming it."""
    folder = tmp_path / "actually-a-folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder") as caught:
        SessionStore(folder)
    assert str(folder) in str(caught.value)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    """A text file is refused with a sentence naming it, not a raw sqlite3 traceback."""
    text = tmp_path / "notes.txt"
    text.write_text("Monday: 80 ml\n" * 200)
    with pytest.raises(StoreError, match="not a Pump Coach database") as caught:
        SessionStore(text)
    assert str(text) in str(caught.value)
    assert not isinstance(caught.value, sqlite3.Error)
    assert text.read_text() == "Monday: 80 ml\n" * 200


def test_someone_elses_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    """An SQLite file from another program is not written to."""
    other = tmp_path / "other.sqlite3"
    conn = raw(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a Pump Coach one") as caught:
        SessionStore(other)
    assert str(other) in str(caught.value)
    tables = raw(other).execute("SELECT name FROM sqlite_master").fetchall()
    assert tables == [("recipes",)]


def test_a_file_inside_the_folder_path_is_a_store_error(tmp_path: Path) -> None:
    """When part of the folder path is a file, the error names the path."""
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(StoreError, match="folder path is a file") as caught:
        SessionStore(blocker / "sub" / "s.sqlite3")
    assert str(blocker / "sub" / "s.sqlite3") in str(caught.value)


def test_an_unwritable_folder_is_a_store_error(tmp_path: Path) -> None:
    """No permission to create the file gives a StoreError naming the path."""
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user (root) whom chmod does not restrict")
        with pytest.raises(StoreError, match="Permission denied") as caught:
            SessionStore(locked / "s.sqlite3")
        assert str(locked / "s.sqlite3") in str(caught.value)
    finally:
        locked.chmod(0o700)


def test_permission_denied_on_the_file_is_a_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The permission path works even where chmod cannot be tested (as root): one sentence."""
    db = tmp_path / "s.sqlite3"
    real_open = os.open

    def denying_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path) == db:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denying_open)
    with pytest.raises(StoreError, match=f"Permission denied.*{db}"):
        SessionStore(db)


# -- migrations ---------------------------------------------------------------------------


def test_migrations_are_recorded_and_not_rerun_on_reopen(tmp_path: Path) -> None:
    """Each applied migration is a row in schema_migrations; reopening applies nothing again."""
    db = tmp_path / "s.sqlite3"
    SessionStore(db).close()
    first = raw(db).execute("SELECT version, applied_at FROM schema_migrations").fetchall()
    assert [version for version, _ in first] == list(range(1, SCHEMA_VERSION + 1))
    with SessionStore(db) as store:
        store.begin_session("mss", at(0))
    SessionStore(db).close()
    again = raw(db).execute("SELECT version, applied_at FROM schema_migrations").fetchall()
    assert again == first


def test_a_database_from_a_newer_pump_coach_is_refused(tmp_path: Path) -> None:
    """A schema version above ours is a StoreError saying so; the file is left as it was."""
    db = tmp_path / "s.sqlite3"
    SessionStore(db).close()
    conn = raw(db)
    conn.execute(
        "INSERT INTO schema_migrations VALUES (?, '2030-01-01T00:00:00Z')", (SCHEMA_VERSION + 1,)
    )
    conn.close()
    with pytest.raises(StoreError, match="written by a newer Pump Coach") as caught:
        SessionStore(db)
    assert str(db) in str(caught.value)
    count = raw(db).execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    assert count == SCHEMA_VERSION + 1


def test_earlier_warm_ups_with_no_milk_are_marked_as_before_pumping(tmp_path: Path) -> None:
    """Warm-ups used to end by asking for milk. On migration, those with none logged are no
    pumping session; one where she logged milk keeps counting, as do all other routines."""
    db = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in (s for migration in MIGRATIONS[:2] for s in migration):
        conn.execute(statement)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    conn.executemany("INSERT INTO schema_migrations VALUES (?, 'then')", [(1,), (2,)])
    sessions = [(1, "warm-up"), (2, "warm-up"), (3, "four-steps"), (4, "mss")]
    conn.executemany(
        "INSERT INTO sessions (id, routine, started_at) VALUES (?, ?, '2025-03-01T06:30:00Z')",
        sessions,
    )
    conn.execute(
        "INSERT INTO yields (session_id, entry, key, amount_ml, logged_at)"
        " VALUES (2, 1, 'total', 60, '2025-03-01T06:40:00Z')"
    )
    conn.close()
    with SessionStore(db) as store:
        pumping = {record.id: record.pumping for record in store.sessions()}
    assert pumping == {1: False, 2: True, 3: False, 4: True}

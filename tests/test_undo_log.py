"""Her corrections in the store: nothing is deleted or replaced without a copy in the undo log."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.errors import StoreError
from assistant.store.migrations import MIGRATIONS, SCHEMA_VERSION
from assistant.store.records import SessionRecord, history_json
from assistant.store.sqlite_store import SessionStore

T0 = datetime(2024, 5, 6, 7, 10, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


@pytest.fixture
def store() -> Iterator[SessionStore]:
    with SessionStore(":memory:") as opened:
        yield opened


def full_session(store: SessionStore, start: float = 0, routine: str = "mss") -> int:
    """A session with two steps, an undone entry and a counted one."""
    sid = store.begin_session(routine, at(start), notes="left felt full")
    row = store.step_started(sid, "pump", "Pump", "both", 1, at(start))
    store.step_ended(row, at(start + 5), "done")
    row = store.step_started(sid, "knead", "Knead", "left", 1, at(start + 5))
    store.step_ended(row, at(start + 9), "skipped")
    store.log_yield(sid, 1, {"total": 590}, at(start + 10))
    store.undo_yield(sid, 1, at(start + 10.5))
    store.log_yield(sid, 2, {"left": 40, "right": 35}, at(start + 11))
    store.end_session(sid, at(start + 12), "completed")
    return sid


def without_step_ids(record: SessionRecord) -> dict[str, Any]:
    """Everything about a record except step row ids (fresh after a restore; nothing uses them)."""
    data = record.model_dump()
    for step in data["steps"]:
        step.pop("id")
    return data


def test_deleting_copies_every_row_to_the_undo_log_first(store: SessionStore) -> None:
    """The session, its steps and every yield row (undone ones too) are in the log entry."""
    sid = full_session(store)
    store.delete_session(sid, at(60))
    assert store.sessions() == []
    (entry,) = store.undo_log()
    assert (entry.session_id, entry.action, entry.at) == (sid, "deleted", at(60))
    assert entry.data["session"]["notes"] == "left felt full"
    assert [step["step_id"] for step in entry.data["steps"]] == ["pump", "knead"]
    keys = [(row["entry"], row["key"], row["undone_at"] is None) for row in entry.data["yields"]]
    assert keys == [(1, "total", False), (2, "left", True), (2, "right", True)]


def test_a_restored_session_is_exactly_what_was_deleted(store: SessionStore) -> None:
    """Same id, routine, times, notes, steps and entries; the log records both actions."""
    sid = full_session(store)
    before = store.session(sid)
    store.delete_session(sid, at(60))
    store.restore_session(sid, at(61))
    after = store.session(sid)
    assert without_step_ids(after) == without_step_ids(before)
    assert history_json([after]) == history_json([before])
    assert [entry.action for entry in store.undo_log()] == ["deleted", "restored"]


def test_session_ids_are_never_reused(store: SessionStore) -> None:
    """Deleting the newest session does not hand its id to the next one."""
    first = full_session(store)
    second = full_session(store, start=30)
    store.delete_session(second, at(60))
    third = store.begin_session("mss", at(70))
    assert (first, second, third) == (1, 2, 3)
    store.restore_session(second, at(80))
    assert [record.id for record in store.sessions()] == [1, 2, 3]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.delete_session(99, at(1)), "There is no session 99"),
        (lambda s: s.correct_yield(99, {"total": 5}, at(1)), "There is no session 99"),
        (lambda s: s.restore_session(1, at(1)), "Session 1 was not deleted"),
        (lambda s: s.restore_session(99, at(1)), "Session 99 was not deleted"),
    ],
)
def test_correcting_what_is_not_there_is_a_store_error(
    store: SessionStore, call: Any, message: str
) -> None:
    """Unknown sessions, and restoring one that is not deleted, are one sentence each."""
    full_session(store)
    with pytest.raises(StoreError, match=message):
        call(store)
    assert len(store.sessions()) == 1


def test_restoring_twice_is_refused(store: SessionStore) -> None:
    """Once back, a session is "not deleted" again."""
    sid = full_session(store)
    store.delete_session(sid, at(60))
    store.restore_session(sid, at(61))
    with pytest.raises(StoreError, match="was not deleted"):
        store.restore_session(sid, at(62))


def test_an_edit_keeps_the_old_entries_and_logs_them(store: SessionStore) -> None:
    """Counted entries are marked undone (rows stay) and copied; the new amount is one entry."""
    sid = full_session(store)
    entry = store.correct_yield(sid, {"left": 45, "right": 35}, at(60))
    record = store.session(sid)
    assert entry == 3
    assert record.yields_ml == {"left": 45, "right": 35} and record.total_ml == 80
    assert [(e.entry, e.undone_at is None) for e in record.entries] == [
        (1, False),
        (2, False),
        (3, True),
    ]
    (logged,) = store.undo_log()
    assert logged.action == "edited" and "session" not in logged.data
    assert {row["key"]: row["amount_ml"] for row in logged.data["yields"] if row["entry"] == 2} == {
        "left": 40,
        "right": 35,
    }


def test_an_edit_with_a_bad_amount_changes_nothing(store: SessionStore) -> None:
    """A negative or empty amount is refused before anything is copied or marked."""
    sid = full_session(store)
    before = store.session(sid)
    for bad in ({"left": -5}, {}):
        with pytest.raises(ValueError):
            store.correct_yield(sid, bad, at(60))
    assert store.session(sid) == before and store.undo_log() == []


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM yields",
        "DELETE FROM steps",
        "DELETE FROM sessions WHERE id = 1",
        "UPDATE undo_log SET action = 'edited'",
        "DELETE FROM undo_log",
    ],
)
def test_the_schema_refuses_deletes_without_a_copy(tmp_path: Path, statement: str) -> None:
    """Even raw SQL cannot delete her rows unless a copy was logged; the log is append-only."""
    db = tmp_path / "s.sqlite3"
    with SessionStore(db) as opened:
        sid = full_session(opened)
        opened.delete_session(sid, at(60))
        opened.restore_session(sid, at(61))  # the latest log row is no longer "deleted"
    with pytest.raises(sqlite3.IntegrityError, match="never"):
        raw(db).execute(statement)


def test_a_schema_1_database_with_data_is_upgraded_in_place(tmp_path: Path) -> None:
    """An existing log written before the undo log existed keeps every row and gains the log."""
    db = tmp_path / "old.sqlite3"
    conn = raw(db)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")
    conn.execute("INSERT INTO schema_migrations VALUES (1, '2024-01-01T00:00:00Z')")
    conn.execute(
        "INSERT INTO sessions (id, routine, started_at, ended_at, outcome)"
        " VALUES (1, 'mss', ?, ?, 'completed')",
        (at(0).isoformat(timespec="microseconds"), at(20).isoformat(timespec="microseconds")),
    )
    conn.execute(
        "INSERT INTO yields (session_id, entry, key, amount_ml, logged_at)"
        " VALUES (1, 1, 'total', 75, ?)",
        (at(19).isoformat(timespec="microseconds"),),
    )
    conn.close()
    with SessionStore(db) as opened:
        assert opened.session(1).total_ml == 75
        opened.delete_session(1, at(60))
        assert opened.sessions() == [] and opened.undo_log()[0].data["yields"][0]["amount_ml"] == 75
    versions = raw(db).execute("SELECT version FROM schema_migrations ORDER BY version")
    assert [v for (v,) in versions] == list(range(1, SCHEMA_VERSION + 1)) and SCHEMA_VERSION >= 2


def test_a_backup_is_a_private_copy_that_opens_as_a_store(tmp_path: Path) -> None:
    """backup_to writes a 0600 file with every session; it never overwrites a file."""
    with SessionStore(":memory:") as opened:
        full_session(opened)
        opened.backup_to(tmp_path / "copy.sqlite3")
        with pytest.raises(StoreError, match="already exists"):
            opened.backup_to(tmp_path / "copy.sqlite3")
    assert stat.S_IMODE((tmp_path / "copy.sqlite3").stat().st_mode) == 0o600
    with SessionStore(tmp_path / "copy.sqlite3") as copy:
        assert copy.session(1).total_ml == 75


AMOUNT = st.floats(min_value=0, max_value=600, allow_nan=False).map(lambda v: round(v, 2))
ENTRY = st.dictionaries(st.sampled_from(["left", "right", "total"]), AMOUNT, min_size=1)


@settings(max_examples=60, deadline=None)
@given(entries=st.lists(st.tuples(ENTRY, st.booleans()), max_size=6), notes=st.text(max_size=30))
def test_delete_then_restore_changes_nothing(
    entries: list[tuple[dict[str, float], bool]], notes: str
) -> None:
    """For any entries and notes, a deleted then restored session reads back unchanged."""
    with SessionStore(":memory:") as opened:
        sid = opened.begin_session("mss", at(0), notes=notes)
        for number, (amounts, undone) in enumerate(entries, start=1):
            opened.log_yield(sid, number, amounts, at(number))
            if undone:
                opened.undo_yield(sid, number, at(number + 0.5))
        before = opened.session(sid)
        opened.delete_session(sid, at(50))
        opened.restore_session(sid, at(51))
        assert opened.session(sid) == before

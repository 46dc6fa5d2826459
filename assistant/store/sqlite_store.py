"""Her sessions in one private SQLite file: every write committed and durable before returning.

Crash safety: WAL journal with `synchronous=FULL`, one `BEGIN IMMEDIATE ... COMMIT` per
write, so once a method returns its data survives a kill or a power cut. Yields are never
deleted; undo only stamps `undone_at`. Her corrections (an edited yield, a deleted session) copy
every row they touch to the undo log first (`undo_log.py`), so nothing is ever lost silently.
Times are passed in; the store never reads the clock.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import platformdirs
from pydantic import ValidationError

from assistant.commands import AmountKey
from assistant.errors import StoreError, StoreUnavailable
from assistant.private_files import private_folder
from assistant.store import undo_log as undo
from assistant.store.migrations import APPLICATION_ID, SCHEMA_VERSION, migrate
from assistant.store.records import (
    SessionRecord,
    StepRecord,
    history_json,
    iso,
)
from assistant.store.undo_log import UndoLogEntry

__all__ = ["SessionStore", "default_db_path", "history_json"]

MEMORY = ":memory:"
Amounts = Mapping[AmountKey, float] | Mapping[str, float]
"""Millilitres by `left`, `right` and/or `total`, as the machine or a test passes them."""
_KEYS = ("left", "right", "total")
_SIDES = ("both", "left", "right")
_HOWS = ("done", "skipped", "went_back", "stopped")
_OUTCOMES = ("completed", "stopped_early")
_SESSION_COLUMNS = "id, routine, pumping, started_at, ended_at, outcome, notes"
_STEP_COLUMNS = "session_id, id, step_id, title, side, cycle, started_at, ended_at, how"
_YIELD_COLUMNS = "session_id, entry, key, amount_ml, logged_at, undone_at"
WAIT_S = 5.0
"""How long a write waits for another program's lock before it is refused (SQLite retries
with its own back-off meanwhile)."""
_AVAILABLE_LATER = {
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PROTOCOL,
}
"""SQLite's reasons a write may succeed later, with nothing wrong in what was written."""
_SQLITE_HEADER = b"SQLite format 3\x00"


def default_db_path() -> Path:
    """Where her sessions live unless she says otherwise (her user data folder)."""
    return platformdirs.user_data_path("pumpcoach") / "pumpcoach.sqlite3"


class SessionStore:
    """Records sessions, steps and yields as they happen; reads them back as records."""

    def __init__(self, path: Path | str, wait_s: float = WAIT_S) -> None:
        self.path = Path(path)
        """The database file (`:memory:` for a throwaway one)."""
        self._lock = threading.RLock()
        self._conn = _connect(str(path), wait_s)
        self._wait_s = wait_s

    @classmethod
    def for_reading(cls, path: Path | str) -> Self:
        """Her database opened to read only: nothing in the file, its mode or its folder is
        changed, so a database on read-only media, or another user's copy, can be read."""
        store = cls.__new__(cls)
        store.path = Path(path)
        store._lock = threading.RLock()
        store._conn = _connect_read_only(store.path)
        store._wait_s = WAIT_S
        return store

    @contextmanager
    def waiting(self, seconds: float) -> Iterator[None]:
        """Writes inside wait up to `seconds` for another program's lock (then the usual)."""
        with self._lock:
            self._set_wait(seconds)
            try:
                yield
            finally:
                self._set_wait(self._wait_s)

    # -- writes: each one its own durable transaction ------------------------------------

    def begin_session(
        self, routine: str, started_at: datetime, notes: str = "", pumping: bool = True
    ) -> int:
        """Open a session row at once; returns its id (never one a deleted session had).
        `pumping`: False for a routine before pumping, which her figures leave out."""
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (id, routine, pumping, started_at, notes)"
                " VALUES (?, ?, ?, ?, ?)",
                (undo.next_session_id(conn), routine, int(pumping), iso(started_at), notes),
            )
        return _rowid(cursor)

    def step_started(
        self, session_id: int, step_id: str, title: str, side: str, cycle: int, at: datetime
    ) -> int:
        """Record that a step began; returns the step row to pass to `step_ended`."""
        _one_of(side, _SIDES, "side")
        if cycle < 1:
            raise ValueError(f"cycle counts from 1, got {cycle}")
        with self._write() as conn:
            self._require_session(conn, session_id)
            cursor = conn.execute(
                "INSERT INTO steps (session_id, step_id, title, side, cycle, started_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, step_id, title, side, cycle, iso(at)),
            )
        return _rowid(cursor)

    def step_ended(self, step_row: int, at: datetime, how: str) -> None:
        """Record how and when a step ended."""
        _one_of(how, _HOWS, "how")
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE steps SET ended_at = ?, how = ? WHERE id = ?", (iso(at), how, step_row)
            )
            if cursor.rowcount == 0:
                raise ValueError(f"there is no step row {step_row}")

    def log_yield(self, session_id: int, entry: int, amounts_ml: Amounts, at: datetime) -> None:
        """Store one confirmed entry, all its keys in one transaction."""
        rows = [(session_id, entry, key, amount, iso(at)) for key, amount in _amounts(amounts_ml)]
        if entry < 1:
            raise ValueError(f"entries count from 1, got {entry}")
        with self._write() as conn:
            self._require_session(conn, session_id)
            taken = "SELECT 1 FROM yields WHERE session_id = ? AND entry = ?"
            if conn.execute(taken, (session_id, entry)).fetchone():
                raise ValueError(f"entry {entry} of session {session_id} is already logged")
            conn.executemany(
                "INSERT INTO yields (session_id, entry, key, amount_ml, logged_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def undo_yield(self, session_id: int, entry: int, at: datetime) -> None:
        """Mark an entry undone (the rows stay); undoing it again changes nothing."""
        with self._write() as conn:
            conn.execute(
                "UPDATE yields SET undone_at = ?"
                " WHERE session_id = ? AND entry = ? AND undone_at IS NULL",
                (iso(at), session_id, entry),
            )
            known = "SELECT 1 FROM yields WHERE session_id = ? AND entry = ?"
            if conn.execute(known, (session_id, entry)).fetchone() is None:
                raise ValueError(f"session {session_id} has no yield entry {entry} to undo")

    def end_session(self, session_id: int, at: datetime, outcome: str) -> None:
        """Close a session with its outcome."""
        _one_of(outcome, _OUTCOMES, "outcome")
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET ended_at = ?, outcome = ? WHERE id = ?",
                (iso(at), outcome, session_id),
            )
            if cursor.rowcount == 0:
                raise self._no_session(session_id)

    def add_note(self, session_id: int, text: str) -> None:
        """Append one line to the session's notes (blank text adds nothing)."""
        line = " ".join(text.split())
        if not line:
            return
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET notes = CASE WHEN notes = '' THEN ?1"
                " ELSE notes || char(10) || ?1 END WHERE id = ?2",
                (line, session_id),
            )
            if cursor.rowcount == 0:
                raise self._no_session(session_id)

    # -- her corrections: each copies what it touches to the undo log first --------------

    def correct_yield(self, session_id: int, amounts_ml: Amounts, at: datetime) -> int:
        """Make `amounts_ml` the session's whole yield, for a mis-heard amount; returns the entry.

        The entries that counted are copied to the undo log and marked undone (their rows
        stay); the new amounts become one new entry.
        """
        rows = _amounts(amounts_ml)
        with self._write() as conn:
            self._require_session(conn, session_id)
            undo.copy_session(conn, session_id, "edited", iso(at), whole=False)
            conn.execute(
                "UPDATE yields SET undone_at = ? WHERE session_id = ? AND undone_at IS NULL",
                (iso(at), session_id),
            )
            last = "SELECT COALESCE(MAX(entry), 0) FROM yields WHERE session_id = ?"
            entry = int(conn.execute(last, (session_id,)).fetchone()[0]) + 1
            conn.executemany(
                "INSERT INTO yields (session_id, entry, key, amount_ml, logged_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(session_id, entry, key, amount, iso(at)) for key, amount in rows],
            )
        return entry

    def delete_session(self, session_id: int, at: datetime) -> None:
        """Remove a session, its steps and yields, after copying them all to the undo log."""
        with self._write() as conn:
            self._require_session(conn, session_id)
            undo.delete_session(conn, session_id, iso(at))

    def restore_session(self, session_id: int, at: datetime) -> None:
        """Bring a deleted session back exactly as it was (same id); StoreError if not deleted."""
        with self._write() as conn:
            undo.restore_session(conn, session_id, iso(at))

    def undo_log(self) -> list[UndoLogEntry]:
        """Every correction ever made, oldest first, with the rows as they were."""
        with self._read() as conn:
            return undo.entries(conn)

    def backup_to(self, path: Path | str) -> None:
        """A consistent copy of the whole database in a new private file (a backup, a demo)."""
        target = Path(path)
        if target.exists() and target.stat().st_size > 0:
            raise StoreError(f"{target} already exists; choose a new file for the copy.")
        _prepare_private_file(target)
        copy = sqlite3.connect(target)
        try:
            with self._lock:
                self._conn.backup(copy)
        except sqlite3.Error as exc:
            raise StoreError(f"Could not copy {self.path} to {target}: {_reason(exc)}.") from exc
        finally:
            copy.close()

    # -- reads ---------------------------------------------------------------------------

    def sessions(
        self, since: datetime | None = None, routine: str | None = None
    ) -> list[SessionRecord]:
        """Sessions oldest first, optionally only those started at/after `since` or of a routine."""
        clauses: list[str] = []
        params: list[object] = []
        if since is not None:
            clauses.append("started_at >= ?")
            params.append(iso(since))
        if routine is not None:
            clauses.append("routine = ?")
            params.append(routine)
        return self._load(" AND ".join(clauses) or "1", params)

    def session(self, session_id: int) -> SessionRecord:
        """One session by id; StoreError if there is none."""
        found = self._load("id = ?", [session_id])
        if not found:
            raise self._no_session(session_id)
        return found[0]

    # -- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database; every write was already committed."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- internals -----------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._transaction("BEGIN IMMEDIATE", "save to") as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._transaction("BEGIN", "read") as conn:
            yield conn

    @contextmanager
    def _transaction(self, begin: str, doing: str) -> Iterator[sqlite3.Connection]:
        conn = self._conn
        try:
            conn.execute(begin)
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            error = StoreUnavailable if _later(exc) else StoreError
            raise error(f"Could not {doing} {self.path}: {_reason(exc)}.") from exc

    def _set_wait(self, seconds: float) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._conn.execute(f"PRAGMA busy_timeout = {max(0, round(seconds * 1000))}")

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise self._no_session(session_id)

    def _no_session(self, session_id: int) -> StoreError:
        return StoreError(f"There is no session {session_id} in {self.path}.")

    def _load(self, where: str, params: Sequence[object]) -> list[SessionRecord]:
        chosen = f"session_id IN (SELECT id FROM sessions WHERE {where})"
        with self._read() as conn:
            sessions = conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE {where} ORDER BY started_at, id",
                params,
            ).fetchall()
            steps = conn.execute(
                f"SELECT {_STEP_COLUMNS} FROM steps WHERE {chosen} ORDER BY id", params
            ).fetchall()
            yields = conn.execute(
                f"SELECT {_YIELD_COLUMNS} FROM yields WHERE {chosen} ORDER BY entry, id", params
            ).fetchall()
        try:
            return _records(sessions, steps, yields)
        except ValidationError as exc:
            raise StoreError(_explain_bad_row(self.path, exc)) from None


def _later(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _AVAILABLE_LATER


def _explain_bad_row(path: Path, exc: ValidationError) -> str:
    problem = exc.errors()[0]
    where = ".".join(str(part) for part in problem["loc"])
    value = str(problem.get("input", ""))[:40]
    return (
        f"{path} holds a value Pump Coach cannot read ({where} = {value!r}); it was changed "
        "outside Pump Coach: restore a backup, or fix that row with an SQLite tool."
    )


def _connect(path: str, wait_s: float = WAIT_S) -> sqlite3.Connection:
    """Open (creating privately if needed), configure for durability, and migrate. A file
    that is already there is checked to be ours before anything in it or about it changes."""
    if path != MEMORY:
        _check_ours_before_opening(Path(path))
        _prepare_private_file(Path(path))
    conn: sqlite3.Connection | None = None
    try:
        # timeout= is SQLite's busy timeout; isolation_level=None: we issue BEGIN ourselves.
        conn = sqlite3.connect(path, timeout=wait_s, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        # Where WAL is unsupported SQLite keeps its rollback journal: still durable with FULL.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        migrate(conn, path)
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise StoreError(_explain_open(path, exc)) from exc
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Open without writing; an older schema is brought up to date in a copy in memory."""
    _check_ours_before_opening(path)
    try:
        conn = _open_read_only(path)
        if _schema_version(conn) == SCHEMA_VERSION:
            return conn
        with contextlib.closing(conn):
            copy = sqlite3.connect(MEMORY, isolation_level=None, check_same_thread=False)
            copy.row_factory = sqlite3.Row
            conn.backup(copy)
        migrate(copy, str(path))
        return copy
    except sqlite3.Error as exc:
        raise StoreError(_explain_open(str(path), exc)) from exc


def _open_read_only(path: Path) -> sqlite3.Connection:
    """mode=ro first; on media where SQLite cannot even keep its shared-memory file beside a
    WAL database, `immutable`, which promises SQLite nobody writes it meanwhile."""
    uri = path.absolute().as_uri()
    last: sqlite3.Error | None = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        conn = sqlite3.connect(
            f"{uri}?{options}", uri=True, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        try:
            _schema_version(conn)
            return conn
        except sqlite3.Error as exc:
            conn.close()
            if not _later(exc):
                raise
            last = exc
    assert last is not None
    raise last


def _schema_version(conn: sqlite3.Connection) -> int:
    """The migrations applied (0: none yet, a fresh file)."""
    table = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    if conn.execute(table).fetchone() is None:
        return 0
    latest = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
    return int(latest.fetchone()[0])


def _check_ours_before_opening(path: Path) -> None:
    """Refuse, before SQLite or chmod touches it, a file that is not a Pump Coach database:
    a device, a folder, another program's file or database. An empty file is a new one."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return  # a new file: making it says what is wrong with the path
    except OSError as exc:
        raise StoreError(f"Cannot open the session database {path}: {exc.strerror}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(f"{path} is a folder, not a session database file.")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path} is not a regular file, so it cannot be a session database.")
    if info.st_size == 0:
        return
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StoreError(f"Cannot read the session database {path}: {exc.strerror}.") from exc
    if not header.startswith(_SQLITE_HEADER) or len(header) < 100:
        raise StoreError(f"{path} is not a Pump Coach database (it is not an SQLite file).")
    if int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return
    if _has_tables(path):
        raise StoreError(f"{path} is an SQLite database, but not a Pump Coach one.")


def _has_tables(path: Path) -> bool:
    """Whether an SQLite file not marked as ours holds anything (read only, nothing changed)."""
    try:
        conn = _open_read_only(path)
    except sqlite3.Error:
        return True
    try:
        return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return True
    finally:
        conn.close()


def _explain_open(path: str, exc: sqlite3.Error) -> str:
    reason = str(exc).lower()
    if "not a database" in reason or "malformed" in reason:
        return f"{path} is not a Pump Coach database (it is not a readable SQLite file)."
    if "readonly" in reason or "read-only" in reason:
        return f"{path} is read-only, and Pump Coach needs to write to it."
    if "locked" in reason or "busy" in reason:
        return f"{path} is in use by another program; close it and try again."
    return f"Cannot open the session database {path}: {_reason(exc)}."


def _reason(exc: sqlite3.Error) -> str:
    return str(exc).rstrip(".") or type(exc).__name__


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"{what} must be one of {', '.join(allowed)}; got {value!r}")


def _amounts(amounts_ml: Amounts) -> list[tuple[str, float]]:
    """Validated (key, millilitres) pairs in key order; at least one."""
    given: dict[str, float] = dict(amounts_ml.items())
    if not given:
        raise ValueError("a yield entry needs at least one amount")
    for key, amount in given.items():
        _one_of(key, _KEYS, "amount key")
        if not math.isfinite(amount) or amount < 0:
            raise ValueError(f"{key} amount must be a finite number >= 0 ml; got {amount!r}")
    return [(key, float(given[key])) for key in _KEYS if key in given]


def _rowid(cursor: sqlite3.Cursor) -> int:
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def _records(
    sessions: list[sqlite3.Row], steps: list[sqlite3.Row], yields: list[sqlite3.Row]
) -> list[SessionRecord]:
    """Assemble rows (already in order) into records; pydantic parses and checks each value."""
    steps_of: dict[int, list[StepRecord]] = {}
    for row in steps:
        steps_of.setdefault(row["session_id"], []).append(StepRecord.model_validate(dict(row)))
    entries_of: dict[int, dict[int, dict[str, Any]]] = {}
    for row in yields:
        item = entries_of.setdefault(row["session_id"], {}).setdefault(
            row["entry"], {**dict(row), "amounts_ml": {}}
        )
        item["amounts_ml"][row["key"]] = row["amount_ml"]
    return [
        SessionRecord.model_validate(
            {
                **dict(row),
                "steps": steps_of.get(row["id"], []),
                "entries": list(entries_of.get(row["id"], {}).values()),
            }
        )
        for row in sessions
    ]


# -- the file itself: private, created before SQLite touches it ----------------------------


def _prepare_private_file(path: Path) -> None:
    """Create the folder (0700) and file (0600) if missing. An existing file is left as it is
    unless it is marked as ours: then a looser mode (an older Pump Coach's) is tightened."""
    try:
        private_folder(path.parent)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            fd = os.open(path, os.O_RDWR)
        try:
            mode = stat.S_IMODE(os.fstat(fd).st_mode)
            if mode & 0o077 and _marked_ours(fd):
                with contextlib.suppress(OSError):  # not hers to chmod: still usable
                    os.fchmod(fd, mode & 0o700)
        finally:
            os.close(fd)
    except IsADirectoryError as exc:
        raise StoreError(f"{path} is a folder, not a session database file.") from exc
    except NotADirectoryError as exc:
        raise StoreError(f"{path} cannot be created: part of its folder path is a file.") from exc
    except PermissionError as exc:
        raise StoreError(f"Permission denied: Pump Coach cannot create or write {path}.") from exc
    except OSError as exc:
        raise StoreError(f"Cannot open the session database {path}: {exc.strerror}.") from exc


def _marked_ours(fd: int) -> bool:
    header = os.pread(fd, 100, 0)
    return header.startswith(_SQLITE_HEADER) and header[68:72] == APPLICATION_ID.to_bytes(4, "big")

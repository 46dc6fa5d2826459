"""The schema as a numbered list of migrations, each recorded in `schema_migrations`.

Append only: never edit a migration that has shipped. Migration N is `MIGRATIONS[N - 1]`;
all pending ones run in one transaction, so a kill mid-upgrade leaves the old schema intact.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.errors import StoreError

APPLICATION_ID = 0x50434F41  # "PCOA": marks a file as a Pump Coach database.

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            outcome TEXT CHECK (outcome IN ('completed', 'stopped_early')),
            notes TEXT NOT NULL DEFAULT '',
            CHECK ((ended_at IS NULL) = (outcome IS NULL))
        )""",
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            step_id TEXT NOT NULL,
            title TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('both', 'left', 'right')),
            cycle INTEGER NOT NULL CHECK (cycle >= 1),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            how TEXT CHECK (how IN ('done', 'skipped', 'went_back', 'stopped')),
            CHECK ((ended_at IS NULL) = (how IS NULL))
        )""",
        "CREATE INDEX steps_by_session ON steps (session_id)",
        """CREATE TABLE yields (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            entry INTEGER NOT NULL CHECK (entry >= 1),
            key TEXT NOT NULL CHECK (key IN ('left', 'right', 'total')),
            amount_ml REAL NOT NULL CHECK (amount_ml >= 0),
            logged_at TEXT NOT NULL,
            undone_at TEXT,
            UNIQUE (session_id, entry, key)
        )""",
        """CREATE TRIGGER yields_are_never_deleted BEFORE DELETE ON yields
        BEGIN SELECT RAISE(ABORT, 'yields are never deleted; set undone_at'); END""",
    ),
    (
        # Her corrections: a session is deleted, or its yield edited, only after a copy of
        # its rows lands here in the same transaction. The log itself is append-only.
        """CREATE TABLE undo_log (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('deleted', 'edited', 'restored')),
            at TEXT NOT NULL,
            data TEXT NOT NULL
        )""",
        "CREATE INDEX undo_log_by_session ON undo_log (session_id, id)",
        """CREATE TRIGGER undo_log_is_never_changed BEFORE UPDATE ON undo_log
        BEGIN SELECT RAISE(ABORT, 'the undo log is never changed'); END""",
        """CREATE TRIGGER undo_log_is_never_deleted BEFORE DELETE ON undo_log
        BEGIN SELECT RAISE(ABORT, 'the undo log is never deleted'); END""",
        "DROP TRIGGER yields_are_never_deleted",
        *(
            f"""CREATE TRIGGER {table}_are_never_deleted BEFORE DELETE ON {table}
            WHEN (SELECT action FROM undo_log WHERE session_id = OLD.{column}
                  ORDER BY id DESC LIMIT 1) IS NOT 'deleted'
            BEGIN SELECT RAISE(ABORT, '{table} are never deleted without a copy in undo_log');
            END"""
            for table, column in (
                ("yields", "session_id"),
                ("steps", "session_id"),
                ("sessions", "id"),
            )
        ),
    ),
    (
        # Routines before pumping (a warm-up) lead into a pumping routine and are no pumping
        # session. Earlier warm-ups asked for milk: those with milk logged keep counting.
        "ALTER TABLE sessions ADD COLUMN pumping INTEGER NOT NULL DEFAULT 1"
        " CHECK (pumping IN (0, 1))",
        """UPDATE sessions SET pumping = 0
        WHERE routine IN ('warm-up', 'four-steps')
        AND id NOT IN (SELECT session_id FROM yields WHERE undone_at IS NULL)""",
    ),
)
"""Migration N is MIGRATIONS[N - 1]: its statements, run in order."""

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, path: Path | str) -> None:
    """Bring the schema up to date in one transaction; refuse files that are not ours."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        _check_ours(conn, path)
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        version: int = current.fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{path} was written by a newer Pump Coach (schema {version}, this one knows "
                f"up to {SCHEMA_VERSION}); update Pump Coach to open it."
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            # Bookkeeping only: session times always come from the caller's clock.
            conn.execute(
                "INSERT INTO schema_migrations (version, applied_at) "
                "VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                (number,),
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _check_ours(conn: sqlite3.Connection, path: Path | str) -> None:
    """A fresh database, or one marked as ours; anything else is someone else's file."""
    app_id: int = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    has_tables = conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
    if app_id != 0 or has_tables:
        raise StoreError(f"{path} is an SQLite database, but not a Pump Coach one.")

"""Her corrections without loss: every row a deletion or an edit touches is copied first.

These helpers run inside the store's write transactions, so the copy and the change land
together or not at all; the schema's triggers refuse a deletion that has no copy. Session
ids are never reused (see `next_session_id`), so a logged copy always names one session.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from assistant.errors import StoreError

UndoAction = Literal["deleted", "edited", "restored"]

_SESSION = "id, routine, pumping, started_at, ended_at, outcome, notes"
_STEP = "step_id, title, side, cycle, started_at, ended_at, how"
_YIELD = "entry, key, amount_ml, logged_at, undone_at"


class UndoLogEntry(BaseModel):
    """One correction as it was recorded: what was done, and the rows as they were before."""

    model_config = ConfigDict(frozen=True)

    id: int
    """Row id in `undo_log`: later corrections have higher ids."""
    session_id: int
    """The session the correction was about."""
    action: UndoAction
    """`deleted` (copied, then removed), `edited` (yields copied, then replaced), `restored`."""
    at: datetime
    """When it was done (timezone-aware, UTC), as the caller's clock said."""
    data: dict[str, Any]
    """`session`, `steps` and `yields` rows as they were (an edit copies only `yields`)."""


def next_session_id(conn: sqlite3.Connection) -> int:
    """One past any id a session ever had, deleted ones included, so ids are never reused."""
    row = conn.execute(
        "SELECT MAX(COALESCE((SELECT MAX(id) FROM sessions), 0),"
        " COALESCE((SELECT MAX(session_id) FROM undo_log), 0))"
    ).fetchone()
    return int(row[0]) + 1


def copy_session(
    conn: sqlite3.Connection, session_id: int, action: UndoAction, at: str, whole: bool
) -> None:
    """Append the session's rows (only its yields unless `whole`) to the undo log."""
    data: dict[str, Any] = {"yields": _rows(conn, _YIELD, "yields", "session_id", session_id)}
    if whole:
        data["session"] = _rows(conn, _SESSION, "sessions", "id", session_id)[0]
        data["steps"] = _rows(conn, _STEP, "steps", "session_id", session_id)
    conn.execute(
        "INSERT INTO undo_log (session_id, action, at, data) VALUES (?, ?, ?, ?)",
        (session_id, action, at, json.dumps(data)),
    )


def delete_session(conn: sqlite3.Connection, session_id: int, at: str) -> None:
    """Copy the whole session to the undo log, then remove its rows (children first)."""
    copy_session(conn, session_id, "deleted", at, whole=True)
    for table, column in (("yields", "session_id"), ("steps", "session_id"), ("sessions", "id")):
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (session_id,))


def restore_session(conn: sqlite3.Connection, session_id: int, at: str) -> None:
    """Put a deleted session back from its latest copy; the log records the restore too."""
    latest = conn.execute(
        "SELECT action, data FROM undo_log WHERE session_id = ? ORDER BY id DESC LIMIT 1",
        (session_id,),
    ).fetchone()
    if latest is None or latest["action"] != "deleted":
        raise StoreError(f"Session {session_id} was not deleted, so there is nothing to restore.")
    data = json.loads(latest["data"])
    _insert(conn, "sessions", data["session"])
    for step in data["steps"]:
        _insert(conn, "steps", {**step, "session_id": session_id})
    for item in data["yields"]:
        _insert(conn, "yields", {**item, "session_id": session_id})
    conn.execute(
        "INSERT INTO undo_log (session_id, action, at, data) VALUES (?, 'restored', ?, ?)",
        (session_id, at, latest["data"]),
    )


def entries(conn: sqlite3.Connection) -> list[UndoLogEntry]:
    """The whole log, oldest first."""
    rows = conn.execute("SELECT id, session_id, action, at, data FROM undo_log ORDER BY id")
    return [
        UndoLogEntry.model_validate({**dict(row), "data": json.loads(row["data"])}) for row in rows
    ]


def _rows(
    conn: sqlite3.Connection, columns: str, table: str, key: str, value: int
) -> list[dict[str, Any]]:
    query = f"SELECT {columns} FROM {table} WHERE {key} = ? ORDER BY id"
    return [dict(row) for row in conn.execute(query, (value,))]


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Insert a copied row; step and yield rows get fresh ids (nothing refers to those)."""
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))

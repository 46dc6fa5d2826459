"""The session store: her sessions, steps and yields in one private, crash-safe SQLite file."""

from assistant.store.records import SessionRecord, StepRecord, YieldEntry, history_json
from assistant.store.sqlite_store import SessionStore, default_db_path
from assistant.store.undo_log import UndoLogEntry

__all__ = [
    "SessionRecord",
    "SessionStore",
    "StepRecord",
    "UndoLogEntry",
    "YieldEntry",
    "default_db_path",
    "history_json",
]

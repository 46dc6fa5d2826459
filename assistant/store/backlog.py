"""Writes of a running session kept in order until the database takes them.

Another program may hold the database for a while, or the disk may fill. The session goes
on meanwhile: each write waits its turn here, and is tried again later. What is still
waiting when the session closes is kept in a small file beside the database and written
the next time Pump Coach opens it, so a confirmed amount is never dropped.
"""

from __future__ import annotations

import json
import tempfile
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import platformdirs

from assistant.errors import StoreError, StoreUnavailable
from assistant.private_files import private_folder, private_output
from assistant.store.sqlite_store import SessionStore

Op = Literal[
    "begin_session", "step_started", "step_ended", "log_yield", "undo_yield", "end_session"
]


@dataclass(frozen=True)
class Write:
    """One call to the store, as data, so it can wait and be kept in a file."""

    op: Op
    """The store method it calls."""
    session: int
    """Which of the session's rows: 0 the first, 1 the pumping routine a warm-up led to."""
    at: str
    """When it happened (ISO 8601 with its offset), as the store will record it."""
    fields: dict[str, Any] = field(default_factory=dict)
    """The method's other arguments; a step is named by its index in the plan."""

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.at)


@dataclass
class Backlog:
    """Writes waiting for the database, applied in the order they happened."""

    session_ids: list[int | None] = field(default_factory=list)
    """Each session's row id by its number; None until its `begin_session` is written."""
    step_rows: dict[str, int] = field(default_factory=dict)
    """The row of each step begun and not yet ended, by "session:index"."""
    waiting: deque[Write] = field(default_factory=deque)

    def add(self, write: Write) -> None:
        self.waiting.append(write)

    def flush(self, store: SessionStore) -> bool:
        """Write what waits, oldest first, until the database refuses; True when none waits.
        StoreUnavailable stops it quietly (tried again later); other errors are real bugs."""
        while self.waiting:
            try:
                self._apply(store, self.waiting[0])
            except StoreUnavailable:
                return False
            self.waiting.popleft()
        return True

    def amounts_waiting(self) -> list[dict[str, float]]:
        """The yields among what waits: what she would lose, were it dropped."""
        return [w.fields["amounts_ml"] for w in self.waiting if w.op == "log_yield"]

    def _apply(self, store: SessionStore, write: Write) -> None:
        f, at, step = write.fields, write.moment, f"{write.session}:{write.fields.get('index')}"
        if write.op == "begin_session":
            new = store.begin_session(f["routine"], at, f["notes"], f["pumping"])
            self.session_ids[write.session : write.session + 1] = [new]
            return
        session_id = self.session_ids[write.session]
        if session_id is None:
            raise StoreError(f"session {write.session} was never begun")
        if write.op == "step_started":
            self.step_rows[step] = store.step_started(
                session_id, f["step_id"], f["title"], f["side"], f["cycle"], at
            )
        elif write.op == "step_ended":
            store.step_ended(self.step_rows[step], at, f["how"])
            del self.step_rows[step]
        elif write.op == "log_yield":
            store.log_yield(session_id, f["entry"], f["amounts_ml"], at)
        elif write.op == "undo_yield":
            store.undo_yield(session_id, f["entry"], at)
        elif write.op == "end_session":
            store.end_session(session_id, at, f["outcome"])


# -- kept in a file when the session closes with writes still waiting ---------------------

KEPT_SUFFIX = ".unsaved.json"


def keep(backlog: Backlog, db: Path) -> Path:
    """Keep the backlog in a private file (0600), beside the database if the disk there has
    room, else in her state folder, else the temporary folder; returns where. OSError if
    nowhere would take it."""
    stamp = "".join(ch for ch in backlog.waiting[0].at if ch.isdigit())[:14]
    name = f"{db.name}.{stamp}{KEPT_SUFFIX}"
    problem = OSError("nowhere to keep it")
    for folder in _places(db):
        try:
            _write_whole(folder / name, _state_of(backlog, db))
            return folder / name
        except OSError as exc:
            problem = exc
    raise problem


def kept_files(db: Path) -> list[Path]:
    """Every kept backlog that may be this database's (`load` checks it is)."""
    return sorted(
        path for folder in _places(db) for path in folder.glob(f"{db.name}.*{KEPT_SUFFIX}")
    )


def write_kept(store: SessionStore) -> list[str]:
    """Write every backlog kept for the store's database; one sentence for each. One that
    cannot be read, or no longer fits the database, is left for her to look at, and the
    others are still written."""
    told: list[str] = []
    for path in kept_files(store.path):
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            if state.get("db") != str(store.path.absolute()):
                continue  # another database's, of the same name
            told.append(_write_one(store, path, _backlog_of(state)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, StoreError) as exc:
            if path.parent == store.path.absolute().parent:
                told.append(
                    f"{path} should hold what a session could not save, but it cannot be "
                    f"used ({exc}); it is left as it is."
                )
    return told


def _write_one(store: SessionStore, path: Path, backlog: Backlog) -> str:
    """Save one kept backlog; what the database still will not take is kept again."""
    _forget_logged(store, backlog)
    amounts = backlog.amounts_waiting()
    if backlog.flush(store):
        path.unlink()
        return f"Saved {_count(amounts)} that an earlier session could not save."
    _write_whole(path, _state_of(backlog, store.path))
    return f"{path} still waits to be saved: the database is not writable yet."


def _forget_logged(store: SessionStore, backlog: Backlog) -> None:
    """A kept file saved once already (a kill between saving it and deleting it) adds no
    second yield: entries the database holds are dropped from it."""

    def logged(write: Write) -> bool:
        ids = backlog.session_ids
        sid = ids[write.session] if write.op == "log_yield" and write.session < len(ids) else None
        entries = store.session(sid).entries if sid is not None else []
        return any(item.entry == write.fields["entry"] for item in entries)

    backlog.waiting = deque(write for write in backlog.waiting if not logged(write))


def _state_of(backlog: Backlog, db: Path) -> str:
    return json.dumps(
        {
            "db": str(db.absolute()),
            "session_ids": backlog.session_ids,
            "step_rows": backlog.step_rows,
            "waiting": [asdict(write) for write in backlog.waiting],
        }
    )


def _backlog_of(state: dict[str, Any]) -> Backlog:
    return Backlog(
        session_ids=list(state["session_ids"]),
        step_rows={str(k): int(v) for k, v in state["step_rows"].items()},
        waiting=deque(Write(**write) for write in state["waiting"]),
    )


def _places(db: Path) -> list[Path]:
    spare = platformdirs.user_state_path("pumpcoach") / "unsaved"
    return [db.absolute().parent, spare, Path(tempfile.gettempdir()) / "pumpcoach-unsaved"]


def _write_whole(path: Path, text: str) -> None:
    """Whole or not at all, readable by her alone."""
    private_folder(path.parent)
    with private_output(path) as file:
        file.write(text.encode("utf-8"))


def _count(amounts: list[dict[str, float]]) -> str:
    if not amounts:
        return "the end of a session"
    return "an amount" if len(amounts) == 1 else f"{len(amounts)} amounts"

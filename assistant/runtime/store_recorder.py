"""Writes the session to the store as it happens, so a crash loses nothing confirmed.

A database that cannot take a write (another program holds it, the disk is full) does not
end the session: writes wait in a backlog, in order, tried again with a growing pause, and
she hears "Still saving" if that takes long. What still waits at the end is kept beside the
database and written the next time Pump Coach opens it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta, tzinfo

from assistant.clock import Clock, wall_time
from assistant.errors import StoreError
from assistant.insight.recap import RECENT_DAYS, recap_for
from assistant.insight.yields import session_yields
from assistant.runtime.observer import BaseObserver
from assistant.session.effects import (
    Effect,
    NextRoutine,
    SessionEnded,
    StepEnded,
    StepEntered,
    YieldLogged,
    YieldUndone,
)
from assistant.session.events import Briefing
from assistant.session.snapshot import Snapshot
from assistant.store import backlog
from assistant.store.backlog import Backlog, Op, Write
from assistant.store.sqlite_store import SessionStore

TRY_WAIT_S = 0.1
"""How long one try during the session waits for a lock: short, so the coach never stalls."""
RETRY_S = (0.5, 1.0, 2.0, 4.0)
"""Session time before each further try; the last repeats, so the pause is bounded."""
STILL_SAVING_AFTER_S = 2.0
"""A write waiting this long is news for her."""
LAST_WAIT_S = 15.0
"""At the end, how long the last try waits for another program's lock before keeping
what waits in a file."""
STILL_SAVING = "Still saving; I'll keep trying."
SAVED = "Saved."
KEPT = (
    "The database would not take what was left to save, so I kept it safe in a file; "
    "it will be saved the next time you start a session."
)

Tell = Callable[[float, str], None]


class StoreRecorder(BaseObserver):
    """Opens a session row at once and records steps and yields the moment they happen."""

    def __init__(
        self,
        store: SessionStore,
        clock: Clock,
        routine: str,
        notes: str = "",
        tz: tzinfo | None = None,
        pumping: bool = True,
    ) -> None:
        self._store = store
        self._clock = clock
        self._tz = tz
        """Her time zone for "today"; None: the system's."""
        self._notes = notes
        first = store.begin_session(routine, clock.started_at, notes, pumping)
        self._backlog = Backlog(session_ids=[first])
        self._started = clock.started_at
        self._steps: set[int] = set()
        self._ended = False
        self._next_try = 0.0
        self._tries = 0
        self._waiting_since: float | None = None
        self._told = False
        self.tell: Tell | None = None
        """Where news for her goes (the runner's `announce`), once the runner exists."""
        self.kept: str | None = None
        """Where what could not be saved was kept, if anything was; None when all is saved."""

    @property
    def session_id(self) -> int:
        """The session being recorded (its row may still wait to be written)."""
        return self.session_ids[-1]

    @property
    def session_ids(self) -> list[int]:
        """Every session row written: one, or a warm-up and the pumping routine it led to."""
        return [sid for sid in self._backlog.session_ids if sid is not None]

    def briefing(self, t: float) -> Briefing:
        """Her day so far and her recent days, read from the store before this session."""
        started = self._started
        try:
            earlier = self._store.sessions(since=started - timedelta(days=RECENT_DAYS + 2))
        except StoreError:
            earlier = []  # no recap today; the session itself does not depend on one
        others = session_yields(record for record in earlier if record.id != self.session_id)
        return Briefing(t=t, recap=recap_for(others, started, self._tz))

    def on_effect(self, t: float, effect: Effect) -> None:
        if isinstance(effect, StepEntered):
            self._steps.add(effect.index)
            self._write(
                t,
                "step_started",
                index=effect.index,
                step_id=effect.step_id,
                title=effect.title,
                side=effect.side,
                cycle=effect.cycle,
            )
        elif isinstance(effect, StepEnded) and effect.index in self._steps:
            self._steps.discard(effect.index)
            self._write(t, "step_ended", index=effect.index, how=effect.how)
        elif isinstance(effect, YieldLogged):
            self._write(t, "log_yield", entry=effect.entry, amounts_ml=dict(effect.amounts_ml))
        elif isinstance(effect, YieldUndone):
            self._write(t, "undo_yield", entry=effect.entry)
        elif isinstance(effect, SessionEnded):
            self._write(t, "end_session", outcome=effect.outcome)
            self._ended = True
        elif isinstance(effect, NextRoutine):
            self._backlog.session_ids.append(None)
            self._write(
                t,
                "begin_session",
                routine=effect.routine,
                notes=self._notes,
                pumping=effect.pumping,
            )
            self._started, self._steps, self._ended = wall_time(self._clock, t), set(), False

    def on_frame(self, t: float, frame: Snapshot) -> None:
        if self._backlog.waiting and t >= self._next_try:
            self._try(t)

    def close(self) -> None:
        """Quitting mid-session (Ctrl-C, end of input) still closes the session honestly;
        what the database will not take even now is kept in a file, and she is told."""
        t = self._clock.now()
        if not self._ended:
            for index in sorted(self._steps):
                self._write(t, "step_ended", index=index, how="stopped")
            self._write(t, "end_session", outcome="stopped_early")
            self._ended = True
        with self._store.waiting(LAST_WAIT_S):
            if self._backlog.flush(self._store):
                return
        self._keep(t)

    def _write(self, t: float, op: Op, **fields: object) -> None:
        at = wall_time(self._clock, t).isoformat()
        session = len(self._backlog.session_ids) - 1
        self._backlog.add(Write(op=op, session=session, at=at, fields=fields))
        if len(self._backlog.waiting) == 1:
            self._try(t)

    def _try(self, t: float) -> None:
        with self._store.waiting(TRY_WAIT_S):
            saved = self._backlog.flush(self._store)
        if saved:
            if self._told:
                self._say(t, SAVED)
            self._tries, self._waiting_since, self._told = 0, None, False
            return
        self._waiting_since = t if self._waiting_since is None else self._waiting_since
        self._next_try = t + RETRY_S[min(self._tries, len(RETRY_S) - 1)]
        self._tries += 1
        if not self._told and t - self._waiting_since >= STILL_SAVING_AFTER_S:
            self._say(t, STILL_SAVING)
            self._told = True

    def _keep(self, t: float) -> None:
        try:
            path = backlog.keep(self._backlog, self._store.path)
        except OSError as exc:
            self._say(t, _not_kept(self._backlog, exc))
            return
        self.kept = str(path)
        self._say(t, KEPT)

    def _say(self, t: float, text: str) -> None:
        if self.tell is not None:
            self.tell(t, text)


def _not_kept(waiting: Backlog, exc: OSError) -> str:
    amounts = "; ".join(
        ", ".join(f"{key} {ml:g} ml" for key, ml in amounts.items())
        for amounts in waiting.amounts_waiting()
    )
    lost = f"Please write down: {amounts}." if amounts else "No amount was waiting."
    return f"I could not save the end of this session, nor keep it ({exc.strerror}). {lost}"

"""Writes the session to the store as it happens, so a crash loses nothing confirmed."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from assistant.clock import Clock, wall_time
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
from assistant.store.sqlite_store import SessionStore


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
        self.session_id = store.begin_session(routine, clock.started_at, notes, pumping)
        self.session_ids = [self.session_id]
        """Every session opened: one, or a warm-up and the pumping routine it led to."""
        self._started = clock.started_at
        self._step_rows: dict[int, int] = {}
        self._ended = False

    def briefing(self, t: float) -> Briefing:
        """Her day so far and her recent days, read from the store before this session."""
        started = self._started
        earlier = self._store.sessions(since=started - timedelta(days=RECENT_DAYS + 2))
        others = session_yields(record for record in earlier if record.id != self.session_id)
        return Briefing(t=t, recap=recap_for(others, started, self._tz))

    def on_effect(self, t: float, effect: Effect) -> None:
        at = wall_time(self._clock, t)
        if isinstance(effect, StepEntered):
            self._step_rows[effect.index] = self._store.step_started(
                self.session_id, effect.step_id, effect.title, effect.side, effect.cycle, at
            )
        elif isinstance(effect, StepEnded) and effect.index in self._step_rows:
            self._store.step_ended(self._step_rows.pop(effect.index), at, effect.how)
        elif isinstance(effect, YieldLogged):
            self._store.log_yield(self.session_id, effect.entry, effect.amounts_ml, at)
        elif isinstance(effect, YieldUndone):
            self._store.undo_yield(self.session_id, effect.entry, at)
        elif isinstance(effect, SessionEnded):
            self._store.end_session(self.session_id, at, effect.outcome)
            self._ended = True
        elif isinstance(effect, NextRoutine):
            self._begin(effect.routine, at, effect.pumping)

    def _begin(self, routine: str, at: datetime, pumping: bool) -> None:
        self.session_id = self._store.begin_session(routine, at, self._notes, pumping)
        self.session_ids.append(self.session_id)
        self._started, self._step_rows, self._ended = at, {}, False

    def close(self) -> None:
        """Quitting mid-session (Ctrl-C, end of input) still closes the session honestly."""
        if not self._ended:
            at = wall_time(self._clock, self._clock.now())
            for row in self._step_rows.values():
                self._store.step_ended(row, at, "stopped")
            self._store.end_session(self.session_id, at, "stopped_early")
            self._ended = True

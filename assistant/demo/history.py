"""A made-up but plausible log of sessions, for tests, timings and trying the charts out.

Seeded and deterministic: the same seed gives the same log. It writes through the store's
own methods, so what it makes is exactly what real sessions leave behind (steps, entries,
undone entries, sessions with nothing logged, total-only entries).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from assistant.store.sqlite_store import SessionStore

ROUTINES = ("mss", "hands-on", "four-steps")
FEED_HOURS = (1.0, 5.0, 8.0, 11.0, 14.0, 17.0, 20.0, 23.0)
"""Roughly when, on her clock, a day's sessions start (about every three hours)."""


def seed_history(
    store: SessionStore,
    sessions: int,
    end: datetime,
    seed: int = 1,
    routines: Sequence[str] = ROUTINES,
    steps: int = 2,
) -> list[int]:
    """Write `sessions` sessions ending before `end` (aware), up to 8 a day; returns their ids."""
    rng = random.Random(seed)
    per_day = len(FEED_HOURS)
    days = -(-sessions // per_day)
    first_midnight = end.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)
    ids = []
    for number in range(sessions):
        day, feed = divmod(number, per_day)
        jitter = timedelta(minutes=rng.uniform(-40, 40))
        start = first_midnight + timedelta(days=day, hours=FEED_HOURS[feed]) + jitter
        ids.append(_session(store, rng, start, rng.choice(routines), steps))
    return ids


def _session(
    store: SessionStore, rng: random.Random, start: datetime, routine: str, steps: int
) -> int:
    session_id = store.begin_session(routine, start)
    at = start
    for index in range(steps):
        row = store.step_started(session_id, f"step{index}", f"Step {index + 1}", "both", 1, at)
        at += timedelta(minutes=rng.uniform(2, 6))
        store.step_ended(row, at, "done")
    at += timedelta(minutes=1)
    kind = rng.random()
    if kind < 0.05:
        store.end_session(session_id, at, "stopped_early")  # nothing logged
        return session_id
    boost = 1.15 if routine == "mss" else 1.0
    if kind < 0.8:
        left = round(rng.gauss(45, 10) * boost, 0)
        right = round(rng.gauss(38, 10) * boost, 0)
        store.log_yield(session_id, 1, {"left": max(0, left), "right": max(0, right)}, at)
    else:
        store.log_yield(session_id, 1, {"total": max(0, round(rng.gauss(80, 15), 0))}, at)
    if rng.random() < 0.05:  # a mis-heard amount, taken back and said again
        store.undo_yield(session_id, 1, at + timedelta(seconds=5))
        store.log_yield(session_id, 2, {"total": round(rng.gauss(80, 15), 0)}, at)
    store.end_session(session_id, at + timedelta(seconds=30), "completed")
    return session_id

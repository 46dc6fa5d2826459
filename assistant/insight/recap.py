"""The numbers for the summary spoken at the end of a session, worked out from her log.

Compared by time of day: what she has logged today so far against what she had logged by
the same time on recent days, so a morning is never set against a whole day.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo

from assistant.insight.yields import SessionYield, local_day, since_midnight
from assistant.session.recap import Recap

RECENT_DAYS = 7
"""Days before today that make up "recently"."""
MIN_RECENT_DAYS = 3
"""Fewest recent days with a yield logged before a "usual" is given."""
BEST_DAYS = 30
"""Days before this session whose sessions her best is taken from."""
MIN_BEST_SESSIONS = 3
"""Fewest sessions with a yield in those days before a best is given."""
BY_NOW_SLACK = timedelta(minutes=30)
"""Feeds rarely start at the same minute each day: a session up to this much later still counts."""


def recap_for(sessions: Iterable[SessionYield], started_at: datetime, tz: tzinfo | None) -> Recap:
    """Her day and recent days as of `started_at`; `sessions` must not include this session."""
    items = list(sessions)
    today = local_day(started_at, tz)
    cutoff = since_midnight(started_at, tz) + BY_NOW_SLACK
    earlier_today = [
        item
        for item in items
        if local_day(item.started_at, tz) == today and item.started_at < started_at
    ]
    by_day: dict[date, float] = {}
    for item in items:
        day = local_day(item.started_at, tz)
        if item.logged and 1 <= (today - day).days <= RECENT_DAYS:
            so_far = item.total_ml if since_midnight(item.started_at, tz) <= cutoff else 0.0
            by_day[day] = by_day.get(day, 0.0) + so_far
    usual = statistics.fmean(by_day.values()) if len(by_day) >= MIN_RECENT_DAYS else None
    lately = [
        item.total_ml
        for item in items
        if item.logged
        and item.started_at < started_at
        and (today - local_day(item.started_at, tz)).days <= BEST_DAYS
    ]
    return Recap(
        today_ml=round(sum(item.total_ml for item in earlier_today), 2),
        today_sessions=len(earlier_today),
        usual_by_now_ml=None if usual is None else round(usual, 2),
        recent_days=len(by_day),
        best_session_ml=max(lately) if len(lately) >= MIN_BEST_SESSIONS else None,
    )

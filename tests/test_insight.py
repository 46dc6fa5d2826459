"""Insight queries on real (in-memory) stores: empty, one session, and a thousand sessions."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.demo.history import seed_history
from assistant.insight.daily import daily_totals, trend
from assistant.insight.groups import balance, by_routine, by_time_of_day
from assistant.insight.recap import recap_for
from assistant.insight.spread import MIN_FOR_SPREAD, Spread, compare, spread
from assistant.insight.yields import SessionYield, session_yield, session_yields
from assistant.store.sqlite_store import SessionStore

TODAY = date(2024, 5, 20)
NOON = datetime(2024, 5, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[SessionStore]:
    with SessionStore(":memory:") as opened:
        yield opened


@pytest.fixture(scope="module")
def thousand() -> list[SessionYield]:
    """A thousand seeded sessions ending the day before TODAY (8 a day, 125 days)."""
    with SessionStore(":memory:") as opened:
        seed_history(opened, 1000, datetime(2024, 5, 20, tzinfo=UTC), seed=7)
        return session_yields(opened.sessions())


def logged(
    store: SessionStore,
    start: datetime,
    *entries: dict[str, float],
    routine: str = "mss",
    undo: tuple[int, ...] = (),
) -> SessionYield:
    """One closed session with these entries (numbered from 1), some of them undone."""
    sid = store.begin_session(routine, start)
    for number, amounts in enumerate(entries, start=1):
        store.log_yield(sid, number, amounts, start + timedelta(minutes=20))
        if number in undo:
            store.undo_yield(sid, number, start + timedelta(minutes=21))
    store.end_session(sid, start + timedelta(minutes=25), "completed")
    return session_yield(store.session(sid))


def made(start: datetime, total: float, routine: str = "mss", **sides: float) -> SessionYield:
    """A SessionYield built by hand (no store), for the pure functions."""
    left, right = sides.get("left", 0.0), sides.get("right", 0.0)
    return SessionYield(
        id=int(start.timestamp()),
        routine=routine,
        started_at=start,
        ended_at=start + timedelta(minutes=20),
        left_ml=left,
        right_ml=right,
        unsided_ml=max(0.0, total - left - right),
        total_ml=total,
        logged=True,
    )


# -- one session reduced to sides ---------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "undo", "expected"),
    [
        ([{"left": 40, "right": 35}], (), (40, 35, 0, 75, True)),
        ([{"total": 90}], (), (0, 0, 90, 90, True)),
        ([{"total": 90, "left": 40}], (), (40, 0, 50, 90, True)),
        ([{"left": 40}, {"total": 60}], (), (40, 0, 60, 100, True)),
        ([{"left": 40, "right": 35}, {"total": 80}], (1,), (0, 0, 80, 80, True)),
        ([{"total": 50, "left": 40, "right": 35}], (), (40, 35, 0, 50, True)),
        ([{"total": 0}], (), (0, 0, 0, 0, True)),
        ([], (), (0, 0, 0, 0, False)),
        ([{"total": 70}], (1,), (0, 0, 0, 0, False)),
    ],
)
def test_a_session_is_split_into_left_right_and_no_side(
    store: SessionStore,
    entries: list[dict[str, float]],
    undo: tuple[int, ...],
    expected: tuple[float, float, float, float, bool],
) -> None:
    """Sides as said; a total beyond its sides is "no side"; the total is history's total."""
    item = logged(store, NOON, *entries, undo=undo)
    assert (item.left_ml, item.right_ml, item.unsided_ml, item.total_ml, item.logged) == expected


# -- days ---------------------------------------------------------------------------------


def test_an_empty_log_has_empty_days_and_nothing_to_say(store: SessionStore) -> None:
    """Every day is listed with no sessions; trend, balance and groups all say "not enough"."""
    items = session_yields(store.sessions())
    days = daily_totals(items, date(2024, 5, 1), date(2024, 5, 3), UTC)
    assert [(d.day.day, d.sessions, d.total_ml) for d in days] == [(1, 0, 0), (2, 0, 0), (3, 0, 0)]
    found = trend(items, TODAY, UTC)
    assert found.verdict == "not enough" and found.change is None and found.recent.count == 0
    assert balance(items).left_share is None
    assert by_routine(items) == []
    assert all(group.sessions.count == 0 for group in by_time_of_day(items, UTC))
    assert recap_for(items, NOON, UTC).usual_by_now_ml is None


def test_one_session_is_counted_but_never_averaged(store: SessionStore) -> None:
    """One session gives a count of one and no mean: "not enough sessions yet"."""
    items = [logged(store, NOON - timedelta(days=1), {"left": 40, "right": 35})]
    days = daily_totals(items, TODAY - timedelta(days=1), TODAY, UTC)
    assert [(d.sessions, d.left_ml, d.right_ml, d.total_ml) for d in days] == [
        (1, 40, 35, 75),
        (0, 0, 0, 0),
    ]
    (group,) = by_routine(items)
    assert (group.name, group.sessions.count, group.sessions.mean) == ("mss", 1, None)
    assert group.versus_rest == "not enough"
    assert trend(items, TODAY, UTC).recent.mean is None


def test_days_are_her_days_not_utc_days() -> None:
    """23:30 UTC on the 1st is the 2nd for her at UTC+2; the day total moves with it."""
    late = made(datetime(2024, 5, 1, 23, 30, tzinfo=UTC), 80)
    east = timezone(timedelta(hours=2))
    in_utc = daily_totals([late], date(2024, 5, 1), date(2024, 5, 2), UTC)
    in_east = daily_totals([late], date(2024, 5, 1), date(2024, 5, 2), east)
    assert [d.total_ml for d in in_utc] == [80, 0]
    assert [d.total_ml for d in in_east] == [0, 80]


def test_a_session_with_nothing_logged_counts_as_a_session_not_as_zero_milk(
    store: SessionStore,
) -> None:
    """`sessions` counts it, `logged` does not; the day is still "not logged"."""
    items = [logged(store, NOON)]
    (day,) = daily_totals(items, TODAY, TODAY, UTC)
    assert (day.sessions, day.logged, day.total_ml) == (1, 0, 0)
    assert by_routine(items) == []


@given(
    offsets=st.lists(st.floats(0, 20 * 24, allow_nan=False), max_size=30),
    totals=st.lists(st.floats(0, 500, allow_nan=False), min_size=30, max_size=30),
)
def test_day_totals_add_up_to_the_sessions_inside_the_days(
    offsets: list[float], totals: list[float]
) -> None:
    """Whatever the sessions, the days' totals sum to the totals of the sessions they hold."""
    start = datetime(2024, 5, 1, tzinfo=UTC)
    items = [
        made(start + timedelta(hours=h), round(t, 2)) for h, t in zip(offsets, totals, strict=False)
    ]
    first, last = date(2024, 5, 3), date(2024, 5, 15)
    days = daily_totals(items, first, last, UTC)
    inside = [i for i in items if first <= i.started_at.date() <= last]
    assert len(days) == 13
    assert sum(d.total_ml for d in days) == pytest.approx(sum(i.total_ml for i in inside), abs=0.05)
    assert sum(d.sessions for d in days) == len(inside)


# -- trend --------------------------------------------------------------------------------


def week_of(daily_ml: list[float], ending: date) -> list[SessionYield]:
    """One session a day at 09:00 with these totals, the last one on `ending`."""
    first = ending - timedelta(days=len(daily_ml) - 1)
    return [
        made(
            datetime.combine(first + timedelta(days=i), datetime.min.time(), UTC).replace(hour=9),
            ml,
        )
        for i, ml in enumerate(daily_ml)
    ]


@pytest.mark.parametrize(
    ("previous", "recent", "verdict"),
    [
        ([500, 510, 490, 505, 495, 500, 500], [700, 690, 710, 705, 695, 700, 700], "more"),
        ([700, 690, 710, 705, 695, 700, 700], [500, 510, 490, 505, 495, 500, 500], "less"),
        ([600, 700, 500, 650, 550, 600, 620], [610, 690, 520, 640, 560, 600, 630], "similar"),
        ([600, 600, 600, 600], [700, 700, 700, 700, 700, 700, 700], "not enough"),
    ],
)
def test_the_trend_compares_the_last_full_week_with_the_one_before(
    previous: list[float], recent: list[float], verdict: str
) -> None:
    """Only a gap of two standard errors is a change; fewer than 5 days is "not enough"."""
    yesterday = TODAY - timedelta(days=1)
    items = week_of(previous, yesterday - timedelta(days=7)) + week_of(recent, yesterday)
    found = trend(items, TODAY, UTC)
    assert found.verdict == verdict
    assert found.recent.count == len(recent) and found.previous.count == len(previous)


def test_today_is_left_out_of_the_trend() -> None:
    """A morning's 100 ml today does not drag the week down."""
    items = [*week_of([700] * 7, TODAY - timedelta(days=1)), made(NOON, 100)]
    found = trend(items, TODAY, UTC)
    assert found.recent.mean == 700 and found.recent.count == 7


def test_days_with_no_sessions_are_not_days_of_zero_milk() -> None:
    """A gap in the log shrinks the count, not the mean."""
    items = week_of([700, 700, 700], TODAY - timedelta(days=1))
    assert trend(items, TODAY, UTC).recent == spread([700.0, 700.0, 700.0])


# -- spread and comparison ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], Spread(count=0)),
        ([80.0], Spread(count=1)),
        ([80.0, 90.0], Spread(count=2)),
        ([1.0, 2.0, 3.0], Spread(count=3, mean=2.0, sd=1.0, low=1.0, high=3.0)),
        ([5.0, 5.0, 5.0, 5.0], Spread(count=4, mean=5.0, sd=0.0, low=5.0, high=5.0)),
    ],
)
def test_a_spread_says_nothing_but_the_count_below_three(
    values: list[float], expected: Spread
) -> None:
    """Mean, SD and range only from MIN_FOR_SPREAD values on."""
    assert spread(values) == expected
    assert spread(values).enough == (len(values) >= MIN_FOR_SPREAD)


@given(st.lists(st.floats(0, 2000, allow_nan=False), min_size=3, max_size=50))
def test_a_mean_lies_within_its_range(values: list[float]) -> None:
    """low <= mean <= high, and the spread is never negative."""
    found = spread(values)
    assert found.mean is not None and found.low is not None and found.high is not None
    assert found.low - 1e-9 <= found.mean <= found.high + 1e-9
    assert found.sd is not None and found.sd >= 0 and math.isfinite(found.sd)


@pytest.mark.parametrize(
    ("group", "others", "verdict"),
    [
        ([90, 92, 88, 91, 89], [70, 72, 68, 71, 69], "more"),
        ([70, 72, 68, 71, 69], [90, 92, 88, 91, 89], "less"),
        ([80, 100, 60, 90, 70], [85, 95, 65, 88, 72], "similar"),
        ([90, 90, 90, 90, 90], [80, 80, 80, 80, 80], "more"),
        ([80, 80, 80, 80, 80], [80, 80, 80, 80, 80], "similar"),
        ([90, 92, 88, 91], [70, 72, 68, 71, 69], "not enough"),
        ([], [], "not enough"),
    ],
)
def test_groups_differ_only_when_the_gap_is_clear(
    group: list[float], others: list[float], verdict: str
) -> None:
    """Welch's two standard errors, with at least five sessions on each side."""
    assert compare(spread(group), spread(others)) == verdict


# -- groups -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hour", "minute", "part"),
    [(0, 0, "night"), (5, 59, "night"), (6, 0, "morning"), (11, 59, "morning"),
     (12, 0, "afternoon"), (18, 0, "evening"), (23, 59, "evening")],
)  # fmt: skip
def test_parts_of_the_day_follow_her_clock(hour: int, minute: int, part: str) -> None:
    """Night 0-6, morning 6-12, afternoon 12-18, evening 18-24, by when the session began."""
    item = made(datetime(2024, 5, 1, hour, minute, tzinfo=UTC), 80)
    counts = {group.name: group.sessions.count for group in by_time_of_day([item], UTC)}
    assert counts == {name: int(name == part) for name in counts}
    assert list(counts) == ["night", "morning", "afternoon", "evening"]


@pytest.mark.parametrize(
    ("sessions", "share", "sided", "unsided", "even"),
    [
        ([(40, 40, 80)] * 3, 0.5, 3, 0, True),
        ([(60, 40, 100)] * 3, 0.6, 3, 0, True),
        ([(70, 30, 100)] * 3, 0.7, 3, 0, False),
        ([(40, 40, 80)] * 2, None, 2, 0, None),
        ([(40, 40, 80)] * 3 + [(0, 0, 90)] * 2, 0.5, 3, 2, True),
        ([(0, 0, 90)] * 5, None, 0, 5, None),
    ],
)
def test_left_and_right_are_compared_over_sessions_with_sides(
    sessions: list[tuple[float, float, float]],
    share: float | None,
    sided: int,
    unsided: int,
    even: bool | None,
) -> None:
    """Share of the sided milk; a total-only session is counted apart, never as 50/50."""
    items = [
        made(NOON + timedelta(hours=i), total, left=left, right=right)
        for i, (left, right, total) in enumerate(sessions)
    ]
    found = balance(items)
    assert found.left_share == (None if share is None else pytest.approx(share))
    assert (found.sided_sessions, found.unsided_sessions, found.even) == (sided, unsided, even)


# -- a thousand sessions ------------------------------------------------------------------


def test_a_thousand_sessions_add_up_everywhere(thousand: list[SessionYield]) -> None:
    """Day totals, routine counts and time-of-day counts all account for every session."""
    assert len(thousand) == 1000
    first = min(item.started_at for item in thousand).date()
    days = daily_totals(thousand, first, TODAY, UTC)
    assert sum(day.sessions for day in days) == 1000
    assert sum(day.total_ml for day in days) == pytest.approx(
        sum(item.total_ml for item in thousand), abs=0.5
    )
    logged_count = sum(item.logged for item in thousand)
    assert sum(group.sessions.count for group in by_routine(thousand)) == logged_count
    assert sum(group.sessions.count for group in by_time_of_day(thousand, UTC)) == logged_count


def test_a_thousand_sessions_show_the_routine_that_really_gives_more(
    thousand: list[SessionYield],
) -> None:
    """The seeded log gives mss 15 % more: the comparison finds it, and only it."""
    verdicts = {group.name: group.versus_rest for group in by_routine(thousand)}
    assert verdicts["mss"] == "more"
    assert set(verdicts) == {"mss", "hands-on", "four-steps"}
    assert all(group.sessions.enough for group in by_routine(thousand))


def test_a_thousand_sessions_give_a_steady_trend(thousand: list[SessionYield]) -> None:
    """Eight sessions a day every day: 7 logged days each week, no clear change."""
    found = trend(thousand, TODAY, UTC)
    assert (found.recent.count, found.previous.count) == (7, 7)
    assert found.verdict == "similar"
    share = balance(thousand).left_share
    assert share is not None and 0.5 < share < 0.6


# -- the recap for the spoken summary -----------------------------------------------------


def at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    return NOON.replace(hour=hour, minute=minute) + timedelta(days=day_offset)


@pytest.mark.parametrize(
    ("history", "today_ml", "today_sessions", "usual", "days"),
    [
        ([], 0, 0, None, 0),
        ([(0, 7, 100), (0, 10, 90)], 190, 2, None, 0),
        ([(-1, 7, 100), (-2, 7, 100)], 0, 0, None, 2),
        ([(-1, 7, 100), (-2, 7, 120), (-3, 7, 110)], 0, 0, 110, 3),
        # sessions later in the day than now (plus half an hour) do not count "by now"
        ([(-1, 7, 100), (-1, 12, 50), (-1, 13, 999), (-2, 7, 100), (-3, 7, 100)], 0, 0, 116.67, 3),
        # more than a week ago is not recent
        ([(-8, 7, 500), (-1, 7, 100), (-2, 7, 100), (-3, 7, 100)], 0, 0, 100, 3),
        # a session later today (a clock set wrong) is not "earlier today"
        ([(0, 7, 80), (0, 15, 999)], 80, 1, None, 0),
    ],
)
def test_the_recap_sets_today_against_her_usual_by_this_time(
    history: list[tuple[int, int, float]],
    today_ml: float,
    today_sessions: int,
    usual: float | None,
    days: int,
) -> None:
    """Today so far, and on recent days the mean logged by now (noon, plus 30 minutes)."""
    items = [made(at(day, hour), ml) for day, hour, ml in history]
    found = recap_for(items, NOON, UTC)
    assert (found.today_ml, found.today_sessions, found.recent_days) == (
        today_ml,
        today_sessions,
        days,
    )
    assert found.usual_by_now_ml == (None if usual is None else pytest.approx(usual, abs=0.01))


@pytest.mark.parametrize(
    ("history", "best"),
    [
        ([], None),
        ([(-1, 7, 100), (-2, 7, 120)], None),  # two sessions say too little
        ([(-1, 7, 100), (-2, 7, 120), (-3, 7, 90)], 120),
        ([(-1, 7, 100), (-2, 7, 120), (-3, 7, 90), (-40, 7, 400)], 120),  # long ago
        ([(-1, 7, 100), (-2, 7, 120), (-3, 7, 0), (-4, 7, 80)], 120),
        ([(0, 7, 80), (0, 9, 60), (-1, 7, 70), (0, 15, 999)], 80),  # not yet happened
    ],
)
def test_her_best_lately_is_the_largest_recent_session(
    history: list[tuple[int, int, float]], best: float | None
) -> None:
    """An amount far above her own best is asked back: the best of the last 30 days, once
    three sessions are logged."""
    items = [made(at(day, hour), ml) for day, hour, ml in history]
    assert recap_for(items, NOON, UTC).best_session_ml == best

"""`pumpcoach stats`: her days, her trend, left against right, time of day, routines.

Every mean comes with its count and spread, and groups too small to say anything about say
"not enough sessions yet" instead of a number that looks more certain than it is.
"""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from assistant.cli.common import (
    add_days_option,
    add_db_option,
    add_unit_option,
    last_days,
    read_store,
    settings_from,
)
from assistant.insight import groups
from assistant.insight.daily import TREND_DAYS, DayTotal, Trend, daily_totals, trend
from assistant.insight.spread import Spread
from assistant.insight.yields import SessionYield, local_day, session_yields, start_of
from assistant.units import DASH, Unit, number

VERSUS = {
    "more": "more than the rest",
    "less": "less than the rest",
    "similar": "no clear difference",
    "not enough": "too few to compare",
}


def register(commands: Any) -> None:
    stats = commands.add_parser(
        "stats",
        help="daily totals, 7-day trend, left/right balance, time of day, routines compared",
        description="What your log says: totals per day and the trend, how the sides compare, "
        "which times of day and which routines give more, with honest spreads.",
    )
    add_days_option(stats, default=14)
    add_unit_option(stats)
    add_db_option(stats)
    stats.set_defaults(handler=show_stats)


def show_stats(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    today = date.today()
    first, last = last_days(args.days, today)
    earliest = min(first, today - timedelta(days=2 * TREND_DAYS))
    with read_store(settings) as store:
        loaded = session_yields(store.sessions(since=start_of(earliest, None)))
    inside = [item for item in loaded if first <= local_day(item.started_at, None) <= last]
    console = Console()
    if not inside:
        console.print(f"No sessions in the last {args.days} days. Start one with: pumpcoach start")
        return 0
    console.print(stats_view(inside, loaded, first, last, settings.unit))
    return 0


def stats_view(
    inside: list[SessionYield], loaded: list[SessionYield], first: date, last: date, unit: Unit
) -> Group:
    """Everything `stats` prints, for sessions `inside` the period (`loaded` for the trend)."""
    return Group(
        _days_table(daily_totals(inside, first, last, None), unit),
        Text(trend_text(trend(loaded, last, None), unit)),
        Text(balance_text(groups.balance(inside))),
        Text(""),
        _groups_table(
            "By time of day (milk per session)", groups.by_time_of_day(inside, None), unit
        ),
        _groups_table("By routine (milk per session)", groups.by_routine(inside), unit),
    )


def _days_table(days: list[DayTotal], unit: Unit) -> Table:
    table = Table(title="Daily totals", caption=f"amounts in {unit}")
    for column in ("day", "sessions", "left", "right", "no side", "total"):
        table.add_column(column, justify="left" if column == "day" else "right")
    for day in days:
        amounts = (day.left_ml, day.right_ml, day.unsided_ml, day.total_ml)
        cells = [number(ml, unit) if day.logged else "—" for ml in amounts]
        table.add_row(f"{day.day:%a %Y-%m-%d}", str(day.sessions), *cells)
    return table


def trend_text(found: Trend, unit: Unit) -> str:
    """The last full week against the week before, in one or two plain sentences."""
    recent, previous = found.recent, found.previous
    if recent.mean is None:
        return f"7-day trend: not enough days logged yet ({recent.count} of the last 7 full days)."
    said = f"Last 7 full days: {_mean_and_spread(recent, unit)} a day ({recent.count} days logged)."
    if previous.mean is None or found.change is None:
        return f"{said} Not enough days logged the week before to compare."
    direction = "up" if found.change >= 0 else "down"
    verdict = {
        "more": "a clear rise",
        "less": "a clear drop",
        "similar": "within the usual day-to-day spread",
        "not enough": "too few days to call it a change",
    }[found.verdict]
    return (
        f"{said} The 7 days before: {_mean_and_spread(previous, unit)} a day. "
        f"{direction.capitalize()} {abs(found.change):.0%}: {verdict}."
    )


def balance_text(sides: groups.Balance) -> str:
    share = sides.left_share
    if share is None:
        return "Left and right: not enough sessions with sides logged yet."
    leaning = "more from the left" if share > 0.5 else "more from the right"
    even = "about even" if sides.even else leaning
    extra = f" ({sides.unsided_sessions} logged a total only)" if sides.unsided_sessions else ""
    return (
        f"Left and right: {share:.0%} left, {1 - share:.0%} right over "
        f"{sides.sided_sessions} sessions{extra}: {even}."
    )


def _groups_table(title: str, found: list[groups.Group], unit: Unit) -> Table:
    table = Table(title=title, caption=f"amounts in {unit}; spread is one standard deviation")
    for column in ("", "sessions", "mean", "spread", "range", "vs the rest"):
        table.add_column(column, justify="right" if column in ("sessions", "mean") else "left")
    for group in found:
        table.add_row(Text(group.name), str(group.sessions.count), *_spread_cells(group, unit))
    return table


def _spread_cells(group: groups.Group, unit: Unit) -> list[str]:
    found = group.sessions
    if found.mean is None or found.sd is None or found.low is None or found.high is None:
        wording = "no sessions" if found.count == 0 else "not enough sessions yet"
        return [wording, "", "", ""]
    return [
        number(found.mean, unit),
        f"± {number(found.sd, unit)}",
        f"{number(found.low, unit)}{DASH}{number(found.high, unit)}",
        VERSUS[group.versus_rest],
    ]


def _mean_and_spread(found: Spread, unit: Unit) -> str:
    mean = number(found.mean or 0.0, unit)
    return f"{mean} {unit} (± {number(found.sd or 0.0, unit)})"

"""`pumpcoach history`: her sessions as a table, the JSON contract, or CSV; and fixing one."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.table import Table

from assistant.cli import history_edits
from assistant.cli.common import (
    add_db_option,
    add_unit_option,
    read_store,
    settings_from,
    since_day,
)
from assistant.insight.yields import SessionYield, local, session_yield, start_of
from assistant.report.csv_export import write_csv
from assistant.store.records import SessionRecord
from assistant.store.sqlite_store import history_json
from assistant.units import Unit, number


def register(commands: Any) -> None:
    history = commands.add_parser(
        "history",
        help="list logged sessions (table, JSON or CSV); fix or delete one",
        description="List your sessions: when, which routine, how long, and how much milk "
        "per side. Fix a mis-heard amount with --edit, or remove a session with --delete "
        "(a copy is kept, and --restore brings it back).",
    )
    how = history.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="print a JSON array of sessions (ml)")
    how.add_argument("--csv", action="store_true", help="print CSV for a spreadsheet")
    how.add_argument("--edit", type=int, metavar="ID", help="change session ID's yield")
    how.add_argument("--delete", type=int, metavar="ID", help="delete session ID (a copy is kept)")
    how.add_argument("--restore", type=int, metavar="ID", help="bring back deleted session ID")
    history.add_argument(
        "--since", metavar="DATE|Nd", help="only sessions from this day on (2024-05-01, or 7d)"
    )
    history.add_argument("--routine", metavar="NAME", help="only sessions of this routine")
    history_edits.add_amount_options(history)
    history.add_argument("-y", "--yes", action="store_true", help="change without asking first")
    add_unit_option(history)
    add_db_option(history)
    history.set_defaults(handler=show_history)


def show_history(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if history_edits.is_edit(args):
        return history_edits.run(args, settings, sys.stdin, sys.stdout)
    since = start_of(since_day(args.since, date.today()), None) if args.since else None
    with read_store(settings) as store:
        records = store.sessions(since=since, routine=args.routine)
    if args.json:
        print(json.dumps(history_json(records), indent=2))
    elif args.csv:
        write_csv(sys.stdout, [(r, session_yield(r)) for r in records], settings.unit, None)
    elif not records:
        filtered = args.since is not None or args.routine is not None
        print(
            "No sessions match." if filtered else "No sessions yet. Start one with: pumpcoach start"
        )
    else:
        Console().print(history_table(records, settings.unit))
    return 0


def history_table(records: list[SessionRecord], unit: Unit) -> Group:
    """One row a session: id (for --edit), day and time on her clock, routine, minutes, amounts,
    and her note when any session has one."""
    table = Table(title="Sessions", caption=f"amounts in {unit}")
    noted = any(record.notes for record in records)
    columns = ("id", "date", "time", "routine", "minutes", "left", "right", "total")
    for column in (*columns, "notes") if noted else columns:
        right = column in ("id", "minutes", "left", "right", "total")
        table.add_column(column, justify="right" if right else "left", no_wrap=column != "notes")
    for record in records:
        item = session_yield(record)
        on_her_clock = local(record.started_at, None)
        table.add_row(
            str(record.id),
            on_her_clock.strftime("%Y-%m-%d"),
            on_her_clock.strftime("%H:%M"),
            escape(record.routine),
            "—" if item.minutes is None else f"{item.minutes:.0f}",
            *_amounts(record, item, unit),
        )
    notes = [
        f"  {record.id}: {escape(line)}"
        for record in records
        for line in record.notes.splitlines()
        if line.strip()
    ]
    return Group(table, *(["Notes:", *notes] if notes else []))


def _amounts(record: SessionRecord, item: SessionYield, unit: Unit) -> list[str]:
    if not record.pumping:
        return ["—", "—", "before pumping"]
    if not item.logged:
        return ["—", "—", "not logged"]
    sides = record.yields_ml
    return [
        number(sides["left"], unit) if "left" in sides else "—",
        number(sides["right"], unit) if "right" in sides else "—",
        number(item.total_ml, unit),
    ]

"""`pumpcoach history`: her sessions, as a table or as the JSON contract."""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from assistant.cli.common import add_db_option, open_store, settings_from
from assistant.store.records import SessionRecord
from assistant.store.sqlite_store import history_json


def register(commands: Any) -> None:
    history = commands.add_parser(
        "history",
        help="list logged sessions",
        description="List your sessions: when, which routine, and how much milk per side.",
    )
    history.add_argument("--json", action="store_true", help="print a JSON array of sessions")
    add_db_option(history)
    history.set_defaults(handler=show_history)


def show_history(args: argparse.Namespace) -> int:
    with open_store(settings_from(args)) as store:
        records = store.sessions()
    if args.json:
        print(json.dumps(history_json(records), indent=2))
    elif not records:
        print("No sessions yet. Start one with: pumpcoach start")
    else:
        Console().print(_table(records))
    return 0


def _table(records: list[SessionRecord]) -> Table:
    table = Table(title="Pumping sessions")
    for column in ("date", "time", "routine", "minutes", "left ml", "right ml", "total ml"):
        justify = "right" if column.endswith(("ml", "minutes")) else "left"
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for record in records:
        local = record.started_at.astimezone()
        minutes = (
            f"{(record.ended_at - record.started_at).total_seconds() / 60:.0f}"
            if record.ended_at
            else "—"
        )
        table.add_row(
            local.strftime("%Y-%m-%d"),
            local.strftime("%H:%M"),
            record.routine,
            minutes,
            _ml(record.yields_ml.get("left")),
            _ml(record.yields_ml.get("right")),
            _ml(record.total_ml),
        )
    return table


def _ml(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"

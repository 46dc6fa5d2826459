"""Her sessions as CSV that opens in any spreadsheet: one row a session, plain numbers.

Amounts are in her unit, named in each column heading (`left_oz`), with enough decimals that
nothing stored is lost; times are given both on her clock (to read) and in UTC (to sort).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import tzinfo
from typing import TextIO

from assistant.insight.yields import SessionYield, local
from assistant.store.records import SessionRecord
from assistant.units import Unit, exported

AMOUNTS = ("left", "right", "no_side", "total")


def header(unit: Unit) -> list[str]:
    """The column names, amounts suffixed with the unit."""
    amounts = [f"{name}_{unit}" for name in AMOUNTS]
    fixed = ["id", "date", "time", "routine", "outcome", "minutes", *amounts]
    return [*fixed, "started_at_utc", "ended_at_utc", "notes"]


def write_csv(
    stream: TextIO,
    rows: Iterable[tuple[SessionRecord, SessionYield]],
    unit: Unit,
    tz: tzinfo | None,
) -> None:
    """One header line, then one line per session.

    Empty cells mean "not said": no amounts for a session with nothing logged, and no left or
    right for a session logged as a total only (its milk is under `no_side`).
    """
    writer = csv.writer(stream)
    writer.writerow(header(unit))
    for record, item in rows:
        writer.writerow(_row(record, item, unit, tz))


def _row(record: SessionRecord, item: SessionYield, unit: Unit, tz: tzinfo | None) -> list[object]:
    on_her_clock = local(record.started_at, tz)
    said = record.yields_ml
    amounts = [
        item.left_ml if "left" in said else None,
        item.right_ml if "right" in said else None,
        item.unsided_ml,
        item.total_ml,
    ]
    minutes = item.minutes
    return [
        record.id,
        on_her_clock.strftime("%Y-%m-%d"),
        on_her_clock.strftime("%H:%M"),
        record.routine,
        record.outcome or "",
        "" if minutes is None else round(minutes, 1),
        *("" if ml is None or not item.logged else exported(ml, unit) for ml in amounts),
        record.started_at.isoformat(),
        record.ended_at.isoformat() if record.ended_at else "",
        record.notes,
    ]

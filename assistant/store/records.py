"""What the store hands back: frozen read models, and the `history --json` contract.

Sums are derived, never stored: `yields_ml` and `total_ml` are computed from the entries, so
a record can never disagree with itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, computed_field

from assistant.commands import AmountKey
from assistant.session.amounts import entry_total

StepHow = Literal["done", "skipped", "went_back", "stopped"]
Outcome = Literal["completed", "stopped_early"]
Side = Literal["both", "left", "right"]


def iso(moment: datetime) -> str:
    """The one text form of a moment: UTC, microseconds, so strings sort as times do."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"timestamps must be timezone-aware, got naive {moment!r}")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class StepRecord(BaseModel):
    """One step as it ran: a side of it, in one cycle."""

    model_config = ConfigDict(frozen=True)

    id: int
    """Row id in the `steps` table."""
    step_id: str
    """The routine's id for the step, e.g. `knead`."""
    title: str
    """The step's title as shown to her."""
    side: Side
    """`both`, or which breast this run of the step was for."""
    cycle: int
    """Which pass through the routine, from 1."""
    started_at: datetime
    """When the step began (timezone-aware, UTC)."""
    ended_at: datetime | None
    """When it ended; None if the session was cut off while it ran."""
    how: StepHow | None
    """`done`, `skipped`, `went_back` or `stopped`; None while (or if killed while) running."""


class YieldEntry(BaseModel):
    """One confirmed yield entry, kept even after it is undone."""

    model_config = ConfigDict(frozen=True)

    entry: int
    """Number of the entry within its session, from 1."""
    amounts_ml: dict[AmountKey, float]
    """Millilitres as dictated, keyed by `left`, `right` and/or `total`."""
    logged_at: datetime
    """When she confirmed it (timezone-aware, UTC)."""
    undone_at: datetime | None
    """When she took it back; None if it still counts."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_ml(self) -> float:
        """What this entry adds to the session total (its `total`, else left + right)."""
        return round(entry_total(self.amounts_ml), 2)


class SessionRecord(BaseModel):
    """One pumping session with everything recorded about it."""

    model_config = ConfigDict(frozen=True)

    id: int
    """Row id in the `sessions` table."""
    routine: str
    """Name of the routine she followed, e.g. `mss`."""
    pumping: bool = True
    """False for a routine before pumping (a warm-up): kept, but not in her figures."""
    started_at: datetime
    """When the session began (timezone-aware, UTC)."""
    ended_at: datetime | None
    """When it ended; None if it never closed (crash, kill, power cut)."""
    outcome: Outcome | None
    """`completed`, `stopped_early`, or None if it never closed."""
    notes: str
    """Her notes, one per line; empty if none."""
    entries: list[YieldEntry]
    """Every yield entry in order, undone ones included (marked by `undone_at`)."""
    steps: list[StepRecord]
    """Every step run, in the order they began."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def yields_ml(self) -> dict[AmountKey, float]:
        """Millilitres per key summed over entries not undone; only keys that occur."""
        sums: dict[AmountKey, float] = {}
        for item in self.counted:
            for key, amount in item.amounts_ml.items():
                sums[key] = sums.get(key, 0.0) + amount
        return {key: round(value, 2) for key, value in sums.items()}

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_ml(self) -> float:
        """Session total: each counted entry's `total`, or its left + right, summed."""
        return round(sum(entry_total(item.amounts_ml) for item in self.counted), 2)

    @property
    def counted(self) -> list[YieldEntry]:
        """The entries that still count (not undone)."""
        return [item for item in self.entries if item.undone_at is None]


def history_json(records: Iterable[SessionRecord]) -> list[dict[str, Any]]:
    """The `pumpcoach history --json` contract: one JSON-ready object per session."""
    return [
        {
            "id": record.id,
            "routine": record.routine,
            "pumping": record.pumping,
            "started_at": iso(record.started_at),
            "ended_at": iso(record.ended_at) if record.ended_at is not None else None,
            "outcome": record.outcome,
            "yields_ml": dict(record.yields_ml),
            "total_ml": record.total_ml,
            "notes": record.notes,
        }
        for record in records
    ]

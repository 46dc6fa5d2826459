"""`history --edit / --delete / --restore`: fixing her log without ever losing anything.

Each change is shown before and after and asked about first (`--yes` skips the question);
the store copies what it touches to its undo log, so a slip here can be undone too.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TextIO

from assistant.cli.common import edit_store
from assistant.cli.shown_words import amounts_text
from assistant.commands import AmountKey
from assistant.errors import UsageError
from assistant.insight.yields import local
from assistant.session.amounts import entry_total, plausibility
from assistant.settings import Settings
from assistant.store.records import SessionRecord
from assistant.store.sqlite_store import SessionStore
from assistant.units import Unit, parse_amount

KEYS: tuple[AmountKey, ...] = ("left", "right", "total")
LARGEST_ID = 2**63 - 1
"""SQLite's largest row id: a session number beyond it cannot even be looked up."""


def add_amount_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "new amounts for --edit", "in your unit, or with one: 45, 45ml, 1.5oz"
    )
    for key in KEYS:
        group.add_argument(f"--{key}", metavar="AMOUNT", help=f"the {key} amount")


def is_edit(args: argparse.Namespace) -> bool:
    """Whether the command changes her log; amounts without --edit are a usage mistake."""
    changing = any(getattr(args, name) is not None for name in ("edit", "delete", "restore"))
    if args.edit is None and any(getattr(args, key) is not None for key in KEYS):
        raise UsageError("--left, --right and --total give new amounts for --edit ID.")
    return changing


def run(args: argparse.Namespace, settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Carry out --edit, --delete or --restore; 0 if done, 1 if she said no."""
    now = datetime.now(UTC)
    unit = settings.unit
    for flag in ("edit", "delete", "restore"):
        _check_id(flag, getattr(args, flag))
    with edit_store(settings) as store:
        if args.restore is not None:
            store.restore_session(args.restore, now)
            restored = store.session(args.restore)
            stdout.write(f"Restored session {restored.id}: {describe(restored, unit)}.\n")
            return 0
        if args.delete is not None:
            return _delete(store, args.delete, unit, Asker(args.yes, stdin, stdout), stdout, now)
        given = {key: parse_amount_option(key, getattr(args, key), unit) for key in KEYS}
        amounts = {key: value for key, value in given.items() if value is not None}
        ask = Asker(args.yes, stdin, stdout)
        return _edit(store, args.edit, amounts, unit, ask, stdout, now)


def _check_id(flag: str, session_id: int | None) -> None:
    """A session number is from 1 up; one past SQLite's integers is a slip, said as one."""
    if session_id is not None and not 1 <= session_id <= LARGEST_ID:
        shown = str(session_id) if len(str(session_id)) <= 25 else f"{str(session_id)[:22]}..."
        raise UsageError(
            f"--{flag} takes a session number from 1 to {LARGEST_ID} (the id column of "
            f"`pumpcoach history`), not {shown}."
        )


def _delete(
    store: SessionStore, session_id: int, unit: Unit, ask: Asker, out: TextIO, now: datetime
) -> int:
    record = store.session(session_id)
    if not ask(f"Delete session {session_id}: {describe(record, unit)}?"):
        out.write("Nothing changed.\n")
        return 1
    store.delete_session(session_id, now)
    out.write(
        f"Deleted session {session_id}. A copy is kept: "
        f"`pumpcoach history --restore {session_id}` brings it back.\n"
    )
    return 0


def _edit(
    store: SessionStore,
    session_id: int,
    given: Mapping[AmountKey, float],
    unit: Unit,
    ask: Asker,
    out: TextIO,
    now: datetime,
) -> int:
    record = store.session(session_id)
    new = corrected(record.yields_ml, given)
    before = amounts_text(record.yields_ml, record.total_ml, unit)
    after = amounts_text(new, entry_total(new), unit)
    verdict = plausibility(new)
    if verdict == "absurd":
        raise UsageError(f"{after} is more than anyone pumps in a session; nothing changed.")
    past_a_breast = verdict == "ask" and entry_total(new) > 0
    warning = "That's more than a breast gives in a session. " if past_a_breast else ""
    question = f"{warning}Change session {session_id} ({_when(record)}, {record.routine})"
    if not ask(f"{question} from {before} to {after}?"):
        out.write("Nothing changed.\n")
        return 1
    store.correct_yield(session_id, new, now)
    out.write(f"Session {session_id} now has {after}. The old amounts are kept in the undo log.\n")
    return 0


def corrected(
    current: Mapping[AmountKey, float], given: Mapping[AmountKey, float]
) -> dict[AmountKey, float]:
    """The session's new yield: a side given keeps the other side said before; a total alone
    replaces everything; a total given with sides is kept as the total."""
    if not given:
        raise UsageError("Give the new amounts for --edit: --left, --right and/or --total.")
    if "left" not in given and "right" not in given:
        return {"total": given["total"]}
    new: dict[AmountKey, float] = {key: current[key] for key in ("left", "right") if key in current}
    new.update(given)
    return {key: new[key] for key in KEYS if key in new}


def describe(record: SessionRecord, unit: Unit) -> str:
    """ "2024-05-06 07:10, mss, left 40, right 35 ml (75 in all)": enough to recognise it."""
    amounts = amounts_text(record.yields_ml, record.total_ml, unit)
    return f"{_when(record)}, {record.routine}, {amounts}"


def parse_amount_option(key: str, text: str | None, unit: Unit) -> float | None:
    if text is None:
        return None
    try:
        return parse_amount(text, unit)
    except ValueError as error:
        raise UsageError(f"--{key}: {error}.") from None


class Asker:
    """Asks her a yes/no question on the terminal; `--yes` answers yes without asking."""

    def __init__(self, assume_yes: bool, stdin: TextIO, stdout: TextIO) -> None:
        self._assume_yes = assume_yes
        self._stdin = stdin
        self._stdout = stdout

    def __call__(self, question: str) -> bool:
        if self._assume_yes:
            return True
        self._stdout.write(f"{question} [y/N] ")
        self._stdout.flush()
        return self._stdin.readline().strip().lower() in ("y", "yes")


def _when(record: SessionRecord) -> str:
    return local(record.started_at, None).strftime("%Y-%m-%d %H:%M")

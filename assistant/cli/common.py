"""Options and adapter choices shared by several commands (kept at the edge)."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import date, timedelta
from pathlib import Path

from assistant.config import default_config_path, load_settings
from assistant.errors import UsageError
from assistant.insight.yields import session_yields, start_of
from assistant.report.period import Period, period_of
from assistant.routines.loader import default_user_dir
from assistant.settings import Settings
from assistant.store.backlog import write_kept
from assistant.store.sqlite_store import MEMORY, SessionStore, default_db_path
from assistant.units import UNITS


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        metavar="FILE",
        help="session database (default: pumpcoach.sqlite3 in your user data folder)",
    )


def add_routines_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--routines-dir",
        type=Path,
        metavar="DIR",
        help=f"folder of your own routine files (default: {default_user_dir()})",
    )


FLAGS = {
    "db_path": ("db", "--db"),
    "routines_dir": ("routines_dir", "--routines-dir"),
    "rate_wpm": ("rate", "--rate"),
    "volume": ("volume", "--volume"),
    "voice": ("voice", "--voice"),
    "input_device": ("device", "--device"),
    "unit": ("unit", "--unit"),
}
"""Settings a command-line flag can give: key -> (argparse attribute, flag as typed)."""


def add_unit_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--unit", choices=UNITS, help="show amounts in ml or oz (default: from your settings)"
    )


def config_path(args: argparse.Namespace) -> Path:
    """`pumpcoach --config FILE`, else $PUMPCOACH_CONFIG, else her user config folder."""
    given: Path | None = getattr(args, "config", None)
    return given if given is not None else default_config_path()


def settings_from(args: argparse.Namespace) -> Settings:
    """Defaults, then her settings file, then flags; nothing past here sees argparse."""
    overrides = {
        key: getattr(args, attr)
        for key, (attr, _) in FLAGS.items()
        if getattr(args, attr, None) is not None
    }
    flags = {key: flag for key, (_, flag) in FLAGS.items()}
    return load_settings(config_path(args), overrides, flags)


def routines_dir(settings: Settings) -> Path:
    return settings.routines_dir or default_user_dir()


def open_store(settings: Settings) -> SessionStore:
    """Her store, to write to; a new database file is made, and she is told where. What an
    earlier session could not save (the database was busy or the disk full) is saved now."""
    path = settings.db_path or default_db_path()
    if not path.exists():
        print(f"pumpcoach: starting a new session database at {path}.", file=sys.stderr)
    store = SessionStore(path)
    for news in write_kept(store):
        print(f"pumpcoach: {news}", file=sys.stderr)
    return store


def read_store(settings: Settings) -> SessionStore:
    """Her store, to read: nothing is created or changed, so a read-only database reads too.
    The default one not there yet is an empty log."""
    if settings.db_path is None and not default_db_path().exists():
        return SessionStore(MEMORY)
    return SessionStore.for_reading(_existing_db(settings))


def edit_store(settings: Settings) -> SessionStore:
    """Her store, to correct: it must already be there."""
    return SessionStore(_existing_db(settings))


def _existing_db(settings: Settings) -> Path:
    """Her database; one she named that is not there is a mistyped path, and is said to be."""
    path = settings.db_path or default_db_path()
    if not path.exists():
        raise UsageError(
            f"There is no session database at {path}: check the path "
            "(`pumpcoach start` makes one the first time)."
        )
    return path


MAX_DAYS = 3660
"""The longest period a command looks back over: ten years, longer than any pumping log."""
EARLIEST_DAY = date(1970, 1, 1)
"""No day before this is asked about: no log is older, and a day such as 0001-01-01 cannot
even be turned into a time on her clock."""


def add_days_option(parser: argparse.ArgumentParser, default: int, most: int | None = None) -> None:
    parser.add_argument(
        "--days",
        type=int,
        default=default,
        metavar="N",
        help=f"the last N days, today included (default: {default}, at most {most or MAX_DAYS})",
    )


def last_days(count: int, today: date, most: int | None = None) -> tuple[date, date]:
    """First and last day of the `count` days ending today; UsageError for a silly count."""
    upper = MAX_DAYS if most is None else most
    if not 1 <= count <= upper:
        shown = str(count) if len(str(count)) <= 20 else f"{str(count)[:17]}..."
        raise UsageError(f"--days takes a number of days between 1 and {upper}, not {shown}.")
    return today - timedelta(days=count - 1), today


_DAYS_BACK = re.compile(r"^(\d+)d$")


def since_day(text: str, today: date) -> date:
    """`--since`: a date (2024-05-01), or a number of days counting today (7d: the last week),
    from EARLIEST_DAY (at most MAX_DAYS back) to today."""
    found = _DAYS_BACK.match(text.strip())
    try:
        if found and 1 <= len(found[1]) <= 5 and 1 <= int(found[1]) <= MAX_DAYS:
            return today - timedelta(days=int(found[1]) - 1)
        day = date.fromisoformat(text.strip())
        if EARLIEST_DAY <= day <= today:
            return day
    except ValueError:
        pass
    shown = repr(text) if len(text) <= 30 else repr(text[:27]) + "..."
    raise UsageError(
        f"--since takes a day from {EARLIEST_DAY} to today (like 2024-05-01) or a number of "
        f"days from 1d to {MAX_DAYS}d, not {shown}."
    )


def load_period(settings: Settings, days: int, most: int | None = None) -> Period:
    """Her last `days` days from the store, ready to draw; ReportError if none has a session."""
    first, last = last_days(days, date.today(), most)
    with read_store(settings) as store:
        records = store.sessions(since=start_of(first, None))
    return period_of(session_yields(records), first, last, settings.unit, None)

"""Options and adapter choices shared by several commands (kept at the edge)."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.routines.loader import default_user_dir
from assistant.settings import Settings
from assistant.store.sqlite_store import SessionStore, default_db_path


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


def settings_from(args: argparse.Namespace) -> Settings:
    """Command-line values over defaults; nothing past here sees argparse."""
    values = {
        key: getattr(args, attr)
        for key, attr in (
            ("db_path", "db"),
            ("routines_dir", "routines_dir"),
            ("rate_wpm", "rate"),
            ("volume", "volume"),
            ("voice", "voice"),
        )
        if getattr(args, attr, None) is not None
    }
    return Settings(**values)


def routines_dir(settings: Settings) -> Path:
    return settings.routines_dir or default_user_dir()


def open_store(settings: Settings) -> SessionStore:
    return SessionStore(settings.db_path or default_db_path())

"""`pumpcoach config`: where her settings file is, and every value in effect, as TOML."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.cli.common import config_path, settings_from
from assistant.config import read_config, settings_toml
from assistant.routines.loader import default_user_dir
from assistant.store.sqlite_store import default_db_path


def register(commands: Any) -> None:
    config = commands.add_parser(
        "config",
        help="show your settings file and the values in effect",
        description="Show where your settings file is and every setting in effect, as TOML: "
        'copy any line into the file and change it (unit = "oz", rate_wpm = 150, ...). '
        "Command-line flags such as --rate or --unit override the file.",
    )
    config.set_defaults(handler=show_config)


def show_config(args: argparse.Namespace) -> int:
    path = config_path(args)
    settings = settings_from(args)  # checks the file first: a bad value is one sentence
    state = "" if path.exists() else " (not created yet)"
    print(f"# Settings file: {path}{state}")
    print("# Copy any line below into it and change the value; the rest stay as they are.")
    print()
    print(settings_toml(settings, read_config(path), _unset()), end="")
    return 0


def _unset() -> dict[str, str]:
    """What is used when a path or name is not set, so she can see the real default."""
    return {
        "voice": "the most natural voice installed (see pumpcoach voices)",
        "db_path": str(default_db_path()),
        "routines_dir": str(default_user_dir()),
        "vosk_model": "$PUMPCOACH_VOSK_MODEL, then models/",
        "whisper_model": "$PUMPCOACH_WHISPER_MODEL, then the tiny English model installed",
        "input_device": "the system's default microphone",
    }

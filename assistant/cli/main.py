"""Entry point: builds the argument parser and turns project errors into one sentence."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant import __version__
from assistant.cli import (
    config_cmd,
    demo_cmd,
    devices_cmd,
    hear_cmd,
    history_cmd,
    models_cmd,
    plot_cmd,
    report_cmd,
    routine_cmds,
    session_cmds,
    stats_cmd,
    voices_cmd,
)
from assistant.config import CONFIG_ENV
from assistant.errors import PumpCoachError
from assistant.memory import keep_heap_small

EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pumpcoach",
        description="Offline, hands-free, voice-guided breast massage while you pump, "
        "with a private log of your yield.",
    )
    parser.add_argument("--version", action="version", version=f"pumpcoach {__version__}")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=f"settings file (default: ${CONFIG_ENV}, else config.toml in your config folder)",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    session_cmds.register(commands)
    hear_cmd.register(commands)
    demo_cmd.register(commands)
    models_cmd.register(commands)
    devices_cmd.register(commands)
    voices_cmd.register(commands)
    history_cmd.register(commands)
    stats_cmd.register(commands)
    plot_cmd.register(commands)
    report_cmd.register(commands)
    config_cmd.register(commands)
    routine_cmds.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    keep_heap_small()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args))
    except PumpCoachError as error:
        print(f"pumpcoach: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # The reader went away (`history --csv | head -1`): what it wanted, it has.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("pumpcoach: interrupted.", file=sys.stderr)
        return 130

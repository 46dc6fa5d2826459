"""Entry point: builds the argument parser and turns project errors into one sentence."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType

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
STOPPING_SIGNALS = {signal.SIGTERM: "was asked to stop", signal.SIGHUP: "lost its terminal"}
"""A closed terminal or a logout (SIGHUP), a shutdown or `kill` (SIGTERM): her session is
closed as for Ctrl-C, not left open with no end."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: unwinds like Ctrl-C, so every `finally` closes what it must."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Signals:
    """The stopping signals, turned into `Stopped` for the length of one command (in the main
    thread, where Python delivers them), and remembered: a session that catches the
    interrupt to close itself still exits as stopped."""

    def __init__(self) -> None:
        self.received: int | None = None

    @contextlib.contextmanager
    def stopping(self) -> Iterator[None]:
        before = {signum: signal.signal(signum, self._stop) for signum in STOPPING_SIGNALS}
        try:
            yield
        finally:
            for signum, handler in before.items():
                signal.signal(signum, handler)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.received = signum
        raise Stopped(signum)


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
    signals = _Signals()
    try:
        with signals.stopping():
            code = int(args.handler(args))
    except PumpCoachError as error:
        print(f"pumpcoach: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # The reader went away (`history --csv | head -1`): what it wanted, it has.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        if signals.received is None:
            print("pumpcoach: interrupted.", file=sys.stderr)
            return 130
    except OSError:
        if signals.received != signal.SIGHUP:
            raise  # a terminal gone with SIGHUP cannot show the last lines; anything else is news
    if signals.received is not None:
        _tell(f"pumpcoach: {STOPPING_SIGNALS[signal.Signals(signals.received)]}; stopped.")
        return 128 + signals.received
    return code


def _tell(line: str) -> None:
    """A last line to a terminal that may already be gone (SIGHUP)."""
    with contextlib.suppress(OSError):
        print(line, file=sys.stderr)

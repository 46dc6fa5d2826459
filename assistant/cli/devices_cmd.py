"""`pumpcoach devices`: the microphones and speakers this computer has."""

from __future__ import annotations

import argparse
from typing import Any

from assistant.audio.devices import describe_devices, list_devices


def register(commands: Any) -> None:
    devices = commands.add_parser(
        "devices",
        help="list microphones and speakers",
        description="List audio devices; choose a microphone with `pumpcoach start --device "
        "NAME_OR_INDEX` (any part of its name will do).",
    )
    devices.set_defaults(handler=show_devices)


def show_devices(args: argparse.Namespace) -> int:
    print(describe_devices(list_devices()))
    return 0

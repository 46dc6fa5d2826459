"""`pumpcoach models` (which engine and model will be used, and why) and `models fetch`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from assistant.cli.common import settings_from
from assistant.cli.hearing_setup import add_engine_options, engine_choice
from assistant.hearing.engines import checking_reason
from assistant.hearing.fetch import fetch_vosk_model
from assistant.hearing.models import VOSK_MODEL_NAME, default_models_dir


def register(commands: Any) -> None:
    models = commands.add_parser(
        "models",
        help="show which speech engine and model will be used; `models fetch` downloads vosk",
        description="Say which speech engine will hear you and why. `pumpcoach models fetch` "
        f"downloads the English vosk model ({VOSK_MODEL_NAME}, 41 MB, checksum-verified); "
        "without it, the pocketsphinx model that ships inside its package is used.",
    )
    models.add_argument("action", nargs="?", choices=("show", "fetch"), default="show")
    models.add_argument(
        "--models-dir", type=Path, metavar="DIR", help="where models live (default: models/)"
    )
    add_engine_options(models)
    models.set_defaults(handler=models_command)


def models_command(args: argparse.Namespace) -> int:
    if args.action == "fetch":
        path = fetch_vosk_model(args.models_dir or default_models_dir())
        print(f"The English vosk model is ready at {path}.")
        return 0
    settings = settings_from(args)
    print(engine_choice(args, settings).reason)
    print(checking_reason(settings, os.environ))
    return 0

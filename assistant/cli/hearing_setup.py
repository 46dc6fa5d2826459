"""The hearing options every listening command shares, turned into an engine choice."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from assistant.hearing.engines import NAMES, choose
from assistant.hearing.models import EngineChoice, default_models_dir
from assistant.settings import Settings


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=NAMES,
        help="speech engine (default: vosk if a vosk model is found, else pocketsphinx; "
        "either is checked by Whisper)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        metavar="PATH",
        help="vosk model folder (default: $PUMPCOACH_VOSK_MODEL, then models/)",
    )


def engine_choice(args: argparse.Namespace, settings: Settings) -> EngineChoice:
    models_dir = getattr(args, "models_dir", None) or default_models_dir()
    return choose(
        settings,
        os.environ,
        models_dir,
        getattr(args, "engine", None),
        getattr(args, "model", None),
    )

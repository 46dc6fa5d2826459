"""Choosing and building the recognizer (vosk or pocketsphinx): done here, at the edge."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from assistant.hearing.engine_grammar import training_sentences, yes_no_sentences
from assistant.hearing.models import EngineChoice, choose_engine, default_models_dir
from assistant.hearing.recognizer import Recognizer
from assistant.settings import Settings

CHATTER_WORDS = Path(__file__).resolve().parents[1] / "hearing" / "chatter_words.txt"


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine",
        choices=("vosk", "pocketsphinx"),
        help="speech engine (default: vosk if a vosk model is found, else pocketsphinx)",
    )
    parser.add_argument(
        "--model",
        type=Path,
        metavar="PATH",
        help="vosk model folder (default: $PUMPCOACH_VOSK_MODEL, then models/)",
    )


def engine_choice(args: argparse.Namespace, settings: Settings) -> EngineChoice:
    explicit = getattr(args, "model", None) or settings.vosk_model
    models_dir = getattr(args, "models_dir", None) or default_models_dir()
    return choose_engine(explicit, os.environ, models_dir, getattr(args, "engine", None))


def build_recognizer(choice: EngineChoice) -> Recognizer:
    """The recognizer the choice names, with grammars generated from the command grammar."""
    if choice.engine == "vosk" and choice.model is not None:
        from assistant.hearing.vosk_engine import VoskRecognizer

        return VoskRecognizer(choice.model)
    from assistant.hearing.pocketsphinx_engine import PocketsphinxRecognizer

    chatter = CHATTER_WORDS.read_text(encoding="utf-8").split()
    return PocketsphinxRecognizer(training_sentences(), yes_no_sentences(), chatter)

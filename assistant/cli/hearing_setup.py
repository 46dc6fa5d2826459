"""Choosing and building the recognizer (vosk or pocketsphinx, checked by Whisper): done
here, at the edge."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from assistant.hearing.engine_grammar import training_sentences, yes_no_sentences
from assistant.hearing.models import EngineChoice, choose_engine, default_models_dir
from assistant.hearing.recognizer import Recognizer
from assistant.hearing.whisper_model import find_whisper_model
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


def build_recognizer(choice: EngineChoice, settings: Settings) -> Recognizer:
    """The recognizer the choice names, with grammars generated from the command grammar,
    its commands checked by Whisper unless `verify` is off (or no Whisper model is found,
    which is said in one sentence: commands are then taken as the engine hears them)."""
    if choice.engine == "whisper" and choice.model is not None:
        from assistant.hearing.whisper_grammar import WhisperGrammarRecognizer

        hearing = settings.recognition
        return WhisperGrammarRecognizer(choice.model, hearing.margin, hearing.ask_margin)
    engine = _engine(choice)
    if not settings.recognition.verify:
        return engine
    from assistant.hearing.verifier import VerifiedRecognizer
    from assistant.hearing.whisper_judge import JudgeError, WhisperJudge

    folder = find_whisper_model(settings.whisper_model, os.environ)
    try:
        if folder is None:
            raise JudgeError("no Whisper model is installed")
        judge = WhisperJudge(folder)
    except JudgeError as error:
        print(f"Commands are not double-checked: {error}.", file=sys.stderr)
        return engine
    return VerifiedRecognizer(engine, judge, settings.recognition)


def checking_reason(settings: Settings) -> str:
    """One sentence on whether Whisper checks commands, and with which model."""
    if not settings.recognition.verify:
        return "Commands are not double-checked: `verify` is off in [recognition]."
    folder = find_whisper_model(settings.whisper_model, os.environ)
    if folder is None:
        return "Commands are not double-checked: no Whisper model is installed."
    return f"Commands are checked by the Whisper model at {folder}."


def _engine(choice: EngineChoice) -> Recognizer:
    if choice.engine == "vosk" and choice.model is not None:
        from assistant.hearing.vosk_engine import VoskRecognizer

        return VoskRecognizer(choice.model)
    from assistant.hearing.pocketsphinx_engine import PocketsphinxRecognizer

    chatter = CHATTER_WORDS.read_text(encoding="utf-8").split()
    return PocketsphinxRecognizer(training_sentences(), yes_no_sentences(), chatter)

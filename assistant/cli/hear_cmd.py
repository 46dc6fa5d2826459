"""`pumpcoach hear FILE.wav`: the commands a recording contains, with their timing."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from assistant.audio.wav_source import WavSource
from assistant.cli.common import settings_from
from assistant.cli.hearing_setup import add_engine_options, engine_choice
from assistant.cli.shown_words import command_text
from assistant.hearing.engines import build
from assistant.hearing.gate import MicGate, never_speaking
from assistant.hearing.listener import Heard, Listener
from assistant.runtime.recording import heard_in
from assistant.units import Unit


def register(commands: Any) -> None:
    hear = commands.add_parser(
        "hear",
        help="list the commands spoken in a WAV recording",
        description="Run the recognizer over a recording and print each command it decides, "
        "with where it was spoken and when it was decided.",
    )
    hear.add_argument("wav", type=Path, metavar="FILE.wav", help="a recording (any WAV)")
    hear.add_argument("--json", action="store_true", help="one JSON object a line, on stdout")
    hear.add_argument(
        "--all", action="store_true", help="also show utterances that were not commands"
    )
    add_engine_options(hear)
    hear.set_defaults(handler=hear_file)


def hear_file(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    choice = engine_choice(args, settings)
    source = WavSource(args.wav)
    recognizer = build(choice, settings, os.environ)
    listener = Listener(recognizer, settings.recognition, MicGate(never_speaking, 0))
    if not args.json:
        print(f"{choice.reason}", file=sys.stderr)
    for heard in heard_in(listener, source.frames()):
        if heard.command is not None or args.all:
            print(
                json.dumps(heard_json(heard)) if args.json else heard_line(heard, settings.unit),
                flush=True,
            )
    return 0


def heard_json(heard: Heard) -> dict[str, Any]:
    """The contract: intent, amounts_ml (logs only), text, start_s, end_s, decided_s."""
    record: dict[str, Any] = {"intent": heard.command.intent if heard.command else None}
    if heard.command is not None and heard.command.amounts_ml is not None:
        record["amounts_ml"] = heard.command.amounts_ml
    record |= {
        "text": heard.text,
        "start_s": round(heard.start_s, 3),
        "end_s": round(heard.end_s, 3),
        "decided_s": round(heard.decided_s, 3),
        "confidence": round(heard.confidence, 3),
    }
    return record


def heard_line(heard: Heard, unit: Unit) -> str:
    what = command_text(heard.command, unit) if heard.command else "(not a command)"
    return f"{heard.start_s:7.2f}-{heard.end_s:7.2f} s  {what}  “{heard.text}”"

"""`pumpcoach start` (live) and `pumpcoach run` (scripted, on the virtual clock)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from assistant.cli.common import (
    add_db_option,
    add_routines_dir_option,
    open_store,
    routines_dir,
    settings_from,
)
from assistant.cli.keyboard import KeyboardInput
from assistant.cli.live_view import LiveView
from assistant.clock import RealClock, VirtualClock
from assistant.errors import AudioError
from assistant.routines.loader import find_routine
from assistant.runtime.event_log import JsonEventLog, Transcript
from assistant.runtime.live import run_live
from assistant.runtime.observer import Observer
from assistant.runtime.runner import SessionRunner
from assistant.runtime.script import read_commands, run_script
from assistant.runtime.speaker_output import SpeakerOutput
from assistant.runtime.store_recorder import StoreRecorder
from assistant.session.plan import build_plan
from assistant.session.state import initial_state
from assistant.settings import Settings
from assistant.speech.print_speaker import PrintSpeaker
from assistant.speech.speaker import Speaker


def register(commands: Any) -> None:
    start = commands.add_parser(
        "start",
        help="start a live session (typed commands; cues spoken aloud)",
        description="Walk through a routine live: cues are spoken, commands are typed "
        "(next, pause, repeat, log 60 ml, ... ; type help). Ctrl-C saves and quits.",
    )
    start.add_argument("routine", nargs="?", help="routine name or TOML file (default: mss)")
    _add_session_options(start)
    start.set_defaults(handler=start_session)

    run = commands.add_parser(
        "run",
        help="run a whole session from a commands file, on the virtual clock",
        description="Run a session with commands given in advance, one a line as "
        "`SECONDS TEXT` (e.g. `12.5 log sixty ml`), far faster than real time.",
    )
    run.add_argument("--routine", required=True, metavar="NAME_OR_FILE", help="routine to run")
    run.add_argument("--commands", type=Path, required=True, metavar="FILE", help="commands file")
    run.add_argument(
        "--events-json", action="store_true", help="print one JSON event a line on stdout"
    )
    _add_session_options(run)
    run.set_defaults(handler=run_session)


def _add_session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cycles", type=int, metavar="N", help="repeat the routine N times")
    parser.add_argument("--note", default="", help="a note to keep with the session")
    parser.add_argument("--speak-to", type=Path, metavar="OUT.wav", help="write the cues to a WAV")
    parser.add_argument("--rate", type=int, metavar="WPM", help="speaking rate, words a minute")
    parser.add_argument("--volume", type=float, metavar="0-1", help="speaking volume, 0 to 1")
    parser.add_argument("--voice", help="text-to-speech voice id (e.g. gmw/en-us)")
    add_db_option(parser)
    add_routines_dir_option(parser)


def run_session(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    routine = find_routine(args.routine, routines_dir(settings))
    plan = build_plan(routine, args.cycles)
    lines = read_commands(args.commands)
    clock = VirtualClock()
    log: JsonEventLog | Transcript = (
        JsonEventLog(sys.stdout) if args.events_json else Transcript(sys.stdout)
    )
    with open_store(settings) as store:
        recorder = StoreRecorder(store, clock, routine.name, args.note)
        observers: list[Observer] = [recorder, log]
        if args.speak_to is not None:
            observers.append(SpeakerOutput(_wav_speaker(args.speak_to, settings)))
        runner = SessionRunner(plan, initial_state(settings.rate_wpm, settings.volume), observers)
        if isinstance(log, JsonEventLog):
            log.emit(
                _started_event(plan.routine.name, plan.cycles, recorder.session_id, store.path)
            )
        try:
            run_script(runner, clock, lines)
        finally:
            runner.close()
        record = store.session(recorder.session_id)
    saved = {
        "t": round(clock.now(), 3),
        "type": "session_saved",
        "session_id": record.id,
        "outcome": record.outcome,
        "yields_ml": record.yields_ml,
        "total_ml": record.total_ml,
        "db": str(store.path),
    }
    if isinstance(log, JsonEventLog):
        log.emit(saved)
    else:
        print(
            f"Saved session {record.id} ({record.outcome}): {record.total_ml:g} ml in {store.path}"
        )
    return 0


def start_session(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    routine = find_routine(args.routine or settings.default_routine, routines_dir(settings))
    plan = build_plan(routine, args.cycles)
    clock = RealClock()
    console = Console(stderr=False)
    with open_store(settings) as store:
        recorder = StoreRecorder(store, clock, routine.name, args.note)
        screen = _screen(console)
        keyboard = KeyboardInput(sys.stdin, on_edit=getattr(screen, "typing", None))
        speaker = _live_speaker(args.speak_to, settings, console)
        observers: list[Observer] = [recorder, SpeakerOutput(speaker), screen]
        runner = SessionRunner(plan, initial_state(settings.rate_wpm, settings.volume), observers)
        try:
            with keyboard.reading():
                run_live(runner, clock, keyboard.lines)
        except KeyboardInterrupt:
            pass  # she chose to quit: what was confirmed is already stored; close it below
        finally:
            runner.close()
        record = store.session(recorder.session_id)
    console.print(f"Saved session {record.id}: {record.total_ml:g} ml logged, in {store.path}.")
    return 0


def _screen(console: Console) -> Observer:
    if console.is_terminal:
        return LiveView(console, hint="type a command and Enter · help · Ctrl-C saves and quits")
    return Transcript(sys.stdout)


def _live_speaker(speak_to: Path | None, settings: Settings, console: Console) -> Speaker:
    """Speakers if there are any; otherwise cues are shown as text and the session goes on."""
    if speak_to is not None:
        return _wav_speaker(speak_to, settings)
    from assistant.speech.live_speaker import LiveSpeaker

    try:
        return LiveSpeaker(rate_wpm=settings.rate_wpm, volume=settings.volume, voice=settings.voice)
    except AudioError as error:
        console.print(f"[yellow]{error}[/yellow]")
        return PrintSpeaker(
            sys.stderr if console.is_terminal else sys.stdout, quiet=console.is_terminal
        )


def _wav_speaker(path: Path, settings: Settings) -> Speaker:
    from assistant.speech.wav_speaker import WavSpeaker

    return WavSpeaker(
        path, rate_wpm=settings.rate_wpm, volume=settings.volume, voice=settings.voice
    )


def _started_event(routine: str, cycles: int, session_id: int, db: Path) -> dict[str, Any]:
    return {
        "t": 0.0,
        "type": "session_started",
        "routine": routine,
        "cycles": cycles,
        "session_id": session_id,
        "db": str(db),
    }

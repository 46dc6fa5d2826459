"""`pumpcoach start` (live) and `pumpcoach run` (scripted, on the virtual clock)."""

from __future__ import annotations

import argparse
import math
import queue
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from assistant.audio.mic_source import MicSource
from assistant.audio.wav_source import WavSource
from assistant.cli.common import (
    add_db_option,
    add_routines_dir_option,
    add_unit_option,
    open_store,
    routines_dir,
    settings_from,
)
from assistant.cli.hearing_setup import add_engine_options, engine_choice
from assistant.cli.keyboard import KeyboardInput
from assistant.cli.live_view import LiveView
from assistant.cli.wiring import listener_for, plan_for, wired_session
from assistant.clock import Clock, RealClock, VirtualClock
from assistant.errors import AudioError
from assistant.hearing.echo import Played
from assistant.hearing.engines import echo_removal
from assistant.hearing.gate import never_speaking
from assistant.hearing.listener import Listener
from assistant.routines.loader import find_routine
from assistant.runtime.event_log import JsonEventLog, Transcript
from assistant.runtime.live import Arrival, Hearing, run_live
from assistant.runtime.observer import Observer
from assistant.runtime.recording import ECHO_DELAY_S, Echo, run_recording
from assistant.runtime.script import read_commands, run_script
from assistant.settings import Settings
from assistant.speech.print_speaker import PrintSpeaker
from assistant.speech.speaker import Speaker
from assistant.speech.wav_speaker import WavSpeaker
from assistant.store.records import SessionRecord
from assistant.units import Unit, shown

MAX_ECHO_DELAY_MS = 1000
"""A longer echo delay than this is no room: a typo."""
MAX_CYCLES = 10
"""As many rounds as a routine file may ask for."""


def register(commands: Any) -> None:
    start = commands.add_parser(
        "start",
        help="start a live session: cues spoken aloud, commands spoken (or typed)",
        description="Walk through a routine live: cues are spoken; say (or type) commands "
        "such as next, pause, repeat, log 60 ml, help. Ctrl-C saves and quits.",
    )
    start.add_argument("routine", nargs="?", help="routine name or TOML file (default: mss)")
    start.add_argument("--device", help="microphone by name or index (see `pumpcoach devices`)")
    start.add_argument("--no-mic", action="store_true", help="typed commands only")
    add_engine_options(start)
    _add_session_options(start)
    start.set_defaults(handler=start_session)

    run = commands.add_parser(
        "run",
        help="run a whole session from a commands file, on the virtual clock",
        description="Run a session with commands given in advance, one a line as "
        "`SECONDS TEXT` (e.g. `12.5 log sixty ml`), far faster than real time.",
    )
    run.add_argument("--routine", required=True, metavar="NAME_OR_FILE", help="routine to run")
    given = run.add_mutually_exclusive_group(required=True)
    given.add_argument("--commands", type=Path, metavar="FILE", help="commands file")
    given.add_argument(
        "--audio-in", type=Path, metavar="FILE.wav", help="a recording of her speaking commands"
    )
    run.add_argument(
        "--echo-gain",
        type=float,
        metavar="DB",
        help="with --audio-in: mix the spoken cues back into the input at DB (e.g. -6), "
        "through a reverberant room, to prove the assistant does not obey itself",
    )
    run.add_argument(
        "--echo-delay",
        type=_echo_delay_ms,
        default=ECHO_DELAY_S * 1000,
        metavar="MS",
        help=f"with --echo-gain: how late the echo reaches the microphone "
        f"(default {ECHO_DELAY_S * 1000:g} ms)",
    )
    add_engine_options(run)
    run.add_argument(
        "--events-json", action="store_true", help="print one JSON event a line on stdout"
    )
    _add_session_options(run)
    run.set_defaults(handler=run_session)


def _echo_delay_ms(text: str) -> float:
    try:
        ms = float(text)
    except ValueError:
        ms = math.nan
    if not 0 <= ms <= MAX_ECHO_DELAY_MS:
        raise argparse.ArgumentTypeError(f"give milliseconds from 0 to {MAX_ECHO_DELAY_MS}")
    return ms


def _cycles(text: str) -> int:
    """A round count checked before any session is opened (0 or -1 left one with no end)."""
    try:
        cycles = int(text)
    except ValueError:
        cycles = 0
    if not 1 <= cycles <= MAX_CYCLES:
        raise argparse.ArgumentTypeError(f"give a whole number of rounds from 1 to {MAX_CYCLES}")
    return cycles


def _add_session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cycles", type=_cycles, metavar="N", help=f"repeat the routine N times (1-{MAX_CYCLES})"
    )
    add_unit_option(parser)
    parser.add_argument("--note", default="", help="a note to keep with the session")
    parser.add_argument("--speak-to", type=Path, metavar="OUT.wav", help="write the cues to a WAV")
    parser.add_argument("--rate", type=int, metavar="WPM", help="speaking rate, words a minute")
    parser.add_argument("--volume", type=float, metavar="0-1", help="speaking volume, 0 to 1")
    parser.add_argument("--voice", help="the coach's voice (see `pumpcoach voices`)")
    add_db_option(parser)
    add_routines_dir_option(parser)


def run_session(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    routine = find_routine(args.routine, routines_dir(settings))
    plan = plan_for(routine, args.cycles, routines_dir(settings))
    lines = read_commands(args.commands) if args.commands is not None else []
    recording = WavSource(args.audio_in) if args.audio_in is not None else None
    clock = VirtualClock()
    log = JsonEventLog(sys.stdout) if args.events_json else Transcript(sys.stdout)
    with open_store(settings) as store:
        speaker = _virtual_speaker(args, settings)
        listener = _listener(args, settings, speaker) if recording is not None else None
        with wired_session(plan, settings, store, clock, args.note, [log], speaker, listener) as w:
            if isinstance(log, JsonEventLog):
                log.emit(_started_event(routine.name, plan.cycles, w.session_ids[0], store.path))
            if listener is not None and recording is not None:
                echo = _echo(speaker, args.echo_gain, args.echo_delay / 1000)
                run_recording(w.runner, clock, recording.frames(), listener, echo)
            else:
                run_script(w.runner, clock, lines)
        records = [store.session(session_id) for session_id in w.session_ids]
    for record in records:
        _report_saved(log, record, store.path, clock.now(), settings.unit)
    _report_kept(w.recorder.kept)
    return 0


def _report_kept(kept: str | None) -> None:
    """What the database would not take (busy, disk full) was kept: where, and what next."""
    if kept is not None:
        print(
            f"pumpcoach: part of this session could not be saved yet; it is kept in {kept} and "
            "will be saved the next time you start a session.",
            file=sys.stderr,
        )


def _virtual_speaker(args: argparse.Namespace, settings: Settings) -> WavSpeaker | None:
    """Cues on the virtual timeline: wanted for --speak-to, and for the echo of --echo-gain."""
    if args.speak_to is None and getattr(args, "echo_gain", None) is None:
        return None
    return _wav_speaker(args.speak_to, settings)


def _report_saved(log: Observer, record: SessionRecord, db: Path, t: float, unit: Unit) -> None:
    if isinstance(log, JsonEventLog):
        log.emit(
            {
                "t": round(t, 3),
                "type": "session_saved",
                "session_id": record.id,
                "routine": record.routine,
                "pumping": record.pumping,
                "outcome": record.outcome,
                "yields_ml": record.yields_ml,
                "total_ml": record.total_ml,
                "db": str(db),
            }
        )
    else:
        amount = shown(record.total_ml, unit) if record.pumping else "before pumping"
        print(f"Saved session {record.id} ({record.outcome}): {amount} in {db}")


def start_session(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    routine = find_routine(args.routine or settings.default_routine, routines_dir(settings))
    plan = plan_for(routine, args.cycles, routines_dir(settings))
    clock = RealClock()
    console = Console(stderr=False)
    arrivals: queue.Queue[Arrival] = queue.Queue()
    with open_store(settings) as store:
        speaker = _live_speaker(args.speak_to, settings, console)
        hearing = None if args.no_mic else _microphone(args, settings, speaker, clock, console)
        listener = hearing[1] if hearing is not None else None
        screen = _screen(console, spoken=hearing is not None)
        keyboard = KeyboardInput(sys.stdin, arrivals, on_edit=getattr(screen, "typing", None))
        listening = _hearing(args, settings, clock, hearing, arrivals)
        wiring = wired_session(plan, settings, store, clock, args.note, [screen], speaker, listener)
        with wiring as w:
            try:
                with keyboard.reading():
                    if listening is not None:
                        listening.start()
                    run_live(w.runner, clock, arrivals)
            except KeyboardInterrupt:
                # She chose to quit: the coach falls silent now rather than finish its cue, and
                # what was confirmed is already stored; the session is closed below.
                speaker.say("", clock.now(), interrupt=True)
            finally:
                if listening is not None:
                    listening.close()
        records = [store.session(session_id) for session_id in w.session_ids]
    for record in records:
        console.print(Text(_saved(record, store.path, settings.unit)))
    _report_kept(w.recorder.kept)
    return 0


def _saved(record: SessionRecord, db: Path, unit: Unit) -> str:
    if not record.pumping:
        return f"Saved session {record.id} ({record.routine}, before pumping), in {db}."
    return f"Saved session {record.id}: {shown(record.total_ml, unit)} logged, in {db}."


def _hearing(
    args: argparse.Namespace,
    settings: Settings,
    clock: Clock,
    opened: tuple[MicSource, Listener] | None,
    arrivals: queue.Queue[Arrival],
) -> Hearing | None:
    """The microphone's thread: the one opened at the start, then (if it stops) new ones."""
    if opened is None:
        return None
    first = [opened[0]]

    def open_source() -> MicSource:
        return first.pop() if first else _open_mic(args, settings, clock)

    return Hearing(open_source, opened[1], arrivals)


def _open_mic(args: argparse.Namespace, settings: Settings, clock: Clock) -> MicSource:
    """The microphone she chose (--device, or `input_device`); AudioError if it cannot open."""
    return MicSource(args.device or settings.input_device, clock=clock)


def _microphone(
    args: argparse.Namespace, settings: Settings, speaker: Speaker, clock: Clock, console: Console
) -> tuple[MicSource, Listener] | None:
    """The microphone and its listener, or None (with one sentence) so typing still works."""
    try:
        source = _open_mic(args, settings, clock)
    except AudioError as error:
        console.print(Text(str(error), style="yellow"))
        return None
    echo = echo_removal(settings, _reference(speaker, source))
    is_speaking = getattr(speaker, "is_speaking", None)
    choice = engine_choice(args, settings)
    console.print(Text(f"Listening with {choice.reason}"))
    return source, listener_for(choice, settings, _sounding(is_speaking), echo)


def _sounding(is_speaking: Callable[[], bool] | None) -> Callable[[float], bool]:
    """Whether the speaker is talking now (the live speaker knows; others never say)."""
    if is_speaking is None:
        return never_speaking
    return lambda _t: bool(is_speaking())


def _reference(speaker: Speaker, source: MicSource) -> Played | None:
    """What the speaker played, looked up by the microphone's frame times (both on the audio
    device's clock); None if the speaker does not say."""
    played: Played | None = getattr(speaker, "played", None)
    if played is None:
        return None
    return lambda t, samples: played(source.device_time(t), samples)


def _screen(console: Console, spoken: bool) -> Observer:
    if console.is_terminal:
        how = "speak or type a command" if spoken else "type a command and Enter"
        return LiveView(console, hint=f"{how} · help · Ctrl-C saves and quits")
    return Transcript(sys.stdout)


def _live_speaker(speak_to: Path | None, settings: Settings, console: Console) -> Speaker:
    """Speakers if there are any; otherwise cues are shown as text and the session goes on.
    With barge-in, what they play is logged for the echo canceller."""
    if speak_to is not None:
        return _wav_speaker(speak_to, settings)
    from assistant.speech.live_speaker import LiveSpeaker

    try:
        return LiveSpeaker(
            rate_wpm=settings.rate_wpm,
            volume=settings.volume,
            voice=settings.voice,
            barge_in=settings.recognition.barge_in,
        )
    except AudioError as error:
        console.print(Text(str(error), style="yellow"))
        return PrintSpeaker(
            sys.stderr if console.is_terminal else sys.stdout, quiet=console.is_terminal
        )


def _wav_speaker(path: Path | None, settings: Settings) -> WavSpeaker:
    """Cues on the virtual timeline (to a file, or kept in memory for the gate and echo)."""
    return WavSpeaker(path, settings.rate_wpm, settings.volume, settings.voice)


def _echo(speaker: WavSpeaker | None, gain_db: float | None, delay_s: float) -> Echo | None:
    if speaker is None or gain_db is None:
        return None
    return Echo(speaker, gain_db, delay_s)


def _listener(args: argparse.Namespace, settings: Settings, speaker: WavSpeaker | None) -> Listener:
    """Hears the recording. With barge-in, the cues on the timeline are taken out of it as an
    echo canceller would; without, the gate closes while they sound."""
    echo = echo_removal(settings, speaker.played if speaker is not None else None)
    sounding = speaker.is_sounding if speaker is not None else never_speaking
    return listener_for(engine_choice(args, settings), settings, sounding, echo)


def _started_event(routine: str, cycles: int, session_id: int, db: Path) -> dict[str, Any]:
    return {
        "t": 0.0,
        "type": "session_started",
        "routine": routine,
        "cycles": cycles,
        "session_id": session_id,
        "db": str(db),
    }

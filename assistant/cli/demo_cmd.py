"""`pumpcoach demo`: see (and hear) a whole session with no microphone."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from assistant.audio.pcm import Audio
from assistant.audio.pump_noise import PROFILES
from assistant.audio.source import Frame, frames_of
from assistant.audio.voices import WOMEN
from assistant.cli.common import routines_dir, settings_from
from assistant.cli.hearing_setup import add_engine_options, engine_choice
from assistant.cli.live_view import LiveView
from assistant.cli.wiring import listener_for, wired_session
from assistant.clock import VirtualClock
from assistant.demo.session import demo_recording
from assistant.hearing.models import EngineChoice
from assistant.routines.loader import find_routine
from assistant.runtime.event_log import Transcript
from assistant.runtime.observer import Observer
from assistant.runtime.recording import run_recording
from assistant.session.plan import Plan, build_plan
from assistant.settings import Settings
from assistant.speech.wav_speaker import WavSpeaker, save_wav
from assistant.store.records import SessionRecord
from assistant.store.sqlite_store import SessionStore
from assistant.units import shown


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="watch a whole session heard from a synthetic recording (no microphone needed)",
        description="Synthesize a short session: a voice saying pause, resume, next, repeat "
        "and 'log sixty five milliliters' over pump noise; run it through the real recognizer "
        "with the live view, and show what was heard and logged.",
    )
    demo.add_argument("--snr", type=float, default=25.0, help="voice above the pump, dB (25)")
    demo.add_argument("--pump", choices=sorted(PROFILES), default="double-electric")
    demo.add_argument("--speed", type=float, default=20.0, help="times faster than real time")
    demo.add_argument("--save", type=Path, metavar="FILE.wav", help="keep the recording")
    demo.add_argument("--db", type=Path, metavar="FILE", help="database (default: a temporary one)")
    add_engine_options(demo)
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    plan = build_plan(find_routine("hands-on", routines_dir(settings)))
    console = Console()
    console.print("Making a session recording: a voice over a running pump …")
    audio, utterances = demo_recording(plan, WOMEN[1], PROFILES[args.pump], args.snr)
    if args.save is not None:
        save_wav(args.save, audio)
    choice = engine_choice(args, settings)
    console.print(Text(f"Listening with {choice.reason}"))
    if args.db is not None:
        record = _run(args, settings, plan, audio, choice, args.db, console)
        kept = f" in {args.db}"
    else:
        with tempfile.TemporaryDirectory(prefix="pumpcoach-demo-") as folder:
            record = _run(args, settings, plan, audio, choice, Path(folder) / "demo.db", console)
        kept = " (a demo: nothing was kept; --db FILE keeps it)"
    said = ", ".join(f"“{u.text}” at {u.start_s:.0f} s" for u in utterances)
    console.print(Text(f"She said: {said}."))
    console.print(Text(f"Logged: {shown(record.total_ml, settings.unit)} ({record.outcome}){kept}"))
    return 0


def _run(
    args: argparse.Namespace,
    settings: Settings,
    plan: Plan,
    audio: Audio,
    choice: EngineChoice,
    db: Path,
    console: Console,
) -> SessionRecord:
    """The session, heard from the recording and stored in `db`."""
    clock = VirtualClock()
    speaker = WavSpeaker(None, settings.rate_wpm, settings.volume, settings.voice)
    screen: Observer = (
        LiveView(console, hint=f"demo at {args.speed:g}x · Ctrl-C stops")
        if console.is_terminal
        else Transcript(sys.stdout)
    )
    with SessionStore(db) as store:
        listener = listener_for(choice, settings, speaker.is_sounding, None)
        with wired_session(plan, settings, store, clock, "demo", [screen], speaker, listener) as w:
            run_recording(w.runner, clock, _paced(frames_of(audio), args.speed), listener)
        return store.session(w.session_ids[-1])


def _paced(frames: Iterable[Frame], speed: float) -> Iterator[Frame]:
    """Frames released no faster than `speed` times real time, so the view can be watched."""
    began = time.monotonic()
    for frame in frames:
        wait = frame.t / speed - (time.monotonic() - began)
        if wait > 0:
            time.sleep(wait)
        yield frame

"""`pumpcoach voices`: the coach's voices, heard one after another, and the one she keeps."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from assistant.cli.common import config_path, settings_from
from assistant.config import read_config
from assistant.errors import AudioError, ConfigError, UsageError
from assistant.private_files import private_folder, private_output, why_not
from assistant.speech.coach_voices import VOICES, CoachVoice, default_voice, find_voice
from assistant.speech.wav_speaker import save_wav

SAMPLE = "Flanges on, and start pumping both sides at once. Settle back and breathe."
"""What each voice says when she listens to them: a cue as she will hear it."""
SAMPLE_WPM, SAMPLE_VOLUME = 165, 0.9


def register(commands: Any) -> None:
    voices = commands.add_parser(
        "voices",
        help="list the coach's voices, hear them, and choose one",
        description="List the coach's voices; --hear says a cue in each (or in the ones "
        "named), --out writes them to WAV files, --use keeps one in your settings file.",
    )
    voices.add_argument("ids", nargs="*", metavar="ID", help="voices to hear or write")
    given = voices.add_mutually_exclusive_group()
    given.add_argument("--hear", action="store_true", help="say a cue in each voice")
    given.add_argument("--out", type=Path, metavar="FOLDER", help="write ID.wav for each voice")
    given.add_argument("--use", metavar="ID", help="speak with this voice from now on")
    voices.set_defaults(handler=voices_command)


def voices_command(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    console = Console()
    if args.use is not None:
        return _use(_installed(args.use), config_path(args), console)
    chosen = [_installed(voice_id) for voice_id in args.ids] or [
        voice for voice in VOICES if voice.installed()
    ]
    if args.hear:
        _hear(chosen, console)
    elif args.out is not None:
        _write(chosen, args.out, console)
    else:
        console.print(_table(settings.voice))
        console.print("Hear them: pumpcoach voices --hear · keep one: pumpcoach voices --use ID")
    return 0


def _table(in_use: str | None) -> Table:
    table = Table(title="The coach's voices, most natural first")
    for column in ("id", "voice", "installed", ""):
        table.add_column(column)
    current = in_use or default_voice().id
    for voice in VOICES:
        installed = "yes" if voice.installed() else "no: run scripts/setup.sh"
        mark = "← in use" if voice.id == current else ""
        table.add_row(voice.id, voice.description, installed, mark)
    return table


def _installed(voice_id: str) -> CoachVoice:
    voice = find_voice(voice_id)
    if voice is None:
        known = ", ".join(v.id for v in VOICES)
        raise UsageError(f"There is no voice called {voice_id!r}; choose one of: {known}.")
    if not voice.installed():
        raise UsageError(f"The voice {voice_id!r} is not installed; run scripts/setup.sh.")
    return voice


def _hear(voices: list[CoachVoice], console: Console) -> None:
    from assistant.speech.live_speaker import LiveSpeaker

    for voice in voices:
        console.print(f"{voice.id}: {voice.description}")
        try:
            speaker = LiveSpeaker(SAMPLE_WPM, SAMPLE_VOLUME, voice=voice.id)
        except AudioError as error:
            hint = "write them to files with --out FOLDER"
            raise AudioError(f"{_first_clause(error)}; {hint}.") from error
        speaker.say(f"This is {voice.id}. {SAMPLE}", 0.0)
        speaker.close()


def _first_clause(error: AudioError) -> str:
    """ "No audio output device … was found" without what a session would do next."""
    return str(error).split(";")[0].rstrip(".")


def _write(voices: list[CoachVoice], folder: Path, console: Console) -> None:
    """Each voice's sample in FOLDER/ID.wav. Nothing of hers is in a sample, but they are made
    like every file Pump Coach writes (0600, new folders 0700): one rule is easier to trust
    than a judgement per file, and the folder is often where her own recordings go."""
    try:
        private_folder(folder)
    except OSError as error:
        raise UsageError(f"Cannot write to {folder}: {why_not(error)}.") from error
    for voice in voices:
        engine = voice.open()
        try:
            audio = engine.synthesize(SAMPLE, SAMPLE_WPM, SAMPLE_VOLUME)
        finally:
            engine.close()
        path = folder / f"{voice.id}.wav"
        save_wav(path, audio)
        console.print(f"{voice.id}: {path}")


_VOICE_LINE = re.compile(r"^\s*voice\s*=.*$", re.MULTILINE)
_FIRST_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def _use(voice: CoachVoice, path: Path, console: Console) -> int:
    """Set `voice` in her settings file, touching no other line; the file is written whole
    and swapped in, so it is never left half-written."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    read_config(path)  # a broken file is one sentence, and is left as it is
    line = f'voice = "{voice.id}"'
    head_end = m.start() if (m := _FIRST_TABLE.search(text)) else len(text)
    head, rest = text[:head_end], text[head_end:]
    kept = _VOICE_LINE.search(head) is not None
    head = _VOICE_LINE.sub(line, head, count=1) if kept else f"{line}\n{head}"
    try:
        private_folder(path.parent)  # where her own routines go too
        with private_output(path) as out:
            out.write((head + rest).encode("utf-8"))
    except OSError as error:
        raise ConfigError(f"Cannot write the settings file {path}: {why_not(error)}.") from error
    read_config(path)
    console.print(f"The coach now speaks with {voice.id} ({voice.description}); in {path}.")
    return 0

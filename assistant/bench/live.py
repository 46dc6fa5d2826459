"""The live path through a real sound server: `pumpcoach start` on the real clock, her commands
played into a virtual microphone, the coach's answers recorded off the speaker's monitor.

Used by the live-path tests (does it work?) and by `scripts/bench_live.py` (how fast does the
coach react?): from the end of her word to the first sound of the coach's answer, or, when she
talked over the coach, to the moment it fell silent.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.audio.pcm import Samples, write_wav
from assistant.audio.pump_noise import PROFILES
from assistant.audio.voices import WOMEN, speak
from assistant.bench.sound_server import SPEAKER_RATE, Recording, SoundServer
from assistant.demo.scenario import Utterance, render

ROUTINE_NAME = "quiet-rest"
ROUTINE = """\
name = "quiet-rest"
title = "Quiet rest"
summary = "A rest, for the live-path test."
safety = ["Stop if anything hurts."]
sources = [{ title = "Tests", credit = "Pump Coach tests", document = "none.txt" }]
[[steps]]
id = "rest"
title = "Rest"
cue = "Rest."
duration_s = 120
"""
SAID = (
    (14.0, "pause"),
    (20.0, "resume"),
    (26.0, "log sixty five milliliters"),
    (32.0, "sixty five"),
    (38.0, "stop"),
    (44.0, "yes"),
    (52.0, "finish"),
)
"""Her commands, in the coach's silences (the coach's words take 1-4 s each). "sixty five"
answers the coach if it asks which amount she said ("65, or 165?"); if it did not ask, it is
no command and changes nothing."""
BARGE_IN_ROUTINE = ROUTINE.replace(
    'cue = "Rest."',
    'cue = "Rest now. Let your shoulders drop and your jaw soften. Breathe in slowly through '
    "your nose, and let the breath out through your mouth, a little longer than it came in. "
    "Keep the flanges steady and let the pump do its work. If your hands are tired, rest them "
    'in your lap for a while, and notice the warmth of the room around you."',
)
BARGE_IN_SAID = (
    (12.0, "pause"),
    (18.0, "resume"),
    (24.0, "repeat"),
    (34.0, "stop"),
    (40.0, "yes"),
    (47.0, "log sixty five milliliters"),
    (54.0, "sixty five"),
    (60.0, "finish"),
)
"""Her commands while the coach reads a long cue, with the speaker played back into the
microphone: "pause" and "repeat" fall in the middle of it."""
SOUND = 300
"""A sample louder than this on the speaker's monitor is the coach talking."""
GAP_S = 0.2
"""A silence this long on the speaker's monitor, while it was talking, is a cue cut short."""


@dataclass(frozen=True)
class Reaction:
    said: str
    kind: Literal["answer", "interrupt"]
    delay_s: float | None


@dataclass(frozen=True)
class LiveRun:
    out: str
    err: str
    returncode: int | None
    said: list[Utterance]
    fed_at: float
    """When her recording started playing into the microphone (monotonic seconds)."""
    played: Samples
    """The speaker's monitor at SPEAKER_RATE, from `recorded_at`."""
    recorded_at: float

    def reactions(self, within_s: float = 3.0) -> list[Reaction]:
        """For each of her commands, how the coach reacted and how fast, from the end of her
        word: if it was quiet then, to its next sound (its answer); if it was talking, to the
        moment it fell silent (the cue cut short). None: nothing within `within_s`.

        A cut is found as the speaker's first silence of GAP_S; a pause between two of the
        cue's sentences can come first, so a fast interrupt may be flattered."""
        loud = np.abs(self.played.astype(np.int32)) > SOUND
        gap = round(GAP_S * SPEAKER_RATE)
        silent = np.convolve(loud, np.ones(gap), mode="valid") == 0
        reactions = []
        for utterance in self.said:
            ended = round((self.fed_at + utterance.end_s - self.recorded_at) * SPEAKER_RATE)
            talking = bool(loud[max(0, ended - gap) : ended].any())
            after = np.flatnonzero(silent[ended:] if talking else loud[ended:])
            delay = after[0] / SPEAKER_RATE if len(after) else None
            in_time = delay if delay is not None and delay <= within_s else None
            kind: Literal["answer", "interrupt"] = "interrupt" if talking else "answer"
            reactions.append(Reaction(utterance.text, kind, in_time))
        return reactions


def run_through_sound_server(folder: Path, barge_in: bool = False) -> LiveRun:
    """One session of `pumpcoach start` on a sound server of its own; about a minute. With
    `barge_in`, she talks over a long cue, and the speaker is heard in the microphone."""
    routine = folder / f"{ROUTINE_NAME}.toml"
    routine.write_text(BARGE_IN_ROUTINE if barge_in else ROUTINE)
    said = _her_recording(folder / "her.wav", BARGE_IN_SAID if barge_in else SAID)
    with SoundServer() as server:
        if barge_in:
            server.echo_into_mic()
        speaker = server.record_speaker()
        command = [sys.executable, "-m", "assistant", "start", str(routine)]
        app = subprocess.Popen(
            [*command, "--db", str(folder / "sessions.db")],
            env=server.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _first_words(speaker, app)
        fed_at = time.monotonic()
        server.feed_mic(folder / "her.wav").wait(timeout=120)
        out, err = _ended(app)
        played = speaker.stop()
    return LiveRun(out, err, app.returncode, said, fed_at, played, speaker.started)


def _first_words(speaker: Recording, app: subprocess.Popen[str], timeout_s: float = 60) -> None:
    """Wait until the coach has begun its welcome: the app has started and its microphone is
    open. Her commands are timed from there, whatever the app took to start."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and app.poll() is None:
        if (np.abs(speaker.so_far().astype(np.int32)) > SOUND).any():
            return
        time.sleep(0.1)


def _her_recording(path: Path, commands: tuple[tuple[float, str], ...]) -> list[Utterance]:
    voice = WOMEN[0]
    said = [
        Utterance(text, t, t + len(speak(text, voice).samples) / 16_000) for t, text in commands
    ]
    write_wav(path, render(said, voice, PROFILES["double-electric"], 25.0, seed=3, tail_s=8.0))
    return said


def _ended(app: subprocess.Popen[str]) -> tuple[str, str]:
    """Her "finish" ends the session; if it was missed, Ctrl-C saves and quits, as for her."""
    try:
        return app.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        app.send_signal(signal.SIGINT)
        return app.communicate(timeout=20)
